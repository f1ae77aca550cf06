// Registers the service worker (static/js/service-worker.js, served from the site's root as
// <body data-service-worker>) that keeps every lesson, Pyodide and the simulation bundle in the
// browser after one visit, so the course works with the network off.

export function registerOffline() {
  const url = document.body.dataset.serviceWorker;
  if (!url || !("serviceWorker" in navigator)) return;
  // After the page's own loading, so installing the cache never competes with Python starting.
  const register = () =>
    navigator.serviceWorker
      .register(url, { scope: new URL("./", new URL(url, location.href)).href })
      .catch((error) => console.warn("offline copy unavailable:", error));
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
}
