// Sharing the main thread (#15): a lesson's start-up work (the editors, the animation's first
// draw) runs as several short tasks instead of one long one, so a tap or a key is never kept
// waiting behind it and the page paints first.

/** Resolves in a new task: what ran before can paint and input can be handled in between. */
export function giveWay() {
  if (globalThis.scheduler?.yield) return globalThis.scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Resolves once the page has painted (or soon, where no frames come, as in a hidden tab). */
export function afterPaint() {
  return new Promise((resolve) => {
    const later = setTimeout(resolve, 100);
    requestAnimationFrame(() => {
      clearTimeout(later);
      setTimeout(resolve, 0);
    });
  });
}

/** Resolves when the browser is idle (at the latest after `timeout` ms). */
export function whenIdle(timeout = 1000) {
  if (typeof requestIdleCallback !== "function") return new Promise((resolve) => setTimeout(resolve, 50));
  return new Promise((resolve) => requestIdleCallback(() => resolve(), { timeout }));
}
