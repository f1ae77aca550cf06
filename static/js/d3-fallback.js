// Classic script placed right after the d3 CDN <script>: a failed (or blocked, or SRI-rejected)
// CDN load leaves window.d3 undefined, and then the verified local copy is loaded instead.
// Animations wait on window.d3Ready, which resolves with d3 from wherever it came.
(function () {
  "use strict";
  var self = document.currentScript;
  var cdn = document.getElementById("d3-cdn");
  var local = (self && self.getAttribute("data-local")) || (cdn && cdn.getAttribute("data-local"));

  window.d3Ready = new Promise(function (resolve, reject) {
    if (window.d3) {
      resolve(window.d3);
      return;
    }
    if (!local) {
      reject(new Error("d3 is not available and no local copy is configured"));
      return;
    }
    var script = document.createElement("script");
    script.src = local;
    // The local file is the same pinned bytes as the CDN one, so the same hash applies.
    if (cdn && cdn.integrity) script.integrity = cdn.integrity;
    script.onload = function () {
      if (window.d3) resolve(window.d3);
      else reject(new Error("the local d3 copy did not define window.d3"));
    };
    script.onerror = function () {
      reject(new Error("neither the d3 CDN nor the local copy (" + local + ") could be loaded"));
    };
    document.head.appendChild(script);
  });
  // A rejection is reported by whoever awaits it; never as an unhandled error on its own.
  window.d3Ready.catch(function () {});
})();
