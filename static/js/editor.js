// CodeMirror 5 (global, vendored UMD) on an exercise's <textarea>, with keys that never trap a
// keyboard user: Tab indents, but Esc followed by Tab / Shift-Tab moves focus out as usual.

const INDENT = 4;

let codeMirror = null;

/**
 * Loads CodeMirror's scripts (listed in the lesson script's `data-codemirror`) once, in order.
 * They are not in the page: evaluating them is one of the longest tasks of a phone's start-up
 * (#15), and a learner who only reads never needs them.
 * @returns {Promise<void>}
 */
export function codeMirrorReady() {
  if (window.CodeMirror) return Promise.resolve();
  const [core, ...extras] = (document.querySelector("script[data-codemirror]")?.dataset.codemirror ?? "")
    .split(" ")
    .filter(Boolean);
  // The core first, then the mode and the addon (they need only the core). Not `async = false`:
  // those scripts run in one queue with d3's loader's, behind a CDN file that never answers.
  codeMirror ??= loadScript(core)
    .then(() => Promise.all(extras.map(loadScript)))
    .then(
      () => undefined,
      (error) => {
        codeMirror = null; // the next editor tries again
        throw error;
      },
    );
  return codeMirror;
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(script);
  });
}

/**
 * @param {HTMLTextAreaElement} textarea
 * @param {{onRun: () => void, onChange: (code: string) => void}} handlers
 */
export function createEditor(textarea, { onRun, onChange }) {
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  let escaped = false;
  const cm = window.CodeMirror.fromTextArea(textarea, {
    mode: "python",
    lineNumbers: true,
    indentUnit: INDENT,
    tabSize: INDENT,
    indentWithTabs: false,
    smartIndent: true,
    electricChars: true,
    matchBrackets: true,
    viewportMargin: Infinity,
    // From the start: switching it on after creation draws and measures every line twice.
    lineWrapping: Boolean(window.matchMedia?.(NARROW).matches),
    // contenteditable input is what screen readers read best in CodeMirror 5.
    inputStyle: "contenteditable",
    screenReaderLabel: label?.textContent.trim() ?? "",
    extraKeys: {
      Tab: indentOrSpaces,
      "Shift-Tab": "indentLess",
      "Ctrl-Enter": () => onRun(),
      "Cmd-Enter": () => onRun(),
      Esc: () => {
        escaped = true;
      },
    },
  });

  const input = cm.getInputField();
  input.setAttribute("aria-multiline", "true");
  input.setAttribute("role", "textbox");
  if (label) {
    label.id ||= `${textarea.id}-label`;
    input.setAttribute("aria-labelledby", label.id);
    // A <label for> points at the hidden textarea; make clicking it focus the editor instead.
    label.addEventListener("click", (event) => {
      event.preventDefault();
      cm.focus();
    });
  }
  const help = textarea.getAttribute("aria-describedby");
  if (help) input.setAttribute("aria-describedby", help);

  cm.on("keydown", (_, event) => {
    if (event.key === "Tab" && escaped) {
      // CodeMirror skips the key without preventDefault: the browser moves focus as usual.
      event.codemirrorIgnore = true;
      escaped = false;
    } else if (event.key !== "Escape" && event.key !== "Shift") {
      escaped = false;
    }
  });
  cm.on("blur", () => {
    escaped = false;
  });
  keepInViewOnKeyboardFocus(cm);
  wrapOnNarrowScreens(cm);
  cm.on("changes", () => {
    // Keeps the form field current, so a plain (non-htmx) submit also sends what is on screen.
    cm.save();
    onChange(cm.getValue());
  });
  return cm;
}

/**
 * Tabbing into the editor leaves it wherever the page was: CodeMirror's input sits inside it, but
 * the browser does not scroll the editor into view. Focus that did not come from a pointer (a
 * click is on something already visible, and scrolling under the pointer would turn the click
 * into a selection) brings the editor, and the cursor line, into view.
 */
function keepInViewOnKeyboardFocus(cm) {
  const wrapper = cm.getWrapperElement();
  let pointer = false;
  wrapper.addEventListener("pointerdown", () => {
    pointer = true;
  });
  cm.on("focus", () => {
    const fromPointer = pointer;
    pointer = false;
    if (fromPointer) return;
    const box = wrapper.getBoundingClientRect();
    const viewport = window.innerHeight || document.documentElement.clientHeight;
    if (box.top >= 0 && box.bottom <= viewport) return;
    wrapper.scrollIntoView({ block: box.height > viewport ? "start" : "center" });
    cm.scrollIntoView(null, 40);
  });
}

// Long starter lines must not be cut off on a phone: there the editor wraps them (wrapped
// continuation lines carry no line number, so the indentation of real lines stays readable).
const NARROW = "(max-width: 40rem)";

function wrapOnNarrowScreens(cm) {
  const query = window.matchMedia?.(NARROW);
  if (!query) return;
  query.addEventListener?.("change", () => cm.setOption("lineWrapping", query.matches));
}

function indentOrSpaces(cm) {
  if (cm.somethingSelected()) {
    cm.execCommand("indentMore");
    return;
  }
  const column = cm.getCursor().ch;
  cm.replaceSelection(" ".repeat(INDENT - (column % INDENT)), "end", "+input");
}

/**
 * The exercise's own plain text box standing in for its editor when CodeMirror's scripts could
 * not be loaded (the network went during a first visit, before the learner reached the
 * exercise): the few calls an exercise makes of its editor, on the textarea, so Run, Reset and
 * Submit work on what is typed there (Ctrl+Enter runs too). `detach()` before CodeMirror takes
 * the box over.
 */
export function plainEditor(textarea, { onRun, onChange }) {
  const changed = () => onChange(textarea.value);
  const keys = (event) => {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    onRun();
  };
  textarea.addEventListener("input", changed);
  textarea.addEventListener("keydown", keys);
  return {
    plain: true,
    getValue: () => textarea.value,
    setValue(text) {
      textarea.value = text;
      changed();
    },
    save() {}, // the form field is the text itself
    focus: () => textarea.focus(),
    detach() {
      textarea.removeEventListener("input", changed);
      textarea.removeEventListener("keydown", keys);
    },
  };
}

/** Replaces the whole text as one undoable change, so Ctrl+Z brings the old text back. */
export function replaceAll(cm, text) {
  if (cm.plain) {
    cm.setValue(text); // (a plain box's undo is its own; "Undo reset" still brings it back)
    return;
  }
  const last = cm.lastLine();
  cm.replaceRange(text, { line: 0, ch: 0 }, { line: last, ch: cm.getLine(last).length }, "+reset");
}
