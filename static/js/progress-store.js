// The learner's progress in this browser, without an account: the best Run of each exercise,
// concept-check answers, lesson completion and where they left off, in IndexedDB (code stays in
// localStorage: the editor needs it synchronously, see code-store.js). Exported and imported as
// one JSON file, so progress can move to another browser or be offered to a course at sign-in.
//
// Records, one per key in the "progress" object store:
//   exercise:<id>        {lesson, passed, total, solved, solvedAt?, updatedAt}   best Run so far
//   check:<lesson>:<n>   {choice, right, at}                                     last Check pressed
//   lesson:<id>          {visitedAt, completedAt?}
//   last                 {lesson, path, at}                                      continue here

import { loadCode, saveCode } from "./code-store.js";

const DB_NAME = "virttutor";
const STORE = "progress";
export const FILE_FORMAT = "virttutor-progress";
export const FILE_VERSION = 1;
// A progress file holds text and a few numbers; anything this large is not one of ours.
const MAX_FILE_BYTES = 5 * 1024 * 1024;
const CODE_PREFIX = "virttutor:code:";

let opening = null;
// The connection `opening` gave, while it is usable.
let connection = null;

function openDb() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      if (!self.indexedDB) {
        reject(new Error("IndexedDB is not available"));
        return;
      }
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => {
        const db = request.result;
        connection = db;
        // Another tab upgrading or deleting the database (e.g. "start over") must not wait on us.
        db.onversionchange = () => forget(db);
        // The browser closed it: the learner cleared this site's data (or the browser evicted
        // it) with this tab open. The next write opens the database again, instead of every
        // later one failing on a dead connection for as long as the tab stays open.
        db.onclose = () => forget(db);
        resolve(db);
      };
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error("the progress database is blocked by another tab"));
    });
    opening.catch(() => {
      opening = null;
    });
  }
  return opening;
}

/** Drops a connection that can no longer be used, so the next transaction opens a new one. */
function forget(db) {
  if (connection === db) {
    connection = null;
    opening = null;
  }
  try {
    db.close();
  } catch {
    // already closed
  }
}

// What a connection the browser is closing says: Chromium throws this from transaction() (or
// aborts the transaction) before, or instead of, firing `close`.
const CLOSING = new Set(["InvalidStateError", "AbortError"]);

/**
 * Runs `work(store)` in one transaction; resolves with its result once the data is written. A
 * connection found closing is dropped and the transaction tried once more on a new one (`work`
 * only reads and writes in its transaction, so running it again is safe).
 */
async function transact(mode, work, retried = false) {
  const db = await openDb();
  try {
    return await transactOn(db, mode, work);
  } catch (error) {
    if (retried || !CLOSING.has(error?.name)) throw error;
    forget(db);
    return transact(mode, work, true);
  }
}

function transactOn(db, mode, work) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    let result;
    Promise.resolve(work(tx.objectStore(STORE))).then((value) => {
      result = value;
    }, reject);
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new DOMException("the progress transaction was aborted", "AbortError"));
  });
}

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Every record as a plain object `{key: value}`. */
export async function readAll() {
  return transact("readonly", async (store) => {
    const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
    return Object.fromEntries(keys.map((key, i) => [key, values[i]]));
  });
}

/** Read-modify-write of one record inside one transaction (two tabs cannot interleave). */
function update(key, change) {
  return transact("readwrite", async (store) => {
    const before = await request(store.get(key));
    const after = change(before);
    if (after !== undefined) store.put(after, key);
    return after;
  });
}

const now = () => new Date().toISOString();

/** Keeps the better of two results for one exercise: solved beats unsolved, then more cases. */
function better(a, b) {
  if (!a) return b;
  if (!b) return a;
  if (a.solved !== b.solved) return a.solved ? a : b;
  const ratio = (r) => (r.total ? r.passed / r.total : 0);
  return ratio(b) > ratio(a) ? b : a;
}

/** Notes a Run's report; keeps the best one. Resolves with the stored record. */
export function recordRun(exerciseId, lessonId, report) {
  if (!report || report.verdict === "error") return Promise.resolve(null);
  const total = report.total_count ?? report.cases?.length ?? 0;
  const passed = report.passed_count ?? (report.cases ?? []).filter((c) => c.passed).length;
  const solved = report.verdict === "passed" && total > 0 && passed === total;
  const at = now();
  const fresh = { lesson: lessonId, passed, total, solved, updatedAt: at, ...(solved ? { solvedAt: at } : {}) };
  return update(`exercise:${exerciseId}`, (before) => {
    const kept = better(before, fresh);
    // The first time it was solved stays the date on the record.
    if (before?.solvedAt && kept.solved) return { ...kept, solvedAt: before.solvedAt };
    return kept === before ? undefined : kept;
  });
}

