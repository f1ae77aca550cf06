// Registers the service worker (static/js/service-worker.js, served from the site's root as
// <body data-service-worker>) that keeps every lesson, Pyodide and the simulation bundle in the
// browser after one visit, so the course works with the network off.

import { t } from "./strings.js";

// A lesson page starts Python: the worker is registered once Python is ready (or has failed),
// so filling the cache never competes with Python's own download on a slow connection, and it
// finds Pyodide's files in the browser's HTTP cache instead of downloading them a second time
// (#15: 5.2 MB of 11.2 MB on a first visit). A Python that never settles waits this long.
const PYTHON_SETTLED = new Set(["ready", "running", "error"]);
const PYTHON_WAIT_MS = 60_000;

function pythonSettled() {
  const status = document.getElementById("python-status");
  if (!status) return Promise.resolve();
  return new Promise((done) => {
    const finish = () => {
      observer.disconnect();
      clearTimeout(timer);
      done();
    };
    const observer = new MutationObserver(() => {
      if (PYTHON_SETTLED.has(status.dataset.state)) finish();
    });
    const timer = setTimeout(finish, PYTHON_WAIT_MS);
    if (PYTHON_SETTLED.has(status.dataset.state)) finish();
    else observer.observe(status, { attributes: true, attributeFilter: ["data-state"] });
  });
}

// The page's `load`, or this long after the script ran: a CDN that neither answers nor fails
// (filtered rather than refused) holds `load` back until the connection times out, minutes on
// some networks, and the offline copy was never made meanwhile.
const LOAD_WAIT_MS = 5_000;

function loadedOrLate() {
  if (document.readyState === "complete") return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(done, LOAD_WAIT_MS);
    window.addEventListener("load", () => (clearTimeout(timer), done()), { once: true });
  });
}

/**
 * Says in the footer whether the course is kept for offline use yet: a learner on a flaky
 * connection needs to know when losing the network is safe (the copy is several megabytes and
 * is made after Python is ready).
 */
function tellOffline(registration) {
  const status = document.querySelector(".offline-status");
  if (!status) return;
  const show = (key) => {
    status.textContent = t(key);
    status.hidden = false;
    status.dataset.state = key;
  };
  if (registration.active) {
    show("offlineReady"); // an earlier visit's copy answers offline, even while it updates
    return;
  }
  const worker = registration.installing ?? registration.waiting;
  if (!worker) return;
  show("offlineSaving");
  worker.addEventListener("statechange", () => {
    if (worker.state === "activated") show("offlineReady");
    else if (worker.state === "redundant") show("offlineFailed");
  });
}

export function registerOffline() {
  const url = document.body.dataset.serviceWorker;
  if (!url || !("serviceWorker" in navigator)) return;
  // A page the offline copy answers for is offline-ready now, whatever registering again does.
  if (navigator.serviceWorker.controller) tellOffline({ active: navigator.serviceWorker.controller });
  // After the page's own loading, so installing the cache never competes with Python starting.
  loadedOrLate()
    .then(pythonSettled)
    .then(() => navigator.serviceWorker.register(url, { scope: new URL("./", new URL(url, location.href)).href }))
    .then(tellOffline)
    .catch((error) => console.warn("offline copy unavailable:", error));
}
