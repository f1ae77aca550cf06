// zh-CN technical writing puts a space between Chinese and Latin text ("经过 VM 退出", "在 VMM 中").
// Templates cannot know whether a placeholder is filled with Chinese ("客户机内核") or Latin ("VMM"),
// so the renderers of the zh tables (strings.js t(), viz/describe.js) space the filled sentence.

const HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";
const HAN_THEN_LATIN = new RegExp(`([${HAN}])([A-Za-z0-9])`, "g");
const LATIN_THEN_HAN = new RegExp(`([A-Za-z0-9])([${HAN}])`, "g");

/** `text` with a space wherever a Chinese character touches a Latin letter or digit. */
export function spaceCjk(text) {
  return String(text).replace(HAN_THEN_LATIN, "$1 $2").replace(LATIN_THEN_HAN, "$1 $2");
}
