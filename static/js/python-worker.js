// Module worker that owns Pyodide, so a slow load or a runaway program never blocks the page.
// Protocol (postMessage, plain JSON):
//   in:  {type: "init", indexURL, interruptBuffer?, snapshots?}
//   out: {type: "stage", stage} … {type: "ready", warm, timings} | {type: "load-error", message}
//   (timings: milliseconds since this worker's time origin at each step of the start, for
//   bench/self_study_timings.py and anyone asking where a slow start went)
//   out, after a cold start: {type: "snapshot", saved, message?} (the memory snapshot was kept)
//   in:  {type: "run", id, code, driver, cases, step_budget}
//   out: {type: "result", id, report, fatal?} | {type: "interrupted", id} | {type: "run-error", id, message}
//   out, during a run: {type: "download", done} (Python fetches the rest of its standard library)
// After `fatal` or "run-error" the page replaces this worker: Pyodide may be left inconsistent.

const PACKAGE = "virttutor-core";
// CPython's default, re-applied before every run: a learner who raises it lets recursion overflow
// the WebAssembly stack (measured: 5000 does in Chromium), which kills the interpreter.
const RECURSION_LIMIT = 1000;
// The member of the standard library's ZIP that names the modules sent apart (tutor/stdlib_core.py).
const REST_INDEX = "_virttutor_stdlib_rest.json";
const REST_FILE = "python_stdlib_rest.zip";

let pyodide = null;
let runPractice = null;

// Where the start-up time goes: each step's end, in ms on this worker's clock; `origin` is the
// worker's time origin on the wall clock, so the page can place these on its own timeline.
const timings = { origin: performance.timeOrigin, evaluated: performance.now() };
const mark = (name) => {
  timings[name] = performance.now();
};
// WebAssembly compilation is the largest step of a start and the one a browser's code cache
// removes: time it wherever Pyodide starts it.
for (const name of ["instantiateStreaming", "instantiate", "compileStreaming", "compile"]) {
  const original = WebAssembly[name];
  if (typeof original !== "function") continue;
  WebAssembly[name] = async function (...args) {
    const started = performance.now();
    try {
      return await original.apply(this, args);
    } finally {
      // Pyodide also compiles a few tiny modules; the big one is the one that took longest.
      const took = performance.now() - started;
      if (!(took < (timings.wasmMs ?? 0))) Object.assign(timings, { wasmMs: took, wasmStart: started, wasmVia: name });
    }
  };
}

// Python after the bundle is imported, as a Pyodide memory snapshot, kept per bundle: a return
// visit restores it instead of starting Python and importing everything again (docs/performance.md).
// It lives in the origin private file system (OPFS), one file named by the snapshot's key: a
// worker reads it with one synchronous call, ≈ 4× faster than a Cache Storage body, and before the
// lock file has arrived. SNAPSHOT_FORMAT changes whenever WARM_UP below or the file's layout does,
// so an old snapshot is never restored.
// OPFS is one per origin, and several copies of the course may share one (last year's and this
// year's on a school's GitHub Pages site, the Flask site and a static copy on one host): each
// keeps its snapshot in a folder of its own, named by where its scripts are (this worker's
// folder), so one copy saving never deletes the other's and alternating between them restores
// both. Snapshots of before that lay in SNAPSHOT_FOLDER itself; the first one saved here
// deletes them.
const SNAPSHOT_FOLDER = "virttutor-python-snapshot";
const COPY_FOLDER = encodeURIComponent(new URL("./", self.location.href).pathname);
const SNAPSHOT_FORMAT = 5;
// Where snapshots of format 2 were kept: deleted once a new one is saved.
const OLD_SNAPSHOT_CACHE = "virttutor-python-snapshots";
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

import importlib.machinery, zipimport

