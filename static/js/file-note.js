// The static copy opened from disk (file://, a double click on its index.html): browsers refuse
// module scripts and workers there, and its folder links open directory listings. Every page of
// the copy says so at its top, with what to do (docs/self-study.md). A classic script: it runs
// where modules do not.

(() => {
  if (location.protocol !== "file:") return;
  const script = document.currentScript;
  const show = () => {
    const main = document.getElementById("main");
    if (!main || !script || document.querySelector(".file-note")) return;
    const note = document.createElement("p");
    note.className = "file-note";
    note.setAttribute("role", "alert");
    note.textContent = script.dataset.note;
    main.prepend(note);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", show);
  else show();
})();