export function recordCheck(lessonId, index, choice, right) {
  return update(`check:${lessonId}:${index}`, () => ({ choice: String(choice), right: Boolean(right), at: now() }));
}

export function recordVisit(lessonId, path) {
  const at = now();
  return transact("readwrite", async (store) => {
    const lesson = (await request(store.get(`lesson:${lessonId}`))) ?? {};
    store.put({ ...lesson, visitedAt: at }, `lesson:${lessonId}`);
    store.put({ lesson: lessonId, path, at }, "last");
  });
}

export function recordCompletion(lessonId) {
  return update(`lesson:${lessonId}`, (before) =>
    before?.completedAt ? undefined : { ...(before ?? {}), completedAt: now() },
  );
}

/**
 * Where a lesson stands, from its exercise ids and number of concept checks: complete when every
 * exercise has passed a Run and every check was last answered right (a lesson with neither is
 * complete once visited).
 */
export function lessonStatus(records, lessonId, exerciseIds, checkCount, alsoSolved = new Set()) {
  const solved = exerciseIds.filter((id) => records[`exercise:${id}`]?.solved || alsoSolved.has(id));
  let right = 0;
  for (let i = 0; i < checkCount; i++) if (records[`check:${lessonId}:${i}`]?.right) right += 1;
  const lesson = records[`lesson:${lessonId}`] ?? {};
  const nothingToDo = exerciseIds.length === 0 && checkCount === 0;
  const complete = nothingToDo ? Boolean(lesson.visitedAt) : solved.length === exerciseIds.length && right === checkCount;
  return { solved, right, complete, visited: Boolean(lesson.visitedAt), completedAt: lesson.completedAt ?? null };
}

// ---- Export and import ----------------------------------------------------------------------

function storedCode() {
  const code = {};
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (!key?.startsWith(CODE_PREFIX)) continue;
      const id = key.slice(CODE_PREFIX.length);
      if (id.includes(":")) continue; // ":previous" and other side copies are not progress
      code[id] = localStorage.getItem(key);
    }
  } catch {
    // Storage refused: the file simply carries no code.
  }
  return code;
}

/** The whole progress as the document a progress file holds. */
export async function exportProgress() {
  return {
    format: FILE_FORMAT,
    version: FILE_VERSION,
    exportedAt: now(),
    records: await readAll(),
    code: storedCode(),
  };
}

/** True when this browser holds any progress worth offering (e.g. to a course at sign-in). */
export async function hasProgress() {
  const doc = await exportProgress();
  return Object.keys(doc.records).length > 0 || Object.keys(doc.code).length > 0;
}

// ---- Offering this browser's progress at sign-in (course accounts, #13) --------------------

const OFFERED_PREFIX = "virttutor:progress-offered:";

/**
 * The hook for a sign-in page: this browser's progress document (as exportProgress() makes it)
 * to offer for import into `account` (any stable id, e.g. the user id), or null when there is
 * none or it was already offered to that account. Call markOffered(account) once the learner
 * has answered, whether they imported it or not; nothing here is sent anywhere by itself.
 */
export async function progressToOffer(account) {
  try {
    if (localStorage.getItem(OFFERED_PREFIX + account)) return null;
  } catch {
    // Storage refused: offer every time rather than never.
  }
  return (await hasProgress()) ? exportProgress() : null;
}

export function markOffered(account) {
  try {
    localStorage.setItem(OFFERED_PREFIX + account, new Date().toISOString());
  } catch {
    // Nothing to do: the offer will simply come again.
  }
}

/** A progress file that cannot be imported; `code` names the reason for the page's message. */
export class ProgressFileError extends Error {
  constructor(code, detail = "") {
    super(detail ? `${code}: ${detail}` : code);
    this.code = code;
    this.detail = detail;
  }
}

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const isTime = (v) => typeof v === "string" && !Number.isNaN(Date.parse(v));
const isCount = (v) => Number.isInteger(v) && v >= 0;
const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