class _RestOfTheStandardLibrary:
    """The modules of the standard library the site sends apart (tutor/stdlib_core.py): the
    first import of one fetches their ZIP (a synchronous request: a worker may) and puts it on
    sys.path. Last on sys.meta_path, so it only ever sees names no other finder found."""

    def __init__(self, modules):
        self.modules = frozenset(modules)
        self.url = None
        self.loaded = False

    def find_spec(self, name, path=None, target=None):
        if path is not None or self.loaded or self.url is None or name not in self.modules:
            return None
        import js
        request = js.XMLHttpRequest.new()
        request.open("GET", self.url, False)
        request.responseType = "arraybuffer"
        # The page stops timing the program meanwhile: the wait is the network's.
        js.postMessage(js.JSON.parse('{"type": "download", "done": false}'))
        try:
            request.send()
            ok = request.status == 200
        except Exception:
            ok = False
        finally:
            js.postMessage(js.JSON.parse('{"type": "download", "done": true}'))
        if not ok:
            raise ModuleNotFoundError(
                f"the module {name!r} is downloaded the first time a program imports it, and "
                "the download failed (are you offline?); try again when connected",
                name=name,
            )
        where = "/lib/python_stdlib_rest.zip"
        with open(where, "wb") as file:
            file.write(request.response.to_py())
        sys.path.append(where)
        importlib.invalidate_caches()
        self.loaded = True
        return importlib.machinery.PathFinder.find_spec(name)

def _rest_of_the_standard_library():
    for entry in sys.path:
        if entry.endswith(".zip"):
            try:
                index = zipimport.zipimporter(entry).get_data("${REST_INDEX}")
            except (OSError, zipimport.ZipImportError):
                continue
            finder = _RestOfTheStandardLibrary(json.loads(index)["modules"])
            sys.meta_path.append(finder)
            return finder
    return None

_virttutor_rest = _rest_of_the_standard_library()

def _virttutor_practice(request_json):
    sys.setrecursionlimit(${RECURSION_LIMIT})
    request = json.loads(request_json)
    report = practice(request["code"], request["driver"], request["cases"], request["step_budget"])
    return json.dumps(report)
