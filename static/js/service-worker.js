// The offline copy of the course (served as sw.js; tutor/web/offline.py puts the first line,
// self.VIRTTUTOR_OFFLINE = {version, precache: [[url, sha256 | null], ...]}, in front of this).
//
// - install: fills the cache of this version with every lesson page, Pyodide, the simulation
//   bundle and every asset. A file whose sha256 is unchanged is copied from an older cache, or
//   taken from the browser's HTTP cache where the page has just loaded it, instead of downloaded
//   again; pages are always fetched fresh.
// - activate: drops this copy's caches of older versions and takes over open pages.
// - fetch: pages network-first (the server may know newer progress), falling back to the cache
//   when offline; everything else cache-first, unless the cached copy is not the version the
//   URL names (after a deploy). POSTs (Submit) always go to the network.
// Several copies of the course may share one origin, each its own registration (a school's
// GitHub Pages site holds last year's copy and this year's at /courses/a/ and /courses/b/, or the
// Flask site and a static copy share a host): each owns the caches named after its scope and
// deletes only those, never another copy's offline course. A file is still reused from any
// copy's cache when its sha256 is the one listed.
// The Pyodide memory snapshot (python-worker.js) lives in the origin private file system.

const { version, precache } = self.VIRTTUTOR_OFFLINE;
// "virttutor-offline <scope> <version>": a serialized URL never holds a space, so a name says
// exactly which copy it belongs to (the scope /a/ is no prefix of /a/b/'s name).
const FAMILY = "virttutor-offline";
const SCOPE = self.registration.scope;
const OWN = `${FAMILY} ${SCOPE} `;
const CACHE = OWN + version;
// Before caches were named by scope: "virttutor-offline-<version>", whichever copy made it.
const UNSCOPED = `${FAMILY}-`;
const HASH_HEADER = "X-VirtTutor-Sha256";
// A page slower than this online is answered from the cache (a train's flaky connection).
const PAGE_TIMEOUT_MS = 4000;

const absolute = (path) => new URL(path, self.location.href).href;

// The cache's key for a URL: a static file named by content (`lesson.js?v=<sha256 prefix>`, #15)
// is kept under its plain path, which ES modules and Pyodide use to import each other. Lookups
// are then exact: Chromium answers `ignoreSearch` by reading every entry of the cache (≈ 90),
// which made each of a page's requests wait (docs/performance.md).
const VERSION_QUERY = /^\?v=[\w-]*$/;
function keyOf(url) {
  const parsed = new URL(url, self.location.href);
  if (VERSION_QUERY.test(parsed.search)) parsed.search = "";
  return parsed.href;
}

/** Every other cache of the course on this origin: this copy's older ones and other copies'. */
async function otherCaches() {
  const names = (await caches.keys()).filter((name) => name.startsWith(FAMILY) && name !== CACHE);
  return Promise.all(names.map((name) => caches.open(name)));
}

// A file whose listed sha256 another cache holds: under the same URL (this copy's older
// version), else under any URL (another copy at another path, or this one before it moved).
// `byHash`: that index, made once per fill, when first needed.
async function fromOlderCache(others, byHash, key, sha256) {
  for (const cache of others) {
    const old = await cache.match(key);
    if (old && old.headers.get(HASH_HEADER) === sha256) return old;
  }
  const found = (await byHash()).get(sha256);
  return found ? found.cache.match(found.request) : null;
}

/** sha256 → where a copy of those bytes is kept, over the given caches. */
async function indexByHash(others) {
  const index = new Map();
  for (const cache of others) {
    for (const request of await cache.keys()) {
      const sha256 = (await cache.match(request))?.headers.get(HASH_HEADER);
      if (sha256 && !index.has(sha256)) index.set(sha256, { cache, request });
    }
  }
  return index;
}

