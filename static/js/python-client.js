// The page's handle on the Python worker: loading, running with a time limit, stopping, and
// replacing the worker when Python cannot be interrupted.

const RUN_TIMEOUT_MS = 5000;
// How long an interrupt may take to land before we give up on it and replace the worker.
const INTERRUPT_GRACE_MS = 1000;
// How long a Run may wait for the rest of the standard library (once per Run), on a slow link.
const DOWNLOAD_GRACE_MS = 60_000;
const SIGINT = 2;
const REINTERRUPT_MS = 20;

export class PythonClient extends EventTarget {
  /**
   * @param {string} indexURL folder holding pyodide.mjs and virttutor-lock.json
   * @param {{timeoutMs?: number, interruptGraceMs?: number}} [options]
   */
  constructor(indexURL, { timeoutMs = RUN_TIMEOUT_MS, interruptGraceMs = INTERRUPT_GRACE_MS } = {}) {
    super();
    this.interruptGraceMs = interruptGraceMs;
    this.indexURL = new URL(indexURL, location.href).href;
    this.timeoutMs = timeoutMs;
    // The worker python-start.js started from the page's <head>, if it did, for this Pyodide.
    const early = window.virttutorEarlyPython;
    const adopt = early?.indexURL === this.indexURL ? early : null;
    if (early) delete window.virttutorEarlyPython;
    // Without cross-origin isolation there is no SharedArrayBuffer: Stop must kill the worker.
    this.interruptBuffer =
      adopt?.interruptBuffer ?? (self.crossOriginIsolated ? new Int8Array(new SharedArrayBuffer(1)) : null);
    this.state = "idle";
    this.nextId = 1;
    this.pending = null;
    this.restarts = 0;
    if (early && !adopt) early.worker.terminate();
    this.start(false, adopt);
  }

  /**
   * Starts (or restarts) the worker, or adopts the one python-start.js started early (`early`);
   * listeners get "status" events with {state, stage, seconds}.
   */
  start(restarting = false, early = null) {
    this.worker?.terminate();
    // A SIGINT left over from the killed worker must not interrupt the new one's first run.
    if (this.interruptBuffer) this.interruptBuffer[0] = 0;
    this.startedAt = early?.startedAt ?? performance.now();
    this.ready = new Promise((resolve) => {
      this.resolveReady = resolve;
    });
    this.setState(restarting ? "restarting" : "loading", "python");
    this.worker = early?.worker ?? new Worker(new URL("./python-worker.js", import.meta.url), { type: "module" });
    this.worker.addEventListener("message", (event) => this.onMessage(event.data));
    this.worker.addEventListener("error", (event) => {
      event.preventDefault();
      const message = event.message || "the Python worker could not start";
      // A worker that dies under learner code is replaced; one that cannot even load is an error.
      if (this.pending) {
        this.settle(this.pending.id, { kind: "crashed", message }, false);
        this.start(true);
      } else {
        this.fail(message);
      }
    });
    if (!early) {
      this.worker.postMessage({ type: "init", indexURL: this.indexURL, interruptBuffer: this.interruptBuffer });
      return;
    }
    // What the early worker said before this client listened, in order, as if heard now.
    this.worker.removeEventListener("message", early.onMessage);
    this.worker.removeEventListener("error", early.onError);
    for (const message of early.messages) this.onMessage(message);
    for (const message of early.errors) this.fail(message);
  }

  get seconds() {
    return (performance.now() - this.startedAt) / 1000;
  }

  setState(state, stage = null, message = null) {
    this.state = state;
    this.stage = stage;
    this.dispatchEvent(new CustomEvent("status", { detail: { state, stage, message, seconds: this.seconds } }));
  }

