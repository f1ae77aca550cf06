"""Domain explanations, written once in English and Chinese and read wherever they are needed.

A sentence such as "the guest cannot touch real hardware, so the CPU traps out of guest mode"
belongs to the domain, not to one exercise: a driver's feedback, the animation's narration and the
lesson text all say it. So it lives here once, under a stable id, and everything else names the id:

* drivers (CPython, the grading sandbox and Pyodide all ship this package, see ``tutor/pure.py``)::

      from tutor.explanations import explain, table
      explain("layers.needs.vm_exit")        # {"en": ..., "zh": ...}
      table("layers.crossed")                # {"vm_exit": {"en", "zh"}, ...}

* animations: a scene builder puts the table it needs into the scene's JSON
  (``tutor/web/scenes.py``), and the page's narration reads it from there;
* lesson and prompt Markdown: ``:explain[layers.crossed.vm_exit]`` is replaced by the text in the
  file's language (``tutor/content/loader.py``).

Each topic is a module of this package holding ``EXPLANATIONS``, a nested dict whose leaves are
``{"en": ..., "zh": ...}``; an id is the module's name followed by the keys down to a leaf, joined
with dots. A leaf may hold ``{placeholders}``, filled by ``explain(id, name=value)`` (a value
that is itself ``{"en", "zh"}`` fills each language with its own text); both languages must use
the same ones (write a literal brace twice: ``{{``). An unknown id raises
``UnknownExplanation``; a leaf without both languages makes its topic fail to load
(``ExplanationError``), so neither reaches a learner.
"""

from __future__ import annotations

import importlib
import pkgutil
import string
from collections.abc import Mapping
from typing import Any

LANGUAGES = ("en", "zh")
Text = dict[str, str]


class UnknownExplanation(LookupError):
    """An id that names no explanation: a typo or a removed entry."""


class ExplanationError(ValueError):
    """A topic whose entries are not each a text in every language."""


_topics: dict[str, dict[str, Text]] = {}


def topics() -> list[str]:
    """The names of the catalogue's topic modules."""
    return sorted(info.name for info in pkgutil.iter_modules(__path__) if not info.ispkg)


def _topic(name: str) -> dict[str, Text]:
    """One topic's entries, flattened to ``{"key.sub": text}`` and checked, loaded once."""
    if name not in _topics:
        if name not in topics():
            raise UnknownExplanation(
                f"no explanation topic {name!r}; topics: {', '.join(topics())}"
            )
        module = importlib.import_module(f"{__name__}.{name}")
        entries: dict[str, Text] = {}
        problems: list[str] = []
        _flatten(name, getattr(module, "EXPLANATIONS", None), entries, problems)
        if problems:
            raise ExplanationError("; ".join(problems))
        _topics[name] = entries
    return _topics[name]


def _is_text(node: object) -> bool:
    return isinstance(node, Mapping) and any(isinstance(node.get(lang), str) for lang in LANGUAGES)


def _flatten(path: str, node: Any, out: dict[str, Text], problems: list[str]) -> None:
    if _is_text(node):
        problems.extend(_text_problems(path, node))
        out[path] = {lang: node.get(lang, "") for lang in LANGUAGES}
        return
    if not isinstance(node, Mapping) or not node:
        problems.append(f"{path}: must be {{'en': ..., 'zh': ...}} or a table of them")
        return
    for key, child in node.items():
        if not isinstance(key, str) or not key or "." in key:
            problems.append(f"{path}: key {key!r} must be a non-empty name without dots")
            continue
        _flatten(f"{path}.{key}", child, out, problems)


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def _text_problems(path: str, node: Mapping[str, Any]) -> list[str]:
    problems = [
        f"{path}.{lang}: missing or empty"
        for lang in LANGUAGES
        if not isinstance(node.get(lang), str) or not node[lang].strip()
    ]
    problems += [f"{path}.{key}: unknown language" for key in node if key not in LANGUAGES]
    if not problems and _fields(node["en"]) != _fields(node["zh"]):
        problems.append(f"{path}: en and zh use different {{placeholders}}")
    return problems