// A stored copy carries the hash it was checked against, so the next version can reuse it.
// `body`: the response's bytes when they were read already (to check them).
function withHash(response, sha256, body = response.body) {
  const headers = new Headers(response.headers);
  if (sha256) headers.set(HASH_HEADER, sha256);
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// The file as the page has just loaded it, from the browser's HTTP cache (by the URL listed or
// by its plain path, which Pyodide and ES modules use), when its bytes are the listed ones: a
// first visit then downloads Pyodide once, not twice (offline.js registers this worker after
// Python is ready). Never the network: `only-if-cached` answers from the cache or fails.
async function alreadyLoaded(url, sha256) {
  for (const candidate of new Set([url, keyOf(url)])) {
    try {
      const response = await fetch(candidate, { cache: "only-if-cached", mode: "same-origin" });
      if (!response.ok) continue;
      const bytes = await response.arrayBuffer();
      if (hex(await crypto.subtle.digest("SHA-256", bytes)) !== sha256) continue;
      return withHash(response, sha256, bytes);
    } catch {
      // not in the HTTP cache
    }
  }
  return null;
}

async function fill() {
  const cache = await caches.open(CACHE);
  const others = await otherCaches();
  let index = null;
  const byHash = () => (index ??= indexByHash(others));
  await Promise.all(
    precache.map(async ([path, sha256]) => {
      const url = absolute(path);
      const key = keyOf(url);
      const reused = sha256
        ? ((await fromOlderCache(others, byHash, key, sha256)) ?? (await alreadyLoaded(url, sha256)))
        : null;
      if (reused) return cache.put(key, reused);
      // Without cookies: what every user of this browser may see offline, never an account's
      // page.
      const response = await fetch(url, { cache: "no-cache", credentials: "omit" });
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      return cache.put(key, withHash(response, sha256));
    }),
  );
}

self.addEventListener("install", (event) => {
  // A failed fill (the network dropped halfway) leaves the previous version in charge.
  event.waitUntil(fill().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name === CACHE) continue;
        if (name.startsWith(OWN) || (name.startsWith(UNSCOPED) && (await heldOurPages(name)))) await caches.delete(name);
      }
      // The browser asks the server for a page while this worker starts, instead of after.
      await self.registration.navigationPreload?.enable();
      await self.clients.claim();
    })(),
  );
});

// A cache of the unscoped kind names no copy; it was this copy's if it holds one of this
// copy's pages (each copy's pages are under its own path). Those are deleted once, as this copy
// moves to caches named by scope; another copy's stays until that copy updates.
async function heldOurPages(name) {
  const cache = await caches.open(name);
  const kept = new Set((await cache.keys()).map((request) => request.url));
  return precache.some(([path, sha256]) => sha256 === null && kept.has(keyOf(absolute(path))));
}

