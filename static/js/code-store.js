// Keeps each exercise's code in localStorage so a reload or a closed tab loses nothing.
// Private modes may refuse storage entirely; then everything works but nothing is kept.

const PREFIX = "virttutor:code:";

function probe() {
  try {
    const key = `${PREFIX}__probe__`;
    localStorage.setItem(key, "1");
    localStorage.removeItem(key);
    return true;
  } catch {
    return false;
  }
}

export const storageAvailable = probe();

/** The storage key of an exercise's code (a `storage` event from another tab names it). */
export function codeKey(exerciseId) {
  return PREFIX + exerciseId;
}

export function loadCode(exerciseId) {
  if (!storageAvailable) return null;
  try {
    return localStorage.getItem(PREFIX + exerciseId);
  } catch {
    return null;
  }
}

/** @returns {boolean} whether the code was stored */
export function saveCode(exerciseId, code, suffix = "") {
  if (!storageAvailable) return false;
  try {
    localStorage.setItem(PREFIX + exerciseId + suffix, code);
    return true;
  } catch {
    return false;
  }
}
