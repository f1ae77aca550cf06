// Module worker that owns Pyodide, so a slow load or a runaway program never blocks the page.
// Protocol (postMessage, plain JSON):
//   in:  {type: "init", indexURL, interruptBuffer?, snapshots?}
//   out: {type: "stage", stage} … {type: "ready", warm} | {type: "load-error", message}
//   in:  {type: "run", id, code, driver, cases, step_budget}
//   out: {type: "result", id, report, fatal?} | {type: "interrupted", id} | {type: "run-error", id, message}
// After `fatal` or "run-error" the page replaces this worker: Pyodide may be left inconsistent.

const PACKAGE = "virttutor-core";
// CPython's default, re-applied before every run: a learner who raises it lets recursion overflow
// the WebAssembly stack (measured: 5000 does in Chromium), which kills the interpreter.
const RECURSION_LIMIT = 1000;

let pyodide = null;
let runPractice = null;

// Python after the bundle is imported, as a Pyodide memory snapshot, kept per bundle: a return
// visit restores it instead of starting Python and importing everything again (docs/performance.md).
// SNAPSHOT_FORMAT changes whenever WARM_UP below does, so an old snapshot is never restored.
const SNAPSHOT_CACHE = "virttutor-python-snapshots";
const SNAPSHOT_FORMAT = 1;
// Imports every module of the bundle (a snapshot has the modules in memory, not the wheel's files
// on disk) and defines the one function the page calls.
const WARM_UP = `
import importlib, json, pkgutil, sys
import tutor
for _module in pkgutil.walk_packages(tutor.__path__, "tutor."):
    try:
        importlib.import_module(_module.name)
    except ImportError:
        pass  # a module the browser bundle leaves out
from tutor.grading.harness import practice

def _virttutor_practice(request_json):
    sys.setrecursionlimit(${RECURSION_LIMIT})
    request = json.loads(request_json)
    report = practice(request["code"], request["driver"], request["cases"], request["step_budget"])
    return json.dumps(report)
`;

async function init({ indexURL, interruptBuffer, snapshots = true }) {
  try {
    post({ type: "stage", stage: "python" });
    // The snapshot is read while Pyodide's module loads.
    const keyed = snapshots ? snapshotKey(indexURL) : Promise.resolve(null);
    const [{ loadPyodide }, key, saved] = await Promise.all([
      import(`${indexURL}pyodide.mjs`),
      keyed,
      keyed.then(readSnapshot),
    ]);
    const options = {
      indexURL,
      // Our lock file is Pyodide's plus the bundle; its sha256 becomes the fetch()'s Subresource
      // Integrity, so a tampered or stale wheel is refused by the browser before it is unpacked.
      lockFileURL: `${indexURL}virttutor-lock.json`,
      stdout: () => {},
      stderr: () => {},
    };
    const warm = saved && (await restore(loadPyodide, options, indexURL, key, saved));
    if (!warm) await coldStart(loadPyodide, options, indexURL, key);
    runPractice = pyodide.globals.get("_virttutor_practice");
    if (interruptBuffer) pyodide.setInterruptBuffer(interruptBuffer);
    post({ type: "ready", warm: Boolean(warm) });
    if (!warm && key) await saveSnapshot(key);
  } catch (error) {
    post({ type: "load-error", message: String(error?.message ?? error) });
  }
}

async function coldStart(loadPyodide, options, indexURL, key) {
  pyodide = await loadPyodide({ ...options, _makeSnapshot: Boolean(key) });
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
  pyodide.runPython(WARM_UP);
}

async function bundleEntry(indexURL) {
  const lock = await (await fetch(`${indexURL}virttutor-lock.json`)).json();
  return lock.packages[PACKAGE];
}

/** The snapshot's cache key: Pyodide's folder (its version), the bundle's sha256, our format. */
async function snapshotKey(indexURL) {
  try {
    if (!self.caches) return null;
    const { sha256 } = await bundleEntry(indexURL);
    return `${indexURL}virttutor-snapshot-${SNAPSHOT_FORMAT}-${sha256}.bin`;
  } catch {
    return null; // no snapshot: the cold start that follows says what is wrong, if anything
  }
}

async function readSnapshot(key) {
  if (!key) return null;
  try {
    const cached = await (await caches.open(SNAPSHOT_CACHE)).match(key);
    return cached ? new Uint8Array(await cached.arrayBuffer()) : null;
  } catch {
    return null;
  }
}

// The snapshot holds Python's memory, not its files: the bundle's files go back on disk, checked
// against the lock's sha256 like a cold load, for code that lists them (tutor.explanations reads
// its topics from its folder) or imports a module for the first time.
async function bundleFiles(indexURL) {
  const entry = await bundleEntry(indexURL);
  const digest = entry.sha256.match(/../g).map((byte) => Number.parseInt(byte, 16));
  const integrity = `sha256-${btoa(String.fromCharCode(...digest))}`;
  const response = await fetch(new URL(entry.file_name, indexURL), { integrity });
  if (!response.ok) throw new Error(`${entry.file_name}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

async function restore(loadPyodide, options, indexURL, key, bytes) {
  try {
    const files = bundleFiles(indexURL);
    files.catch(() => {}); // awaited below; a failure there means a cold start
    pyodide = await loadPyodide({ ...options, _loadSnapshot: bytes });
    pyodide.globals.get("_virttutor_practice").destroy(); // present, or this is no snapshot of ours
    const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
    pyodide.unpackArchive(await files, "zip", { extractDir: sitePackages });
    return true;
  } catch (error) {
    // A snapshot from another Pyodide build, or damaged: forget it and start cold.
    console.warn("Python snapshot not used:", error);
    await caches.open(SNAPSHOT_CACHE).then((cache) => cache.delete(key), () => {});
    pyodide = null;
    return false;
  }
}

async function saveSnapshot(key) {
  try {
    // Pyodide checks that the JS objects Python holds are still those of a fresh start; the one
    // listing loaded packages now names ours. Nothing loads packages after a restore, so the
    // snapshot may record it empty.
    const loaded = { ...pyodide.loadedPackages };
    for (const name of Object.keys(loaded)) delete pyodide.loadedPackages[name];
    let snapshot;
    try {
      snapshot = pyodide.makeMemorySnapshot();
    } finally {
      Object.assign(pyodide.loadedPackages, loaded);
    }
    const cache = await caches.open(SNAPSHOT_CACHE);
    // One snapshot per bundle: a new bundle's replaces the others.
    for (const old of await cache.keys()) if (old.url !== new URL(key).href) await cache.delete(old);
    await cache.put(key, new Response(snapshot, { headers: { "Content-Type": "application/octet-stream" } }));
  } catch (error) {
    console.warn("Python snapshot not saved:", error);
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
