// Loads d3 without ever holding up the page. A CDN that fails is easy; one that *hangs* is the
// real danger: a plain <script src=cdn> in the page would block every script after it (editor,
// Python, animation) for as long as the connection stays open. So the CDN copies are inserted as
// async scripts, checked with Subresource Integrity, and raced against a short timer: on an error,
// an integrity failure or the timer, the verified local copies are loaded too, and whichever set
// arrives complete first is used. Animations wait on window.d3Ready, which resolves with d3 from
// wherever it came.
//
// d3 here is only the modules the site uses (static/assets.json): each one's own UMD file, listed
// in dependency order, space-separated, in data-cdn / data-local / data-integrity. Each extends
// window.d3 with what the earlier ones defined, so they run in list order (async = false keeps
// the order of execution while they download in parallel).
(function () {
  "use strict";
  // Long enough for a healthy CDN on a slow link, short enough that a learner barely waits.
  var CDN_PATIENCE_MS = 2000;
  var self = document.currentScript;
  var list = function (name) {
    var value = (self && self.getAttribute(name)) || "";
    return value.split(/\s+/).filter(Boolean);
  };
  var cdn = list("data-cdn");
  var local = list("data-local");
  var integrity = list("data-integrity");

  function loadOne(src, hash, fromCdn, inOrder, id) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.async = !inOrder;
      script.className = fromCdn ? "d3-cdn" : "d3-local";
      if (id) script.id = id; // the last of a set: #d3-cdn or #d3-local
      // The local files hold the same pinned bytes as the CDN ones, so the same hashes apply.
      if (hash) script.integrity = hash;
      if (fromCdn) script.crossOrigin = "anonymous";
      script.onload = resolve;
      script.onerror = function () {
        reject(new Error(src + " could not be loaded (network error or integrity mismatch)"));
      };
      document.head.appendChild(script);
    });
  }

  function lastId(sources, i, fromCdn) {
    if (i !== sources.length - 1) return "";
    return fromCdn ? "d3-cdn" : "d3-local";
  }

  // Resolves with a copy of window.d3 taken when the whole set has run: a CDN file that arrives
  // late, after the local set won, may still overwrite window.d3's members, never this copy.
  // The first set downloads in parallel and runs in order (async = false). A fallback set must
  // not join that ordered queue behind a CDN file that hangs, so it goes one file after another.
  function loadSet(sources, fromCdn, afterCdn) {
    var all = afterCdn
      ? sources.reduce(function (previous, src, i) {
          return previous.then(function () {
            return loadOne(src, integrity[i], fromCdn, false, lastId(sources, i, fromCdn));
          });
        }, Promise.resolve())
      : Promise.all(
          sources.map(function (src, i) {
            return loadOne(src, integrity[i], fromCdn, true, lastId(sources, i, fromCdn));
          }),
        );
    return all.then(function () {
      if (!window.d3 || typeof window.d3.select !== "function") {
        throw new Error("the d3 modules did not define window.d3.select");
      }
      return Object.assign({}, window.d3);
    });
  }

  function start() {
    if (!window.d3Ready) {
      window.d3Ready = loadEither();
      // A rejection is reported by whoever awaits it; never as an unhandled error on its own.
      window.d3Ready.catch(function () {});
    }
    return window.d3Ready;
  }

  function loadEither() {
    return new Promise(function (resolve, reject) {
      if (window.d3 && typeof window.d3.select === "function") {
        resolve(window.d3);
        return;
      }
      var localStarted = false;
      var timer = null;
      // The local copy is the last resort: if it fails too, the animation says d3 is missing
      // rather than waiting on a CDN that has already had its chance.
      var useLocal = function () {
        if (localStarted) return;
        localStarted = true;
        if (!local.length) {
          reject(new Error("the d3 CDN did not answer and no local copy is configured"));
          return;
        }
        loadSet(local, false, cdn.length > 0).then(resolve, reject);
      };
      if (!cdn.length) {
        useLocal();
        return;
      }
      timer = setTimeout(useLocal, CDN_PATIENCE_MS);
      loadSet(cdn, true, false).then(
        function (d3) {
          clearTimeout(timer);
          resolve(d3);
        },
        function () {
          clearTimeout(timer);
          useLocal();
        },
      );
    });
  }

  // On a phone shown the animation's first frame (static/js/animation-poster.js, the same test),
  // d3 is needed only once the learner reaches for the animation: loaded then, by viz/index.js,
  // not in the page's start-up (#15).
  window.loadD3 = start;
  var poster = document.querySelector(".viz-stage[data-poster]");
  if (!(poster && window.matchMedia && window.matchMedia("(max-width: 30rem)").matches)) start();
})();
