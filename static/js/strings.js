// Every UI string the learner's runtime shows, in one table so a translator finds them all.
// Server-rendered strings live in the Babel catalogue; these are only the ones JS creates.
// Chinese follows lessons/glossary.toml (tests/content/test_glossary.py checks it).

import { spaceCjk } from "./zh-spacing.js";

const STRINGS = {
  en: {
    loadingPython: "Loading Python…",
    loadingBundle: "Loading the simulation…",
    ready: "Python is ready ({s} s).",
    restarting: "Restarting Python…",
    loadFailed: "Python could not be loaded: {msg}. Reload the page to try again; Submit still works.",
    crashed: "Python stopped unexpectedly: {msg}",
    waitingForPython: "Python is still loading; your code will run as soon as it is ready.",
    run: "Run",
    stop: "Stop",
    passed: "Passed: all {total} cases are correct.",
    passedPractice: "All {total} practice cases pass. Submit to be graded on your hidden cases.",
    failed: "Not yet: {passed} of {total} cases pass.",
    failedPractice: "{passed} of {total} practice cases pass.",
    sameInMore: "(the same in {n} more cases)",
    printed: "What your code printed",
    error: "Your code could not be graded.",
    practiceMeta: "Practice run in your browser; Submit to record a grade.",
    casePassed: "passed",
    caseFailed: "failed",
    replay: "Replay in the animation",
    replayLabel: "Replay case “{name}” in the animation",
    timedOut: "stopped: your code ran for more than {s} s (infinite loop?)",
    stoppedByYou: "stopped: you pressed Stop.",
    resetConfirm: "Replace your code with the starter code? Your current code is kept: press Ctrl+Z (⌘+Z) in the editor, or “Undo reset”, to bring it back.",
    resetDone: "Starter code restored.",
    undoReset: "Undo reset",
    noStorage: "Your browser does not let this page store data (private mode?), so your code will not be kept after a reload.",
    storageFull: "Your code could not be saved in this browser (storage full); copy it somewhere safe.",
    submitHttpError: "The server could not grade this submission (HTTP {status}). Your code is still here.",
    submitBusy: "The server is busy; try Submit again in {s} s. Your code is still here.",
    submitTooLarge: "Your code is too large to submit. Your code is still here.",
    submitNetwork: "The server could not be reached; check your connection and Submit again. Your code is still here.",
    checkRight: "✓ Right.",
    checkWrong: "✗ Not quite.",
    checkChooseFirst: "Choose an answer first, then press Check.",
    running: "Python is running your code… (Stop ends it)",
    hints: "Hints",
    hintsShown: "{i} of {n} hints shown.",
    showHint: "Show a hint",
    showNextHint: "Show the next hint",
  },
  zh: {
    loadingPython: "正在加载 Python…",
    loadingBundle: "正在加载模拟器…",
    ready: "Python 已就绪（{s} 秒）。",
    restarting: "正在重启 Python…",
    loadFailed: "无法加载 Python：{msg}。请刷新页面重试；“提交”仍然可用。",
    crashed: "Python 意外停止：{msg}",
    waitingForPython: "Python 仍在加载；加载完成后会立即运行你的代码。",
    run: "运行",
    stop: "停止",
    passed: "通过：{total} 个用例全部正确。",
    passedPractice: "{total} 个练习用例全部通过。点击“提交”，用你的隐藏用例评测。",
    failed: "尚未通过：{total} 个用例中有 {passed} 个通过。",
    failedPractice: "{total} 个练习用例中有 {passed} 个通过。",
    sameInMore: "（另有 {n} 个用例也是这样）",
    printed: "你的代码打印的内容",
    error: "无法评测你的代码。",
    practiceMeta: "这是在浏览器中的练习运行；点击“提交”才会记录成绩。",
    casePassed: "通过",
    caseFailed: "未通过",
    replay: "在动画中回放",
    replayLabel: "在动画中回放用例“{name}”",
    timedOut: "已停止：你的代码运行超过 {s} 秒（死循环？）",
    stoppedByYou: "已停止：你按下了“停止”。",
    resetConfirm: "用初始代码替换你的代码吗？当前代码会被保留：在编辑器中按 Ctrl+Z（⌘+Z）或点击“撤销重置”即可找回。",
    resetDone: "已恢复初始代码。",
    undoReset: "撤销重置",
    noStorage: "你的浏览器不允许本页面保存数据（隐私模式？），刷新后代码将不会保留。",
    storageFull: "无法在此浏览器中保存你的代码（存储已满）；请把代码复制到安全的地方。",
    submitHttpError: "服务器无法评测这次提交（HTTP {status}）。你的代码仍在这里。",
    submitBusy: "服务器繁忙；请在 {s} 秒后重新提交。你的代码仍在这里。",
    submitTooLarge: "代码太大，无法提交。你的代码仍在这里。",
    submitNetwork: "无法连接服务器；请检查网络后重新提交。你的代码仍在这里。",
    checkRight: "✓ 正确。",
    checkWrong: "✗ 不太对。",
    checkChooseFirst: "请先选择一个答案，再按“检查答案”。",
    running: "Python 正在运行你的代码…（按“停止”可结束）",
    hints: "提示",
    hintsShown: "已显示 {i}/{n} 条提示。",
    showHint: "显示一条提示",
    showNextHint: "显示下一条提示",
  },
};

const lang = document.body.dataset.lang in STRINGS ? document.body.dataset.lang : "en";

/**
 * The current language's text of a grading message: `{en, zh}` from the harness (or the worker),
 * falling back to English; a plain string is shown as it is.
 */
export function pick(message) {
  if (message == null) return "";
  if (typeof message === "string") return message;
  return message[lang] || message.en || "";
}

/** The current language's string for `key`, with `{name}` placeholders filled from `values`. */
export function t(key, values = {}) {
  const text = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
  const filled = text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
  return lang === "zh" ? spaceCjk(filled) : filled;
}
