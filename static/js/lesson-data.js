// The lesson's animation scenes, its exercises' drivers and its practice cases' expected traces:
// a file of their own, named by content, so the page stays small and a browser keeps them
// (tutor/web/lesson_data.py).
// Asked for once per page (the page's <link rel="preload"> has usually fetched it already); a
// failed fetch is asked again by the next caller, so a Run after the connection is back works.

let loading = null;

/**
 * @returns {Promise<{scenes: object | null, drivers?: Record<string, string>,
 *   traces: Record<string, (object[] | null)[]>}>}
 */
export function lessonData() {
  if (!loading) {
    const url = document.querySelector("article.lesson[data-lesson-data]")?.dataset.lessonData;
    loading = url
      ? fetch(url).then((response) => {
          if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
          return response.json();
        })
      : Promise.resolve({ scenes: null, traces: {} });
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}