function checkRecord(key, value) {
  const fail = () => {
    throw new ProgressFileError("badRecord", key);
  };
  if (!isObject(value)) fail();
  let match;
  if ((match = /^exercise:(.+)$/.exec(key))) {
    if (!ID.test(match[1]) || !isCount(value.passed) || !isCount(value.total) || value.passed > value.total) fail();
    if (typeof value.solved !== "boolean" || (value.lesson !== undefined && !ID.test(String(value.lesson)))) fail();
    if (!isTime(value.updatedAt) || (value.solvedAt !== undefined && !isTime(value.solvedAt))) fail();
  } else if ((match = /^check:([^:]+):(\d{1,3})$/.exec(key))) {
    if (!ID.test(match[1]) || typeof value.choice !== "string" || typeof value.right !== "boolean") fail();
    if (value.at !== undefined && !isTime(value.at)) fail();
  } else if ((match = /^lesson:(.+)$/.exec(key))) {
    if (!ID.test(match[1])) fail();
    for (const field of ["visitedAt", "completedAt"]) if (value[field] !== undefined && !isTime(value[field])) fail();
  } else if (key === "last") {
    if (!ID.test(String(value.lesson)) || typeof value.path !== "string" || !isTime(value.at)) fail();
  } else {
    fail();
  }
}

/** Parses and checks a progress file's text; throws ProgressFileError saying what is wrong. */
export function parseProgressFile(text) {
  if (typeof text !== "string" || text.length > MAX_FILE_BYTES) throw new ProgressFileError("tooLarge");
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ProgressFileError("notJson");
  }
  if (!isObject(doc) || doc.format !== FILE_FORMAT) throw new ProgressFileError("notProgress");
  if (!Number.isInteger(doc.version) || doc.version < 1) throw new ProgressFileError("notProgress");
  if (doc.version > FILE_VERSION) throw new ProgressFileError("newerVersion", String(doc.version));
  if (!isObject(doc.records) || (doc.code !== undefined && !isObject(doc.code))) throw new ProgressFileError("notProgress");
  for (const [key, value] of Object.entries(doc.records)) checkRecord(key, value);
  for (const [id, code] of Object.entries(doc.code ?? {})) {
    if (!ID.test(id) || typeof code !== "string") throw new ProgressFileError("badRecord", `code:${id}`);
  }
  return doc;
}

function merge(key, mine, theirs) {
  if (mine === undefined) return theirs;
  if (key.startsWith("exercise:")) {
    const kept = better(mine, theirs);
    const first = [mine.solvedAt, theirs.solvedAt].filter(Boolean).sort()[0];
    return kept.solved && first ? { ...kept, solvedAt: first } : kept;
  }
  if (key.startsWith("check:")) {
    // A right answer is never replaced by a wrong one; otherwise the later answer wins.
    if (mine.right !== theirs.right) return mine.right ? mine : theirs;
    return (theirs.at ?? "") > (mine.at ?? "") ? theirs : mine;
  }
  if (key.startsWith("lesson:")) {
    const earliest = (a, b) => [a, b].filter(Boolean).sort()[0];
    const latest = (a, b) => [a, b].filter(Boolean).sort().at(-1);
    const merged = { ...mine, ...theirs };
    const visitedAt = latest(mine.visitedAt, theirs.visitedAt);
    const completedAt = earliest(mine.completedAt, theirs.completedAt);
    if (visitedAt) merged.visitedAt = visitedAt;
    if (completedAt) merged.completedAt = completedAt;
    return merged;
  }
  return (theirs.at ?? "") > (mine.at ?? "") ? theirs : mine; // "last"
}

/**
 * Imports a progress file's text: checks all of it first (a bad file changes nothing), then
 * merges it with what is here, keeping the better of each (nothing already saved is lost).
 * Code that would replace different code here keeps the replaced code under
 * `virttutor:code:<id>:before-import`. Resolves with counts of what changed.
 */
export async function importProgress(text) {
  const doc = parseProgressFile(text);
  const changed = await transact("readwrite", async (store) => {
    let count = 0;
    for (const [key, theirs] of Object.entries(doc.records)) {
      const mine = await request(store.get(key));
      const merged = merge(key, mine, theirs);
      if (JSON.stringify(merged) !== JSON.stringify(mine)) {
        store.put(merged, key);
        count += 1;
      }
    }
    return count;
  });
  let code = 0;
  for (const [id, theirs] of Object.entries(doc.code ?? {})) {
    const mine = loadCode(id);
    if (mine === theirs) continue;
    if (mine !== null && !saveCode(id, mine, ":before-import")) continue; // never drop the current code
    if (saveCode(id, theirs)) code += 1;
  }
  return { records: changed, code };
}

/** Removes everything this module and code-store.js keep (tests, and "start over"). */
export async function clearProgress() {
  await transact("readwrite", (store) => store.clear());
}