// A static host sends no COOP/COEP; adding them here makes the page cross-origin isolated, so
// Stop can interrupt Python instead of restarting it (see browser-runtime.md). A response that
// already has them (the Flask site sends its own) is left as it is.
function isolated(response) {
  if (response.headers.has("Cross-Origin-Opener-Policy") || response.type === "opaqueredirect") return response;
  const headers = new Headers(response.headers);
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  headers.set("Cross-Origin-Embedder-Policy", "credentialless");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

// The live site's pages in each language: cached as `<page>?lang=<code>` (offline.py), by the
// language the server says a page is in (Content-Language); offline, a page is answered in the
// language the URL asks for, else the one the learner last read or chose, else the browser's.
// (The static copy's pages are /en/… and /zh/…: they carry no Content-Language and are kept
// under their own URLs.)
const LANGUAGE_CACHE = "virttutor-language";
const LANGUAGE_KEY = absolute("./virttutor-language");
let language = null;

function pageKey(url, code) {
  if (!code) return keyOf(url);
  const parsed = new URL(url);
  parsed.search = `?lang=${encodeURIComponent(code)}`;
  return parsed.href;
}

async function rememberLanguage(code) {
  if (!code || code === language) return;
  language = code;
  await (await caches.open(LANGUAGE_CACHE)).put(LANGUAGE_KEY, new Response(code));
}

async function readerLanguage(url) {
  const asked = new URL(url).searchParams.get("lang");
  if (asked) return asked;
  if (!language) language = (await (await (await caches.open(LANGUAGE_CACHE)).match(LANGUAGE_KEY))?.text()) ?? null;
  return language ?? (self.navigator.language?.toLowerCase().startsWith("zh") ? "zh" : "en");
}

// The live site's language switch, `/lang/<code>?next=<page>`, offline: the choice is noted
// (here and in the cookie the server reads once back online) and the page opens from the cache.
const LANGUAGE_SWITCH = /\/lang\/([\w-]+)$/;

async function switchLanguageOffline(url) {
  const parsed = new URL(url);
  const code = parsed.pathname.match(LANGUAGE_SWITCH)[1];
  const next = new URL(parsed.searchParams.get("next") || "/", self.location.origin);
  if (next.origin !== self.location.origin) next.href = self.location.origin + "/";
  next.searchParams.delete("lang");
  await rememberLanguage(code);
  const cookie = `lang=${encodeURIComponent(code)}; path=/; max-age=31536000; samesite=lax`;
  const literal = (text) => JSON.stringify(text).replace(/</g, "\\u003c");
  const html = `<!doctype html><meta charset="utf-8"><script>document.cookie = ${literal(cookie)};
location.replace(${literal(next.href)});</script>`;
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

// Whether the browser was signed in at its last page (the server marks an account's pages). The
// cache holds only pages as a visitor without an account sees them, so a signed-in learner on a
// slow server waits for their own page rather than get one that looks signed out; only with no
// network at all does the cached page answer.
const ACCOUNT_KEY = absolute("./virttutor-signed-in");
let signedIn = null;

async function rememberAccount(response) {
  const now = response.headers.has("VirtTutor-Signed-In");
  if (now === signedIn) return;
  signedIn = now;
  await (await caches.open(LANGUAGE_CACHE)).put(ACCOUNT_KEY, new Response(now ? "1" : ""));
}

async function wasSignedIn() {
  if (signedIn === null) signedIn = Boolean(await (await (await caches.open(LANGUAGE_CACHE)).match(ACCOUNT_KEY))?.text());
  return signedIn;
}

async function page(request, preloaded, waitUntil) {
  const cache = await caches.open(CACHE);
  // ignoreVary: the site varies pages on Cookie / Accept-Language, which a navigation does not expose.
  const cached = (key) => cache.match(key, { ignoreVary: true });
  try {
    const controller = new AbortController();
    let timer;
    const patient = await wasSignedIn();
    const late = new Promise((_, reject) => {
      if (patient) return; // (see wasSignedIn)
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error(`no answer in ${PAGE_TIMEOUT_MS} ms`));
      }, PAGE_TIMEOUT_MS);
    });
    // The navigation preload's answer when there is one (see activate), else our own request.
    const online = (async () => (await preloaded) ?? fetch(request, { signal: controller.signal }))();
    const response = await Promise.race([online, late]);
    clearTimeout(timer);
    if (response.ok) waitUntil(rememberAccount(response));
    // Keep the newest copy of a page we cache anyway (a lesson, the outline...), after answering.
    // Never an account's page (the server marks it): the cache is shared by everyone who uses
    // this browser and outlives signing out.
    if (response.ok && !response.redirected && !response.headers.has("VirtTutor-Signed-In")) {
      const copy = response.clone();
      const code = response.headers.get("Content-Language");
      waitUntil(
        (async () => {
          await rememberLanguage(code);
          for (const key of new Set([pageKey(request.url, code), keyOf(request.url)])) {
            if (await cached(key)) return cache.put(key, copy);
          }
        })(),
      );
    }
    return isolated(response);
  } catch (error) {
    if (LANGUAGE_SWITCH.test(new URL(request.url).pathname)) return switchLanguageOffline(request.url);
    // Offline: the page as cached in the reader's language; else as cached at all (one asked
    // for with a query, `?continue`, by its path alone).
    const copy =
      (await cached(pageKey(request.url, await readerLanguage(request.url)))) ??
      (await cached(keyOf(request.url))) ??
      (await cache.match(request, { ignoreSearch: true, ignoreVary: true }));
    if (copy) return isolated(copy);
    throw error;
  }
}

// A worker's own script too: a dedicated worker of an isolated page must itself carry COEP, or it
// is refused. Nothing else is rebuilt: a same-origin subresource needs no COEP, and a response
// answered straight from Cache Storage lets Chromium keep the compiled code of pyodide.asm.wasm
// and pyodide.asm.js for the next visit, which a Response made here would not.
const NEEDS_ISOLATION = new Set(["worker", "sharedworker", "iframe", "frame"]);

// A file named by content (`?v=`) is answered from the cache only when the copy there is that
// content. After a deploy, a page fetched from the network names the new versions while this
// worker's cache still holds the old files (until its successor has filled a cache of its own):
// those go to the network, so the page runs the scripts it was written for. Offline, the old
// copy is better than nothing.
function isVersion(cached, url) {
  const version = new URL(url).searchParams.get("v");
  const sha256 = cached.headers.get(HASH_HEADER);
  return !version || !sha256 || sha256.startsWith(version);
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(keyOf(request.url), { ignoreVary: true });
  let response = cached;
  if (!cached || !isVersion(cached, request.url)) {
    try {
      response = await fetch(request);
    } catch (error) {
      if (!cached) throw error;
    }
  }
  return NEEDS_ISOLATION.has(request.destination) ? isolated(response) : response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    request.mode === "navigate"
      ? page(request, event.preloadResponse, (work) => event.waitUntil(work))
      : asset(request),
  );
});