`;

async function init({ indexURL, interruptBuffer, snapshots = true }) {
  try {
    mark("init");
    post({ type: "stage", stage: "python" });
    // Everything below starts at once: Pyodide's loader and its runtime script (which the loader
    // would only fetch after it is itself imported; it skips a runtime already present), the lock
    // file (read once, for the snapshot's key and for Pyodide) and the saved snapshot.
    const loader = import(`${indexURL}pyodide.mjs`).then((module) => {
      mark("loaderImported");
      return module;
    });
    import(`${indexURL}pyodide.asm.js`).then(
      () => mark("runtimeImported"),
      () => {}, // loadPyodide fetches it again and reports what is wrong
    );
    const lock = fetch(`${indexURL}virttutor-lock.json`).then((response) => {
      if (!response.ok) throw new Error(`virttutor-lock.json: HTTP ${response.status}`);
      return response.json();
    });
    lock.catch(() => {}); // awaited by loadPyodide, which reports it
    const stored = snapshots ? readSnapshot() : Promise.resolve(null);
    const keyRead = (snapshots ? snapshotKey(indexURL, lock) : Promise.resolve(null)).then((key) => {
      mark("lockRead");
      return key;
    });
    const saved = await stored;
    const { loadPyodide } = await loader;
    const options = {
      indexURL,
      // Our lock file is Pyodide's plus the bundle; its sha256 becomes the fetch()'s Subresource
      // Integrity, so a tampered or stale wheel is refused by the browser before it is unpacked.
      lockFileContents: lock,
      packageBaseUrl: indexURL,
      stdout: () => {},
      stderr: () => {},
    };
    // The snapshot there is restored while the lock file is still on its way (the restore's
    // WebAssembly then starts ≈ 80 ms sooner); one of another bundle, Pyodide or format is
    // thrown away once the lock names the bundle, and the cold start replaces it.
    const warm = Boolean(saved) && (await restore(loadPyodide, options, saved, keyRead));
    const key = await keyRead;
    if (!warm) await coldStart(loadPyodide, options, indexURL, lock, key);
    runPractice = pyodide.globals.get("_virttutor_practice");
    // Where the rest of the standard library is, if this one was sent without it.
    pyodide.runPython(`if _virttutor_rest is not None: _virttutor_rest.url = ${JSON.stringify(new URL(REST_FILE, indexURL).href)}`);
    if (interruptBuffer) pyodide.setInterruptBuffer(interruptBuffer);
    // Nothing is typed in here: input() meets the end of input (EOFError), as in the server's
    // sandbox, instead of Pyodide's default, the window's prompt(), which a worker has not.
    pyodide.setStdin({ stdin: () => null });
    mark("ready");
    timings.resources = resourceTimings();
    post({ type: "ready", warm: Boolean(warm), timings });
    if (!warm && key) await saveSnapshot(key);
  } catch (error) {
    post({ type: "load-error", message: String(error?.message ?? error) });
  }
}

async function coldStart(loadPyodide, options, indexURL, lock, key) {
  pyodide = await loadPyodide({ ...options, _makeSnapshot: Boolean(key) });
  mark("pyodideLoaded");
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
  if (loadError) throw new Error(await explainBundleFailure(indexURL, lock, loadError));
  mark("bundleLoaded");
  pyodide.runPython(WARM_UP);
  mark("bundleImported");
}

/** The start of a snapshot's file name: our format and Pyodide's folder (its version). */
function snapshotPrefix(indexURL) {
  const pyodideFolder = new URL(indexURL).pathname.split("/").filter(Boolean).pop();
  return `snapshot-${SNAPSHOT_FORMAT}-${pyodideFolder}-`;
}

/** The snapshot's file name: its prefix and the bundle's sha256. */
async function snapshotKey(indexURL, lock) {
  try {
    if (!navigator.storage?.getDirectory) return null;
    const { sha256 } = (await lock).packages[PACKAGE];
    return `${snapshotPrefix(indexURL)}${sha256}.bin`;
  } catch {
    return null; // no snapshot: the cold start that follows says what is wrong, if anything
  }
}

// The snapshot holds Python's memory, not its files. The bundle's files (the wheel as unpacked
// on the cold start, checked against the lock's sha256 then) are kept beside it and written back
// before Python resumes, for code that lists them (tutor.explanations finds its topics in its
// folder): plain file writes, with no Python to run and no archive to unpack.
//
// One file: the memory (first, so Pyodide gets a view at offset 0), the packed files, then a
// footer of five little-endian uint32: the memory's length, the files' length, the standard
// library's (stdlibBytes), FOOTER_MAGIC and SNAPSHOT_FORMAT. A file cut short (a tab closed while
// it was written) has no valid footer.
const FOOTER_BYTES = 20;
const FOOTER_MAGIC = 0x56545353; // "VTSS"

const snapshotsOfAllCopies = async (create = false) =>
  (await navigator.storage.getDirectory()).getDirectoryHandle(SNAPSHOT_FOLDER, { create });
/** This copy's own folder of snapshots. */
const snapshotFolder = async (create = false) =>
  (await snapshotsOfAllCopies(create)).getDirectoryHandle(COPY_FOLDER, { create });

/** The saved snapshot as {name, memory, files}, or null: whatever is there, before its key is known. */
async function readSnapshot() {
  try {
    if (!navigator.storage?.getDirectory) return null;
    const folder = await snapshotFolder();
    const handles = [];
    for await (const handle of folder.values()) if (handle.kind === "file") handles.push(handle);
    if (!handles.length) return null;
    // Normally one; an old one another tab was reading when the new one was saved may remain.
    const found = handles.length === 1 ? handles[0] : await newest(handles);
    const bytes = await readWhole(found);
    mark("snapshotRead");
    const footer = new DataView(bytes.buffer, bytes.byteLength - FOOTER_BYTES, FOOTER_BYTES);
    const [memoryLength, filesLength, stdlib, magic, format] = [0, 4, 8, 12, 16].map((at) =>
      footer.getUint32(at, true),
    );
    if (magic !== FOOTER_MAGIC || format !== SNAPSHOT_FORMAT) return null;
    if (memoryLength + filesLength + FOOTER_BYTES !== bytes.byteLength) return null;
    return {
      name: found.name,
      stdlib,
      memory: new Uint8Array(bytes.buffer, 0, memoryLength),
      files: new Uint8Array(bytes.buffer, memoryLength, filesLength),
    };
  } catch {
    return null; // none saved yet (no folder), or unreadable: Python starts cold and saves one
  }
}

async function newest(handles) {
  const modified = await Promise.all(handles.map(async (handle) => (await handle.getFile()).lastModified));
  return handles[modified.indexOf(Math.max(...modified))];
}

// A read-only synchronous handle reads the file in one call, and several tabs may hold one; a
// browser without it (or while another tab writes the file) reads it as a File.
async function readWhole(handle) {
  let access = null;
  try {
    access = await handle.createSyncAccessHandle({ mode: "read-only" });
  } catch {
    return new Uint8Array(await (await handle.getFile()).arrayBuffer());
  }
  try {
    const bytes = new Uint8Array(access.getSize());
    const read = access.read(bytes, { at: 0 });
    if (read !== bytes.byteLength) throw new Error("the Python snapshot was read short");
    return bytes;
  } finally {
    access.close();
  }
}

async function restore(loadPyodide, options, saved, keyRead) {
  try {
    if (!saved.name.startsWith(snapshotPrefix(options.indexURL))) throw new Error("a snapshot of another Pyodide");
    const files = unpackFiles(saved.files);
    pyodide = await loadPyodide({
      ...options,
      _loadSnapshot: saved.memory,
      fsInit: (FS, { sitePackages }) => {
        mark("fsInit");
        writeFiles(FS, sitePackages, files);
      },
    });
    mark("pyodideLoaded");
    if (stdlibBytes(pyodide.FS) !== saved.stdlib) throw new Error("a snapshot made with another standard library");
    pyodide.globals.get("_virttutor_practice").destroy(); // present, or this is no snapshot of ours
    mark("bundleFiles");
    if ((await keyRead) !== saved.name) throw new Error("a snapshot of another bundle");
    return true;
  } catch (error) {
    // A snapshot of another Pyodide build, bundle or standard library, or damaged: forget it and
    // start cold.
    console.warn("Python snapshot not used:", error);
    await snapshotFolder().then((folder) => folder.removeEntry(saved.name), () => {});
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
    let memory;
    try {
      memory = pyodide.makeMemorySnapshot();
    } finally {
      Object.assign(pyodide.loadedPackages, loaded);
    }
    const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
    const files = packFiles(readFiles(pyodide.FS, sitePackages));
    const footer = new DataView(new ArrayBuffer(FOOTER_BYTES));
    [memory.byteLength, files.byteLength, stdlibBytes(pyodide.FS), FOOTER_MAGIC, SNAPSHOT_FORMAT].forEach((value, index) =>
      footer.setUint32(index * 4, value, true),
    );
    const folder = await snapshotFolder(true);
    // One snapshot per bundle and copy: a new bundle's replaces this copy's others (and the
    // snapshots kept before each copy had a folder, loose in the shared one).
    await removeFiles(folder, (name) => name !== key);
    await removeFiles(await snapshotsOfAllCopies(), () => true);
    await writeWhole(folder, key, [memory, files, new Uint8Array(footer.buffer)]);
    post({ type: "snapshot", saved: true });
    // Earlier versions kept the snapshot in Cache Storage: free that space.
    if (self.caches) await caches.delete(OLD_SNAPSHOT_CACHE).catch(() => {});
  } catch (error) {
    console.warn("Python snapshot not saved:", error);
    post({ type: "snapshot", saved: false, message: String(error?.message ?? error) });
  }
}

/** Deletes the files of `folder` (not its folders: other copies' snapshots) that `which` names. */
async function removeFiles(folder, which) {
  const names = [];
  for await (const handle of folder.values()) if (handle.kind === "file" && which(handle.name)) names.push(handle.name);
  for (const name of names) await folder.removeEntry(name).catch(() => {});
}

/**
 * Writes `parts` one after another as the file `name`, all of them or nothing: a write the
 * storage quota cuts short returns fewer bytes than it was given (or throws), and the file is
 * then deleted, not left as a snapshot that was never whole (it used to be reported as saved,
 * and each later visit started cold and wrote it again).
 */
async function writeWhole(folder, name, parts) {
  const total = parts.reduce((sum, part) => sum + part.byteLength, 0);
  const access = await (await folder.getFileHandle(name, { create: true })).createSyncAccessHandle();
  let whole = false;
  try {
    access.truncate(0);
    let at = 0;
    for (const part of parts) {
      const wrote = access.write(part, { at });
      at += wrote;
      if (wrote !== part.byteLength) throw new Error(`only ${at} of ${total} bytes could be written (storage full?)`);
    }
    access.flush();
    if (access.getSize() !== total) throw new Error(`the file holds ${access.getSize()} of ${total} bytes`);
    whole = true;
  } finally {
    access.close();
    if (!whole) await folder.removeEntry(name).catch(() => {});
  }
}

// Python's memory remembers where each standard-library module lies in the ZIP Pyodide loaded it
// from (zipimport's directory of /lib/python3XY.zip), so a snapshot must not be restored over
// another file: Pyodide's whole one, the core the Flask site sends (members stored) and the
// static copy's (deflated) hold the same modules at other places. Their sizes tell them apart
// (2.4, 5.5 and 1.4 MB for Pyodide 0.29.5).
function stdlibBytes(FS) {
  const name = FS.readdir("/lib").find((entry) => /^python\d+\.zip$/.test(entry));
  return name ? FS.stat(`/lib/${name}`).size : 0;
}

/** Every file under `root`, as [path relative to root, bytes]. */
function readFiles(FS, root, folder = "") {
  const found = [];
  for (const name of FS.readdir(`${root}/${folder}`)) {
    if (name === "." || name === "..") continue;
    const path = folder ? `${folder}/${name}` : name;
    const { mode } = FS.stat(`${root}/${path}`);
    if (FS.isDir(mode)) found.push(...readFiles(FS, root, path));
    else if (FS.isFile(mode)) found.push([path, FS.readFile(`${root}/${path}`)]);
  }
  return found;
}

function writeFiles(FS, root, files) {
  for (const [path, bytes] of files) {
    const slash = path.lastIndexOf("/");
    if (slash > 0) FS.mkdirTree(`${root}/${path.slice(0, slash)}`);
    FS.writeFile(`${root}/${path}`, bytes);
  }
}

// One buffer: a 4-byte length, a JSON list of [path, size], then the files' bytes in that order.
function packFiles(files) {
  const header = new TextEncoder().encode(JSON.stringify(files.map(([path, bytes]) => [path, bytes.length])));
  const total = files.reduce((sum, [, bytes]) => sum + bytes.length, 4 + header.length);
  const packed = new Uint8Array(total);
  new DataView(packed.buffer).setUint32(0, header.length);
  packed.set(header, 4);
  let offset = 4 + header.length;
  for (const [, bytes] of files) {
    packed.set(bytes, offset);
    offset += bytes.length;
  }
  return packed;
}

function unpackFiles(packed) {
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const length = view.getUint32(0);
  const list = JSON.parse(new TextDecoder().decode(packed.subarray(4, 4 + length)));
  let offset = 4 + length;
  const files = list.map(([path, size]) => {
    const bytes = packed.subarray(offset, offset + size);
    offset += size;
    return [path, bytes];
  });
  if (offset !== packed.byteLength) throw new Error("the saved bundle files are damaged");
  return files;
}

// The browser's integrity check only says "Failed to fetch"; tell a stale or tampered bundle apart
// from a network failure by hashing the bytes the server sends against the lock entry.
async function explainBundleFailure(indexURL, lock, original) {
  try {
    const entry = (await lock).packages[PACKAGE];
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
    } else if (/Program terminated with exit\(/.test(String(error?.message))) {
      // os._exit() ends the whole interpreter: said as the harness says exit(), and a fresh one.
      post({ type: "result", id, report: exitedReport(), fatal: true });
    } else if (error?.type) {
      // A Python error that escaped the harness: the learner's code broke it (replaced builtins,
      // json or a harness module), as the server's grader says, not our traceback. This
      // interpreter keeps what the code replaced, so the next Run gets a fresh one.
      post({ type: "result", id, report: brokeReport(error), fatal: true });
    } else {
      post({ type: "run-error", id, message: String(error?.message ?? error) });
    }
  }
}

// As tutor/grading/harness.py words SystemExit.
function exitedReport() {
  return {
    verdict: "error",
    score: 0,
    cases: [],
    message: {
      en: "your code called exit() (SystemExit): return a value instead of exiting",
      zh: "你的代码调用了 exit()（SystemExit）：请返回一个值，而不是退出",
    },
  };
}

// As tutor/grading/child.py words it; the error's last line, not the harness's traceback.
function brokeReport(error) {
  const detail = String(error.message ?? error).trim().split("\n").pop();
  return {
    verdict: "error",
    score: 0,
    cases: [],
    message: { en: `your code broke the grader: ${detail}`, zh: `你的代码破坏了评测程序：${detail}` },
  };
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

/** Each file the start fetched: [name, start, end] in ms on this worker's clock. */
function resourceTimings() {
  return performance
    .getEntriesByType("resource")
    .map((entry) => [entry.name.split("/").pop(), Math.round(entry.startTime), Math.round(entry.responseEnd)]);
}

function post(message) {
  self.postMessage(message);
}

self.addEventListener("message", (event) => {
  const message = event.data;
  if (message.type === "init") init(message);
  else if (message.type === "run") run(message);
});
