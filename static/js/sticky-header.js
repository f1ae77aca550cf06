// The site header is sticky, so the language switch is at hand mid-exercise. Focus, in-page jumps
// and scrollIntoView stop below it through `scroll-padding-top`, which a fixed value got wrong as
// soon as the header wrapped (large text, zoom): the focused control ended up under it (WCAG
// 2.4.11). The padding follows the header's measured height; a header taller than a quarter of
// the window stops being sticky (`is-tall`), and then needs no room at all.
const TALL = 0.25;

export function keepRoomForHeader() {
  const header = document.querySelector(".site-header");
  if (!header || !("ResizeObserver" in window)) return;
  const measure = () => {
    const tall = header.offsetHeight > window.innerHeight * TALL;
    header.classList.toggle("is-tall", tall);
    document.documentElement.style.setProperty("--header-room", `${tall ? 0 : header.offsetHeight}px`);
  };
  new ResizeObserver(measure).observe(header);
  window.addEventListener("resize", measure);
}
