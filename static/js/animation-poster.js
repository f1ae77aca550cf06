// On a phone the lesson page comes with its animation already drawn as it first appears (a
// poster: tutor/web/animation_poster.py), and the drawing code (d3, the renderer, the player) runs
// only when the learner reaches for it: a press or a tap in it, focus on it, a key, a choice in
// one of its menus, a failed case's Replay. Drawing it at load was most of a phone's start-up
// (#15). The poster is the very markup the renderer and the player draw first, so each control
// in it stands for the one at the same place in the drawn animation, which then gets the
// learner's press, focus, key or choice.

// viz.css hides a poster on wider screens (where the drawing takes another shape) with the
// same query: there the animation is drawn at load.
const POSTER_MEDIA = "(max-width: 30rem)";
const CONTROLS = ".viz-stage, button, select, input";
// The player's keys on its stage (player.js onKey): kept from scrolling the page, then replayed.
const PLAYER_KEYS = new Set([" ", "Spacebar", "k", "K", "ArrowLeft", "ArrowRight", "Home", "End"]);

export function posterShown(root) {
  return Boolean(root.querySelector(".viz-stage[data-poster]")) && matchMedia(POSTER_MEDIA).matches;
}

function placeOf(root, element) {
  const control = element?.closest?.(CONTROLS);
  return control && root.contains(control) ? [...root.querySelectorAll(CONTROLS)].indexOf(control) : -1;
}

function controlAt(root, place) {
  return place < 0 ? null : (root.querySelectorAll(CONTROLS)[place] ?? null);
}

function focusLost(root) {
  const active = document.activeElement;
  return !active || active === document.body || !active.isConnected || !root.contains(active);
}

/** Calls `start` (which draws the animation and resolves when it is drawn) on the learner's first
 * reach for `root`, then hands the drawn animation what the learner did. */
export function startOnReach(root, start) {
  let started = null;
  const listening = [];
  const on = (target, type, handler, capture = true) => {
    target.addEventListener(type, handler, capture);
    listening.push(() => target.removeEventListener(type, handler, capture));
  };
  // Everything the learner does on the poster while the animation is being drawn (focus, then a
  // press, for one tap) is handed over in order once it is drawn; the poster then is gone.
  const begin = (then) => {
    started ??= Promise.resolve()
      .then(start)
      .finally(() => listening.forEach((stop) => stop()));
    started.then(() => then?.()).catch((error) => console.error("the animation could not start:", error));
  };

  on(root, "click", (event) => {
    const place = placeOf(root, event.target);
    const pressed = event.target.closest?.("button");
    if (pressed && place >= 0) {
      event.preventDefault();
      event.stopPropagation();
      begin(() => {
        const control = controlAt(root, place);
        control?.focus({ preventScroll: true });
        control?.click();
      });
    } else if (!event.target.closest?.("select, input")) {
      // A tap on the picture or the narration: the drawn stage takes focus, as player.js does.
      begin(() => focusLost(root) && root.querySelector(".viz-stage")?.focus({ preventScroll: true }));
    }
  });
  on(root, "focusin", (event) => {
    // A menu being opened must keep its element until the learner has chosen (change, below).
    if (event.target.closest?.("select")) return;
    const place = placeOf(root, event.target);
    begin(() => focusLost(root) && controlAt(root, place)?.focus({ preventScroll: true }));
  });
  for (const type of ["change", "input"]) {
    on(root, type, (event) => {
      const place = placeOf(root, event.target);
      const value = event.target.value;
      begin(() => {
        const control = controlAt(root, place);
        if (!control) return;
        control.value = value;
        control.focus({ preventScroll: true });
        control.dispatchEvent(new Event(type, { bubbles: true }));
      });
    });
  }
  on(root, "keydown", (event) => {
    if (!event.target.matches?.(".viz-stage") || !PLAYER_KEYS.has(event.key)) return;
    event.preventDefault();
    const { key, code, shiftKey, altKey, ctrlKey, metaKey } = event;
    begin(() => {
      const stage = root.querySelector(".viz-stage");
      stage?.dispatchEvent(
        new KeyboardEvent("keydown", { key, code, shiftKey, altKey, ctrlKey, metaKey, bubbles: true, cancelable: true }),
      );
    });
  });
  // A failed case's Replay (exercise.js) asks the drawn animation: drawn first, then asked again.
  on(document, "virttutor:replay", (event) => {
    const detail = event.detail;
    begin(() => document.dispatchEvent(new CustomEvent("virttutor:replay", { detail })));
  }, false);
  // Turned to a wide screen before any reach: the poster is hidden there, so draw now.
  const media = matchMedia(POSTER_MEDIA);
  const widened = () => !media.matches && begin();
  media.addEventListener?.("change", widened);
  listening.push(() => media.removeEventListener?.("change", widened));
}

/** The drawing code, fetched (not run) while the page is idle, so a first reach does not wait
 * for the network. */
export function prefetch(urls) {
  for (const url of urls) {
    const link = document.createElement("link");
    link.rel = "modulepreload";
    link.href = url;
    document.head.append(link);
  }
}

/** Takes the poster away, right before the renderer draws into the same stage. */
export function clearPoster(root) {
  const stage = root.querySelector(".viz-stage[data-poster]");
  if (!stage) return;
  stage.replaceChildren();
  stage.removeAttribute("data-poster");
  for (const part of root.querySelectorAll("[data-poster-part]")) part.remove();
}
