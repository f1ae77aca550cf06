// Module worker that owns Pyodide, so a slow load or a runaway program never blocks the page.
// Protocol (postMessage, plain JSON):
//   in:  {type: "init", indexURL, interruptBuffer?}   out: {type: "stage", stage} … {type: "ready"} | {type: "load-error", message}
//   in:  {type: "run", id, code, driver, cases, step_budget}
//   out: {type: "result", id, report, fatal?} | {type: "interrupted", id} | {type: "run-error", id, message}
// After `fatal` or "run-error" the page replaces this worker: Pyodide may be left inconsistent.

const PACKAGE = "virttutor-core";
// CPython's default, re-applied before every run: a learner who raises it lets recursion overflow
// the WebAssembly stack (measured: 5000 does in Chromium), which kills the interpreter.
const RECURSION_LIMIT = 1000;

let pyodide = null;
let runPractice = null;

async function init({ indexURL, interruptBuffer }) {
  try {
    post({ type: "stage", stage: "python" });
    const { loadPyodide } = await import(`${indexURL}pyodide.mjs`);
    pyodide = await loadPyodide({
      indexURL,
      // Our lock file is Pyodide's plus the bundle; its sha256 becomes the fetch()'s Subresource
      // Integrity, so a tampered or stale wheel is refused by the browser before it is unpacked.
      lockFileURL: `${indexURL}virttutor-lock.json`,
      stdout: () => {},
      stderr: () => {},
    });
    post({ type: "stage", stage: "bundle" });
    let loadError = null;
    try {
      await pyodide.loadPackage(PACKAGE, {
        messageCallback: () => {},
        errorCallback: (message) => {
          loadError = message;
        },
      });
    } catch (error) {
      loadError = String(error?.message ?? error);
    }
    // loadPackage reports most failures through errorCallback instead of rejecting.
    if (loadError) throw new Error(await explainBundleFailure(indexURL, loadError));
    runPractice = pyodide.runPython(`
import json, sys
from tutor.grading.harness import practice

def _virttutor_practice(request_json):
    sys.setrecursionlimit(${RECURSION_LIMIT})
    request = json.loads(request_json)
    report = practice(request["code"], request["driver"], request["cases"], request["step_budget"])
    return json.dumps(report)

_virttutor_practice
`);
    if (interruptBuffer) pyodide.setInterruptBuffer(interruptBuffer);
    post({ type: "ready" });
  } catch (error) {
    post({ type: "load-error", message: String(error?.message ?? error) });
  }
}

// The browser's integrity check only says "Failed to fetch"; tell a stale or tampered bundle apart
// from a network failure by hashing the bytes the server sends against the lock entry.
async function explainBundleFailure(indexURL, original) {
  try {
    const lock = await (await fetch(`${indexURL}virttutor-lock.json`)).json();
    const entry = lock.packages[PACKAGE];
    const response = await fetch(new URL(entry.file_name, indexURL), { cache: "no-store" });
    const digest = await crypto.subtle.digest("SHA-256", await response.arrayBuffer());
    const actual = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
    if (actual !== entry.sha256) {
      return (
        `the simulation bundle ${entry.file_name} does not match its sha256 in virttutor-lock.json ` +
        `(expected ${entry.sha256.slice(0, 12)}…, got ${actual.slice(0, 12)}…), so it was not loaded`
      );
    }
  } catch {
    // Diagnosis is best effort: the original error still says what failed.
  }
  return original;
}

function run({ id, code, driver, cases, step_budget }) {
  try {
    // One JSON string in and out keeps the JS↔Python conversion exact (no proxies to destroy).
    const request = JSON.stringify({ code, driver, cases, step_budget });
    const report = JSON.parse(runPractice(request));
    post({ type: "result", id, report });
  } catch (error) {
    if (error?.type === "KeyboardInterrupt") {
      post({ type: "interrupted", id });
    } else if (error?.type === "RecursionError") {
      post({ type: "result", id, report: recursionReport() });
    } else if (error instanceof RangeError) {
      // The JS stack overflowed under Python: the interpreter is unusable, so ask for a new one.
      post({ type: "result", id, report: recursionReport(), fatal: true });
    } else {
      post({ type: "run-error", id, message: String(error?.message ?? error) });
    }
  }
}

// The harness turns RecursionError into a case message; this covers recursion that escapes it
// (e.g. while the module is being imported inside the driver).
function recursionReport() {
  return {
    verdict: "error",
    score: 0,
    cases: [],
    // Both languages, as the harness writes them (tutor/grading/harness.py RECURSION).
    message: {
      en: "RecursionError: your code recursed too deeply (does it ever stop?)",
      zh: "RecursionError：你的代码递归太深了（它会停下来吗？）",
    },
  };
}

function post(message) {
  self.postMessage(message);
}

self.addEventListener("message", (event) => {
  const message = event.data;
  if (message.type === "init") init(message);
  else if (message.type === "run") run(message);
});
