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
    noLessonData: "Run could not load what it checks your code against (is the connection down?). Press Run again to retry.",
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
    replayLabel: "Replay in the animation: case “{name}”",
    timedOut: "stopped: your code ran for more than {s} s (infinite loop?)",
    stoppedByYou: "stopped: you pressed Stop.",
    resetConfirm: "Replace your code with the starter code? Your current code is kept: press Ctrl+Z (⌘+Z) in the editor, or “Undo reset”, to bring it back.",
    resetDone: "Starter code restored.",
    undoReset: "Undo reset",
    noStorage: "Your browser does not let this page store data (private mode?), so your code will not be kept after a reload.",
    storageFull: "Your code could not be saved in this browser (storage full); copy it somewhere safe.",
    otherTab: "Updated with the code you wrote for this exercise in another tab (Ctrl+Z brings back what was here).",
    submitHttpError: "The server could not grade this submission (HTTP {status}). Your code is still here.",
    submitBusy: "The server is busy; try Submit again in {s} s. Your code is still here.",
    submitTooLarge: "Your code is too large to submit (the limit is 200 KB). Your code is still here.",
    submitNetwork: "The server could not be reached; check your connection and Submit again. Your code is still here.",
    submitOffline: "You are offline: Submit needs the network. Your code is kept here; Run still works. Submit again once you are back online.",
    checkRight: "✓ Right.",
    checkWrong: "✗ Not quite.",
    checkChooseFirst: "Choose an answer first, then press Check.",
    running: "Python is running your code… (Stop ends it)",
    hints: "Hints",
    hintsShown: "{i} of {n} hints shown.",
    showHint: "Show a hint",
    showNextHint: "Show the next hint",
    // Progress in this browser (self-study.js)
    exerciseSolved: "solved",
    lessonCompleted: "completed",
    solvedOfOne: "{done} of {num} exercise solved",
    solvedOfMany: "{done} of {num} exercises solved",
    continueWhereLeft: "Continue where you left off:",
    exported: "Progress file saved. Import it on the “Your progress” page of another browser.",
    imported: "Imported: {records} records updated, code for {code} exercises. Nothing already here was lost.",
    importNotJson: "“{name}” is not a progress file (it is not JSON). Nothing was changed.",
    importNotProgress: "“{name}” is not a VirtTutor progress file. Nothing was changed.",
    importNewer: "“{name}” was written by a newer VirtTutor (format {detail}); update this copy first. Nothing was changed.",
    importTooLarge: "“{name}” is too large to be a progress file. Nothing was changed.",
    importBadRecord: "“{name}” is damaged (entry “{detail}” is not valid). Nothing was changed.",
    importFailed: "“{name}” could not be imported: {detail}. Nothing was changed.",
    recordNotRun: "not run",
    recordSolved: "✓ solved: all {total} practice cases pass ({date})",
    recordPartly: "{passed} of {total} practice cases pass",
    recordChecks: "{right} of {num} right",
    recordCompleted: "✓ completed",
    recordCompletedOn: "✓ completed {date}",
    recordInProgress: "in progress",
    recordNotStarted: "not started",
    recordSummary: "{done} of {num} lessons completed, as of {date}.",
    progressUnavailable: "This browser does not let the page keep your progress (private mode?).",
    // The offer, after signing in, to bring this browser's progress into the account (progress-offer.js)
    offerTitle: "Progress from this browser",
    offerText:
      "Before you signed in, this browser kept your work — exercises solved: {exercises}; concept checks answered: {checks}. Bring it into your account? Your solutions are graded again on the server, and then count on every device and in your courses.",
    offerAccept: "Bring it into my account",
    offerDecline: "No, keep it in this browser only",
    offerRetry: "Try again",
    offerSending: "Sending your progress…",
    offerProgress: "Sending your progress… ({done} of {total})",
    offerDone:
      "Brought into your account — solutions graded on the server: {graded} ({passed} passed; already solved there: {skipped}); concept-check answers recorded: {answers}. This browser keeps its own copy too.",
    offerPartly:
      "Not everything was brought in: {failed}. Solutions graded: {graded}; answers recorded: {answers}. Try again for the rest; nothing in this browser was changed.",
    offerDeclined: "Kept in this browser only. You can still export it from “Your progress”.",
    offerUnreachable: "the server could not be reached ({detail})",
    offerStillGrading: "still being graded; see your submissions later",
    // The static copy (no server, no Submit): t() prefers these to the keys without the suffix.
    passedPracticeSelfStudy: "All {total} practice cases pass: solved.",
    practiceMetaSelfStudy: "Checked in your browser.",
    loadFailedSelfStudy: "Python could not be loaded: {msg}. Reload the page to try again.",
  },
  zh: {
    loadingPython: "正在加载 Python…",
    loadingBundle: "正在加载模拟器…",
    ready: "Python 已就绪（{s} 秒）。",
    restarting: "正在重启 Python…",
    loadFailed: "无法加载 Python：{msg}。请刷新页面重试；“提交”仍然可用。",
    crashed: "Python 意外停止：{msg}",
    waitingForPython: "Python 仍在加载；加载完成后会立即运行你的代码。",
    noLessonData: "“运行”无法加载用来检查你代码的数据（网络断开了吗？）。请再按一次“运行”重试。",
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
    replayLabel: "在动画中回放：用例“{name}”",
    timedOut: "已停止：你的代码运行超过 {s} 秒（死循环？）",
    stoppedByYou: "已停止：你按下了“停止”。",
    resetConfirm: "用初始代码替换你的代码吗？当前代码会被保留：在编辑器中按 Ctrl+Z（⌘+Z）或点击“撤销重置”即可找回。",
    resetDone: "已恢复初始代码。",
    undoReset: "撤销重置",
    noStorage: "你的浏览器不允许本页面保存数据（隐私模式？），刷新后代码将不会保留。",
    storageFull: "无法在此浏览器中保存你的代码（存储已满）；请把代码复制到安全的地方。",
    otherTab: "已换成你在另一个标签页中为这道练习写的代码（按 Ctrl+Z 可恢复这里原来的内容）。",
    submitHttpError: "服务器无法评测这次提交（HTTP {status}）。你的代码仍在这里。",
    submitBusy: "服务器繁忙；请在 {s} 秒后重新提交。你的代码仍在这里。",
    submitTooLarge: "代码太大，无法提交（上限为 200 KB）。你的代码仍在这里。",
    submitNetwork: "无法连接服务器；请检查网络后重新提交。你的代码仍在这里。",
    submitOffline: "你现在处于离线状态：“提交”需要联网。你的代码保留在这里，“运行”照常可用。恢复联网后再提交。",
    checkRight: "✓ 正确。",
    checkWrong: "✗ 不太对。",
    checkChooseFirst: "请先选择一个答案，再按“检查答案”。",
    running: "Python 正在运行你的代码…（按“停止”可结束）",
    hints: "提示",
    hintsShown: "已显示 {i}/{n} 条提示。",
    showHint: "显示一条提示",
    showNextHint: "显示下一条提示",
    // 本浏览器中的学习进度（self-study.js）
    exerciseSolved: "已解决",
    lessonCompleted: "已完成",
    solvedOfOne: "已完成 {num} 个练习中的 {done} 个",
    solvedOfMany: "已完成 {num} 个练习中的 {done} 个",
    continueWhereLeft: "从上次离开的地方继续：",
    exported: "进度文件已保存。在另一个浏览器的“我的进度”页面导入即可。",
    imported: "已导入：更新了 {records} 条记录，{code} 道练习的代码。原有内容都没有丢失。",
    importNotJson: "“{name}”不是进度文件（不是 JSON）。没有做任何更改。",
    importNotProgress: "“{name}”不是 VirtTutor 的进度文件。没有做任何更改。",
    importNewer: "“{name}”由更新版本的 VirtTutor 生成（格式 {detail}），请先更新本站点。没有做任何更改。",
    importTooLarge: "“{name}”太大，不可能是进度文件。没有做任何更改。",
    importBadRecord: "“{name}”已损坏（条目“{detail}”无效）。没有做任何更改。",
    importFailed: "无法导入“{name}”：{detail}。没有做任何更改。",
    recordNotRun: "尚未运行",
    recordSolved: "✓ 已解决：{total} 个练习用例全部通过（{date}）",
    recordPartly: "{total} 个练习用例中有 {passed} 个通过",
    recordChecks: "答对 {right}/{num} 题",
    recordCompleted: "✓ 已完成",
    recordCompletedOn: "✓ {date} 完成",
    recordInProgress: "学习中",
    recordNotStarted: "尚未开始",
    recordSummary: "截至 {date}，已完成 {done}/{num} 课。",
    progressUnavailable: "此浏览器不允许本页面保存你的学习进度（隐私模式？）。",
    offerTitle: "此浏览器中的学习进度",
    offerText:
      "登录之前，此浏览器保存了你的学习成果：已解出练习 {exercises} 道，已回答概念检测 {checks} 题。要把它们带入你的账号吗？你的解答会在服务器上重新评测，之后在所有设备和你的课程中都算数。",
    offerAccept: "带入我的账号",
    offerDecline: "不用，只保留在此浏览器中",
    offerRetry: "重试",
    offerSending: "正在发送你的学习进度…",
    offerProgress: "正在发送你的学习进度…（{done} / {total}）",
    offerDone:
      "已带入你的账号：在服务器上评测的解答 {graded} 份（通过 {passed} 份；服务器上早已解出 {skipped} 道），记录的概念检测答案 {answers} 个。此浏览器也保留自己的一份。",
    offerPartly:
      "有些内容没有带入：{failed}。已评测的解答 {graded} 份，已记录的答案 {answers} 个。请重试其余部分；此浏览器中的内容没有任何改动。",
    offerDeclined: "只保留在此浏览器中。你仍可以在“我的进度”页面导出它。",
    offerUnreachable: "无法连接服务器（{detail}）",
    offerStillGrading: "仍在评测中，请稍后查看你的提交",
    passedPracticeSelfStudy: "{total} 个练习用例全部通过：已解决。",
    practiceMetaSelfStudy: "在你的浏览器中检查。",
    loadFailedSelfStudy: "无法加载 Python：{msg}。请刷新页面重试。",
  },
};

const lang = document.body.dataset.lang in STRINGS ? document.body.dataset.lang : "en";
const selfStudyOnly = document.body.dataset.selfStudy === "only";

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
  // The static copy has no Submit: where a string mentions it, that copy has its own variant.
  if (selfStudyOnly && `${key}SelfStudy` in STRINGS.en) key = `${key}SelfStudy`;
  const text = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
  const filled = text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
  return lang === "zh" ? spaceCjk(filled) : filled;
}