def explain(explanation_id: str, **values: Any) -> Text:
    """The explanation ``explanation_id`` in both languages, its placeholders filled."""
    topic, _, _ = explanation_id.partition(".")
    entries = _topic(topic)
    if explanation_id not in entries:
        near = [key for key in entries if key.startswith(explanation_id + ".")]
        hint = f" (it is a table of {len(near)}: use table())" if near else ""
        raise UnknownExplanation(f"no explanation {explanation_id!r}{hint}")
    text = entries[explanation_id]
    return {lang: text[lang].format(**_in(values, lang)) for lang in LANGUAGES}


def _in(values: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """Placeholder values for one language: a bilingual value (another explanation, a model
    error's ``{"en", "zh"}``) gives its text in that language, or its English where it has none;
    anything else stays as it is."""
    return {
        key: (value.get(lang) or value.get("en", "")) if _is_text(value) else value
        for key, value in values.items()
    }


def table(prefix: str) -> dict[str, Any]:
    """The explanations under ``prefix``, keyed by the rest of their ids (nested where the
    catalogue nests): a table a driver indexes by the item (a layer, an operation) or an
    animation ships to the page. Built once per topic's load (a driver asks for one per case it
    explains; scanning the topic each time was a tenth of the server's CPU per submission): each
    call gets its own nesting, which the caller may change, around shared texts, which refuse
    to be changed (copy one with ``dict(text)`` to edit it)."""
    topic, _, _ = prefix.partition(".")
    entries = _topic(topic)
    built = _tables.get(prefix)
    if built is None or built[0] is not entries:
        built = _tables[prefix] = (entries, _build_table(entries, prefix))
    return _copy(built[1])


_tables: dict[str, tuple[dict[str, Text], dict[str, Any]]] = {}


def _build_table(entries: dict[str, Text], prefix: str) -> dict[str, Any]:
    start = prefix + "."
    found: dict[str, Any] = {}
    for key, text in entries.items():
        if key.startswith(start):
            *parents, leaf = key[len(start) :].split(".")
            node = found
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = _SharedText(text)
    if not found:
        raise UnknownExplanation(f"no explanations under {prefix!r}")
    return found


class _SharedText(dict[str, str]):
    """One explanation's ``{"en", "zh"}`` as every table hands it out: a dict (JSON, ``in``,
    ``.get``, ``dict(text)`` all work) that cannot be changed in place."""

    def _refuse(self, *_args: object, **_kwargs: object) -> None:
        raise TypeError("an explanation's text is shared by every table: copy it with dict(text)")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse  # type: ignore[assignment]
    __ior__ = _refuse  # type: ignore[assignment]


def _copy(node: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value if type(value) is _SharedText else _copy(value) for key, value in node.items()
    }


def exists(explanation_id: str) -> bool:
    """Whether ``explanation_id`` names one explanation or a table of them."""
    topic, _, _ = explanation_id.partition(".")
    if topic not in _topics and topic not in topics():  # listing the package costs a scan
        return False
    try:
        entries = _topic(topic)
    except (ExplanationError, ImportError, SyntaxError):
        return False  # problems() reports what is wrong with the topic itself
    return explanation_id in entries or any(k.startswith(explanation_id + ".") for k in entries)


def catalogue() -> dict[str, Text]:
    """Every explanation, by id: for checks and for whoever lists them."""
    return {key: text for name in topics() for key, text in _topic(name).items()}


def problems() -> list[str]:
    """What is wrong with the catalogue (a leaf missing a language, mismatched placeholders),
    one line each; empty when every topic loads."""
    found = []
    for name in topics():
        try:
            _topic(name)
        except (ExplanationError, ImportError, SyntaxError) as exc:
            found.append(f"tutor/explanations/{name}.py: {exc}")
    return found
