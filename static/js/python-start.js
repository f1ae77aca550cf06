// Starts the Python worker from the lesson page's <head>, before the page's other scripts
// (CodeMirror, the editors, the animation and d3) are fetched and run: on a return visit Python
// is then restored from its snapshot while the page is still being built (docs/self-study.md).
// A classic script, so it runs as soon as it arrives; python-client.js adopts the worker and the
// messages it has sent so far. <script data-pyodide-index="…/pyodide-0.29.5/">.

(() => {
  const script = document.currentScript;
  if (location.protocol === "file:") {
    // A static copy opened from disk: module scripts and workers are refused there, so nothing
    // would ever finish loading. Say so instead of "Loading Python…" forever.
    const explain = () => {
      const status = document.getElementById("python-status");
      if (!status) return;
      status.dataset.state = "error";
      status.querySelector("progress")?.remove();
      status.querySelector(".python-status-text").textContent = status.dataset.fileNote;
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", explain);
    else explain();
    return;
  }
  if (!script || typeof Worker !== "function") return;
  const indexURL = new URL(script.dataset.pyodideIndex, location.href).href;
  // Without cross-origin isolation there is no SharedArrayBuffer: Stop must kill the worker.
  const interruptBuffer = self.crossOriginIsolated ? new Int8Array(new SharedArrayBuffer(1)) : null;
  const startedAt = performance.now();
  let worker;
  try {
    worker = new Worker(new URL("python-worker.js", script.src), { type: "module" });
  } catch {
    return; // python-client.js starts its own and reports what is wrong
  }
  const early = { worker, indexURL, interruptBuffer, startedAt, messages: [], errors: [] };
  early.onMessage = (event) => early.messages.push(event.data);
  early.onError = (event) => {
    event.preventDefault();
    early.errors.push(event.message || "the Python worker could not start");
  };
  worker.addEventListener("message", early.onMessage);
  worker.addEventListener("error", early.onError);
  worker.postMessage({ type: "init", indexURL, interruptBuffer });
  window.virttutorEarlyPython = early;
})();
