// A step player for any event trace. It knows nothing about hypervisors: a renderer folds events
// into states (reduce), draws a state (render) and says what happened (describe). Because every
// position's state is computed by folding from the start, stepping back is exact, never an undo.

import { joinList, lang, ui } from "./describe.js";

const SPEEDS = [0.5, 1, 2, 4];
// Milliseconds at 1×: a step stays on screen long enough to read its sentence.
const STEP_MS = 1600;
const TWEEN_MS = 600;

const reducedMotionQuery = () =>
  window.matchMedia?.("(prefers-reduced-motion: reduce)") ?? { matches: false, addEventListener() {} };

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text != null) node.textContent = text;
  return node;
}

/** Fills `node` with `text`, each part between backticks (how the text tables mark code) as <code>. */
function fillText(node, text) {
  const parts = String(text ?? "").split(/`([^`\n]+)`/);
  node.replaceChildren(...parts.map((part, i) => (i % 2 ? el("code", {}, part) : part)));
}

const isDict = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

/** A string as Python's repr() writes it: in single quotes unless it holds one and no double. */
function pyString(text) {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\t/g, "\\t");
  return quote + escaped.split(quote).join(`\\${quote}`) + quote;
}

/** A value the learner's Python returned, written as Python writes it (None, True, 'text'), not as JSON. */
function pyRepr(value) {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string") return pyString(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  if (isDict(value)) return `{${Object.entries(value).map(([k, v]) => `${pyString(k)}: ${pyRepr(v)}`).join(", ")}}`;
  return String(value);
}

/** One line about the state a replayed run left: its kind and size, or the value when short. */
function stateShape(value) {
  if (Array.isArray(value)) return value.length === 1 ? ui("stateListOne") : ui("stateList", { n: value.length });
  if (isDict(value)) {
    const keys = Object.keys(value);
    const shown = keys.length > 4 ? [...keys.slice(0, 4), "…"] : keys;
    return ui(keys.length === 1 ? "stateDictOne" : "stateDict", { n: keys.length, keys: joinList(shown) });
  }
  const text = pyRepr(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** That state, opened: a dict key by key, anything else whole, in a box of bounded height that
 * scrolls (and so takes focus, for keyboard users). */
function stateValue(value) {
  if (!isDict(value)) return el("pre", { class: "viz-state-value", tabindex: "0" }, pyRepr(value));
  const box = el("div", { class: "viz-state-value", tabindex: "0" });
  const list = el("dl", { class: "viz-state" });
  for (const [key, item] of Object.entries(value)) list.append(el("dt", {}, key), el("dd", {}, pyRepr(item)));
  box.append(list);
  return box;
}

function button(cls, icon, label) {
  const node = el("button", { type: "button", class: `viz-btn ${cls}` });
  node.append(el("span", { class: "viz-icon", "aria-hidden": "true" }, icon), el("span", { class: "viz-label" }, label));
  return node;
}

export class Player {
  /**
   * root: the .viz element (keyboard events are taken only inside it);
   * stage: the focusable element the renderer draws in;
   * renderer: { initial(scene), reduce(state, event, scene), render(state, info), describe(info) };
   * scenes: [{ id, label, group?, events }].
   */
  constructor(root, stage, renderer, scenes, { initialScene } = {}) {
    this.root = root;
    this.stage = stage;
    this.renderer = renderer;
    this.scenes = [];
    this.speed = 1;
    this.position = 0;
    this.timer = null;
    this.motion = reducedMotionQuery();
    this.motion.addEventListener?.("change", () => this.render(false));
    this.buildControls();
    for (const scene of scenes) this.scenes.push(scene);
    this.refreshScenePicker();
    this.selectScene(initialScene ?? scenes[0]?.id);
  }

  get reducedMotion() {
    return Boolean(this.motion.matches);
  }

  get length() {
    return this.scene ? this.scene.events.length : 0;
  }

  buildControls() {
    this.stage.tabIndex = 0;
    this.stage.setAttribute("role", "group");
    this.stage.setAttribute("aria-label", ui("stageLabel"));
    this.stage.setAttribute("aria-roledescription", ui("stageRole"));

    const bar = el("div", { class: "viz-controls", role: "group", "aria-label": ui("controls") });
    const sceneLabel = el("label", { class: "viz-field" });
    this.scenePicker = el("select", { class: "viz-scene" });
    sceneLabel.append(el("span", {}, ui("scene")), this.scenePicker);

    this.restartBtn = button("viz-restart", "⇤", ui("restart"));
    this.backBtn = button("viz-back", "←", ui("back"));
    this.playBtn = button("viz-play", "▶", ui("play"));
    this.forwardBtn = button("viz-forward", "→", ui("forward"));
    this.restartBtn.setAttribute("aria-keyshortcuts", "Home");
    this.backBtn.setAttribute("aria-keyshortcuts", "ArrowLeft");
    this.playBtn.setAttribute("aria-keyshortcuts", "Space K");
    this.forwardBtn.setAttribute("aria-keyshortcuts", "ArrowRight");

    const speedLabel = el("label", { class: "viz-field" });
    this.speedPicker = el("select", { class: "viz-speed" });
    for (const speed of SPEEDS) {
      const option = el("option", { value: String(speed) }, `${speed}×`);
      if (speed === this.speed) option.selected = true;
      this.speedPicker.append(option);
    }
    speedLabel.append(el("span", {}, ui("speed")), this.speedPicker);

    this.progress = el("span", { class: "viz-progress" });
    // A scrubber: jump to any step (keyboard: arrows, Home, End on the slider itself).
    this.scrubber = el("input", { type: "range", class: "viz-scrubber", min: "0", max: "0", value: "0", step: "1" });
    this.scrubber.setAttribute("aria-label", ui("scrubber"));
    this.scrubber.addEventListener("input", () => {
      this.pause();
      this.goTo(Number(this.scrubber.value), false);
    });
    bar.append(
      sceneLabel,
      this.restartBtn,
      this.backBtn,
      this.playBtn,
      this.forwardBtn,
      speedLabel,
      this.scrubber,
      this.progress,
    );

    // Polite: a sentence per step is announced after whatever the reader is saying, not over it.
    this.live = el("p", { class: "viz-live", "aria-live": "polite", "aria-atomic": "true" });
    const keys = el("p", { class: "viz-keys" }, ui("keys"));
    this.stage.after(bar, this.live, keys);
    // A replayed case's verdict: where its run left the reference, why, and the state it left.
    this.verdict = el("div", { class: "viz-verdict" });
    this.verdict.hidden = true;
    this.live.after(this.verdict);

    this.restartBtn.addEventListener("click", () => this.restart());
    this.backBtn.addEventListener("click", () => this.stepBack());
    this.forwardBtn.addEventListener("click", () => this.stepForward());
    this.playBtn.addEventListener("click", () => this.toggle());
    this.speedPicker.addEventListener("change", () => this.setSpeed(Number(this.speedPicker.value)));
    this.scenePicker.addEventListener("change", () => this.selectScene(this.scenePicker.value));
    this.root.addEventListener("keydown", (event) => this.onKey(event));
    this.root.addEventListener("click", (event) => this.focusStageOnClick(event));
  }

  /**
   * The keys work only while focus is inside the animation; otherwise Space and the arrows scroll
   * the page. A click on the picture, the narration or any other part that is not a control gives
   * the stage focus (without scrolling), so "click it, then press Space" always holds.
   */
  focusStageOnClick(event) {
    if (event.button !== 0 || document.activeElement === this.stage) return;
    if (event.target.closest?.("button, select, input, textarea, a, label, summary, [contenteditable]")) return;
    if (window.getSelection?.()?.toString()) return; // the learner is selecting text to copy
    this.stage.focus({ preventScroll: true });
  }

  onKey(event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    // Form controls keep their own keys (arrows change a select); buttons keep Space and Enter
    // so a click is never doubled by our shortcut.
    if (target.closest?.("select, input, textarea, [contenteditable]")) return;
    const onButton = Boolean(target.closest?.("button"));
    const key = event.key;
    let handled = true;
    if ((key === " " || key === "Spacebar") && !onButton) this.toggle();
    else if (key === "k" || key === "K") this.toggle();
    else if (key === "ArrowRight") this.pauseThen(() => this.stepForward());
    else if (key === "ArrowLeft") this.pauseThen(() => this.stepBack());
    else if (key === "Home") this.restart();
    else if (key === "End") this.pauseThen(() => this.goTo(this.length));
    else handled = false;
    if (handled) event.preventDefault();
  }

  pauseThen(action) {
    this.pause();
    action();
  }

  refreshScenePicker() {
    this.scenePicker.replaceChildren();
    const groups = new Map();
    for (const scene of this.scenes) {
      let parent = this.scenePicker;
      if (scene.group) {
        if (!groups.has(scene.group)) {
          const group = el("optgroup", { label: scene.group });
          groups.set(scene.group, group);
          this.scenePicker.append(group);
        }
        parent = groups.get(scene.group);
      }
      parent.append(el("option", { value: scene.id }, scene.label ?? scene.id));
    }
    if (this.scene) this.scenePicker.value = this.scene.id;
  }

  addScene(scene, { select = true } = {}) {
    const at = this.scenes.findIndex((s) => s.id === scene.id);
    if (at >= 0) this.scenes[at] = scene;
    else this.scenes.push(scene);
    this.refreshScenePicker();
    if (select) this.selectScene(scene.id);
  }

  selectScene(id) {
    const scene = this.scenes.find((s) => s.id === id) ?? this.scenes[0];
    if (!scene) return;
    this.pause();
    this.scene = scene;
    this.scenePicker.value = scene.id;
    this.states = [this.renderer.initial(scene)];
    this.position = 0;
    this.showVerdict(scene);
    this.render(false);
  }

  /**
   * The state after `p` steps. Each event is folded once, when a step first needs it, and kept:
   * every later step, forward or back, is a lookup. (Folding the whole scene on selection was
   * most of the first draw's script, before the learner asked for any step, #15.)
   */
  stateAt(p) {
    const events = this.scene.events;
    while (this.states.length <= p) {
      const previous = this.states[this.states.length - 1];
      const event = events[this.states.length - 1];
      let next;
      try {
        next = this.renderer.reduce(previous, event, this.scene);
      } catch (error) {
        console.warn("viz: event could not be applied", event, error);
        next = previous;
      }
      this.states.push(next ?? previous);
    }
    return this.states[p];
  }

  /** The index of the event where a failing replay leaves the reference run, or null. */
  departure(scene = this.scene) {
    const failure = scene?.failure;
    if (!failure || failure.departure == null) return null;
    return Math.min(failure.departure, scene.events.length);
  }

  showVerdict(scene) {
    const panel = this.verdict;
    panel.replaceChildren();
    panel.hidden = scene.kind !== "replay";
    if (panel.hidden) return;
    const failed = Boolean(scene.failure);
    panel.classList.toggle("is-failed", failed);
    const head = el("p", { class: "viz-verdict-head" });
    head.append(el("strong", {}, failed ? ui("replayFailed") : ui("replayPassed")));
    if (failed && scene.failure.message) {
      const message = el("span", { class: "viz-verdict-message" });
      fillText(message, scene.failure.message);
      head.append(lang() === "zh" ? "" : " ", message);
    }
    panel.append(head);
    const at = this.departure(scene);
    if (failed && at != null) {
      const jump = el("button", { type: "button", class: "viz-btn viz-to-departure" }, ui("toDeparture", { i: at + 1 }));
      jump.addEventListener("click", () => {
        this.pause();
        this.goTo(Math.min(at + 1, this.length), false);
        this.stage.focus({ preventScroll: true });
      });
      panel.append(jump);
    }
    if (scene.state != null && typeof scene.state === "object") {
      // Folded, with its kind and size on one line: a run's whole output (a list of hundreds of
      // ticks) must not push "Back to the exercise" thousands of pixels down a phone.
      const box = el("details", { class: "viz-state-box" });
      const summary = el("summary", { class: "viz-state-title" }, ui("gradedState"));
      summary.append(lang() === "zh" ? "" : " ", el("span", { class: "viz-state-shape" }, stateShape(scene.state)));
      box.append(summary, stateValue(scene.state));
      panel.append(box);
    }
    if (scene.back) {
      const back = el("a", { class: "viz-back-to-exercise", href: `#${scene.back}` }, ui("backToExercise"));
      back.addEventListener("click", (event) => {
        const target = document.getElementById(scene.back);
        if (!target) return;
        event.preventDefault();
        target.scrollIntoView({ block: "start" });
        // Focus where the learner left: the Replay button, brought into view (in a tall
        // exercise it sits far below the section's start, and focus out of sight is lost).
        const focus = target.querySelector(".result button.replay") ?? target.querySelector("h2");
        focus?.focus?.({ preventScroll: true });
        focus?.scrollIntoView?.({ block: "nearest" });
      });
      panel.append(back);
    }
  }

  setSpeed(speed) {
    this.speed = SPEEDS.includes(speed) ? speed : 1;
    this.speedPicker.value = String(this.speed);
    if (this.timer) this.schedule();
  }

  goTo(position, animate = true) {
    const clamped = Math.max(0, Math.min(this.length, position));
    if (clamped === this.position) return false;
    this.position = clamped;
    this.render(animate);
    return true;
  }

  stepForward() {
    return this.goTo(this.position + 1);
  }

  stepBack() {
    return this.goTo(this.position - 1);
  }

  restart() {
    this.pause();
    this.position = 0;
    this.render(false);
  }

  toggle() {
    if (this.timer) this.pause();
    else this.play();
  }

  play() {
    if (this.length === 0) return;
    if (this.position >= this.length) this.goTo(0, false);
    this.setPlaying(true);
    this.stepForward();
    this.schedule();
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.position >= this.length || !this.stepForward()) {
        this.pause();
        return;
      }
      if (this.position >= this.length) this.pause();
      else this.schedule();
    }, STEP_MS / this.speed);
  }

  pause() {
    clearTimeout(this.timer);
    this.timer = null;
    this.setPlaying(false);
  }

  setPlaying(playing) {
    if (!playing) this.timer = null;
    this.root.classList.toggle("is-playing", playing);
    this.playBtn.querySelector(".viz-icon").textContent = playing ? "❚❚" : "▶";
    this.playBtn.querySelector(".viz-label").textContent = playing ? ui("pause") : ui("play");
    this.playBtn.setAttribute("aria-pressed", String(playing));
  }

  render(animate = true) {
    const p = this.position;
    const n = this.length;
    const event = p > 0 ? this.scene.events[p - 1] : null;
    const info = {
      scene: this.scene,
      position: p,
      event,
      state: this.stateAt(p),
      previous: p > 0 ? this.stateAt(p - 1) : null,
      // No tweening when the reader asked for less motion: the picture jumps to each step.
      duration: animate && !this.reducedMotion ? TWEEN_MS / this.speed : 0,
      // A failing replay: renderers must never draw success on it, and mark the departure.
      failed: Boolean(this.scene.failure),
      departed: false,
    };
    const at = this.departure();
    if (at != null) info.departed = p > at || (at === n && p === n);
    try {
      this.renderer.render(info.state, info);
    } catch (error) {
      console.error("viz: render failed", error);
    }
    let text;
    try {
      text = event ? this.renderer.describe(info) : ui("ready", { scene: this.scene.label, n });
    } catch {
      text = "";
    }
    const gap = lang() === "zh" ? "" : " ";
    if (at != null && (p === at + 1 || (at === n && p === n))) {
      text = ui("departs", { message: this.scene.failure.message ?? "" }) + gap + text;
    }
    if (p === n && p > 0) text += gap + ui(info.failed ? "endedFailed" : "ended");
    this.root.classList.toggle("is-departed", info.departed);
    this.progress.textContent = ui("progress", { i: p, n });
    this.scrubber.max = String(n);
    this.scrubber.value = String(p);
    this.scrubber.setAttribute("aria-valuetext", ui("progress", { i: p, n }));
    this.root.dataset.step = String(p);
    fillText(this.live, text);
    // aria-disabled, not disabled: a disabled button drops focus, and with it the shortcuts.
    this.backBtn.setAttribute("aria-disabled", String(p === 0));
    this.forwardBtn.setAttribute("aria-disabled", String(p === n));
  }
}