  onMessage(message) {
    switch (message.type) {
      case "stage":
        this.setState(this.state === "restarting" ? "restarting" : "loading", message.stage);
        break;
      case "ready": {
        // The worker's own step times (python-worker.js), for the benchmark. Its clock says when
        // it was ready even if this client heard it later (a message kept by python-start.js).
        this.timings = message.timings ?? null;
        const readyAt = this.timings && this.timings.origin + this.timings.ready - performance.timeOrigin;
        this.readySeconds = Number.isFinite(readyAt) ? Math.max(0, readyAt - this.startedAt) / 1000 : this.seconds;
        // Restored from the memory snapshot of an earlier visit (python-worker.js), not started cold.
        this.warm = Boolean(message.warm);
        this.setState("ready", "ready");
        this.resolveReady();
        break;
      }
      case "snapshot":
        // After a cold start: whether the next visit can restore Python (python-worker.js).
        this.snapshot = { saved: message.saved, message: message.message ?? null };
        break;
      case "load-error":
        this.fail(message.message);
        break;
      case "result": {
        // The harness reports a KeyboardInterrupt per case, as a failed case; after a Stop that
        // report describes our interrupt, not the learner's code.
        const stopped = this.pending?.id === message.id ? this.pending.stopReason : null;
        const outcome = stopped ? { kind: "stopped", reason: stopped } : { kind: "report", report: message.report };
        this.settle(message.id, outcome, !message.fatal);
        if (message.fatal) this.start(true);
        break;
      }
      case "download": {
        // The running program waits for the rest of Python's standard library (python-worker.js):
        // the network's time, not the program's, so its time limit starts again once it is here.
        // Once per Run and at most DOWNLOAD_GRACE_MS: the learner's code runs in that worker and
        // can post this message itself, and a loop of them switched its time limit off.
        const pending = this.pending;
        if (!pending || pending.stopReason) break;
        if (!message.done && !pending.download) {
          pending.download = "waiting";
          pending.timers.forEach(clearTimeout);
          pending.timers = [setTimeout(() => this.stop("timeout"), DOWNLOAD_GRACE_MS)];
        } else if (message.done && pending.download === "waiting") {
          pending.download = "done";
          pending.timers.forEach(clearTimeout);
          pending.timers = [setTimeout(() => this.stop("timeout"), this.timeoutMs)];
        }
        break;
      }
      case "interrupted":
        this.settle(message.id, { kind: "stopped", reason: this.pending?.stopReason ?? "timeout" });
        break;
      case "run-error":
        this.settle(message.id, { kind: "crashed", message: message.message }, false);
        this.start(true);
        break;
    }
  }

  fail(message) {
    const pending = this.pending;
    this.setState("error", null, message);
    if (pending) this.settle(pending.id, { kind: "crashed", message });
  }

  /**
   * Runs practice cases; resolves with {kind: "report", report} | {kind: "stopped", reason}
   * | {kind: "crashed", message}. Never rejects, never runs two programs at once.
   */
  run({ code, driver, cases, step_budget }) {
    if (this.state !== "ready") return Promise.resolve({ kind: "crashed", message: "Python is not ready" });
    const id = this.nextId++;
    if (this.interruptBuffer) this.interruptBuffer[0] = 0;
    const promise = new Promise((resolve) => {
      this.pending = { id, resolve, stopReason: null, timers: [] };
    });
    this.pending.timers.push(setTimeout(() => this.stop("timeout"), this.timeoutMs));
    this.setState("running", "running");
    this.worker.postMessage({ type: "run", id, code, driver, cases, step_budget });
    return promise;
  }

  /** Interrupts the running program ("user" = Stop button, "timeout" = ran too long). */
  stop(reason = "user") {
    const pending = this.pending;
    if (!pending || pending.stopReason) return;
    pending.stopReason = reason;
    if (this.interruptBuffer) {
      const buffer = this.interruptBuffer;
      buffer[0] = SIGINT;
      // Python clears the buffer when it raises KeyboardInterrupt, and the harness catches that
      // per case and goes on to the next one: keep interrupting until the whole run is over.
      pending.timers.push(
        setInterval(() => {
          if (buffer[0] === 0) buffer[0] = SIGINT;
        }, REINTERRUPT_MS),
      );
      // C code that never returns to the interpreter loop (or a wedged worker) ignores SIGINT.
      pending.timers.push(setTimeout(() => this.replaceWorker(pending), this.interruptGraceMs));
    } else {
      this.replaceWorker(pending);
    }
  }

  replaceWorker(pending) {
    if (this.pending !== pending) return;
    this.restarts += 1;
    this.settle(pending.id, { kind: "stopped", reason: pending.stopReason, restarted: true }, false);
    this.start(true);
  }

  settle(id, outcome, backToReady = true) {
    const pending = this.pending;
    if (!pending || pending.id !== id) return;
    pending.timers.forEach(clearTimeout); // clears the setInterval too: one timer list per spec
    this.pending = null;
    if (backToReady && this.state === "running") this.setState("ready", "ready");
    pending.resolve(outcome);
  }
}
