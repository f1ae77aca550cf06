// Loads d3 without ever holding up the page. A CDN that fails is easy; one that *hangs* is the
// real danger: a plain <script src=cdn> in the page would block every script after it (editor,
// Python, animation) for as long as the connection stays open. So the CDN copy is inserted as an
// async script, checked with Subresource Integrity, and raced against a short timer: on an error,
// an integrity failure or the timer, the verified local copy is loaded too, and whichever arrives
// first is used. Animations wait on window.d3Ready, which resolves with d3 from wherever it came.
(function () {
  "use strict";
  // Long enough for a healthy CDN on a slow link, short enough that a learner barely waits.
  var CDN_PATIENCE_MS = 2000;
  var self = document.currentScript;
  var attr = function (name) {
    return (self && self.getAttribute(name)) || "";
  };
  var cdn = attr("data-cdn");
  var local = attr("data-local");
  var integrity = attr("data-integrity");

  function load(src, id) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.async = true;
      if (id) script.id = id;
      // The local file holds the same pinned bytes as the CDN one, so the same hash applies.
      if (integrity) script.integrity = integrity;
      if (id === "d3-cdn") script.crossOrigin = "anonymous";
      script.onload = function () {
        if (window.d3) resolve(window.d3);
        else reject(new Error(src + " did not define window.d3"));
      };
      script.onerror = function () {
        reject(new Error(src + " could not be loaded (network error or integrity mismatch)"));
      };
      document.head.appendChild(script);
    });
  }

  window.d3Ready = new Promise(function (resolve, reject) {
    if (window.d3) {
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
      if (!local) {
        reject(new Error("the d3 CDN did not answer and no local copy is configured"));
        return;
      }
      load(local, "d3-local").then(resolve, reject);
    };
    if (!cdn) {
      useLocal();
      return;
    }
    timer = setTimeout(useLocal, CDN_PATIENCE_MS);
    load(cdn, "d3-cdn").then(
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
  // A rejection is reported by whoever awaits it; never as an unhandled error on its own.
  window.d3Ready.catch(function () {});
})();
