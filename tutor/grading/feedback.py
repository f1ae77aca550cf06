"""Comparison helpers for drivers, whose sentences come from one catalogue in both languages.

A driver's ``compare`` used to spell every field comparison twice (English and Chinese) and
decide by hand whether it may name the expected value. Here each helper returns ``None`` (right)
or a message built from ``RULES`` — the same words for the same kind of mistake in every
exercise — and names the reference's value only when ``reveal`` allows it (see the harness)::

    def compare(args, expected, actual, reveal=False):
        check = Feedback(reveal)
        return check.first(
            check.equal("total", expected["total"], actual["total"], why=SUM_OF_LAYERS),
            check.items("per_layer", expected["per_layer"], actual["per_layer"], why=ROLE),
        )

``why`` is a bilingual explanation (``{"en": ..., "zh": ...}``) or a table of them keyed by the
item, so a domain explanation is written once, beside the model, and read wherever it is needed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Message = dict[str, str]
Why = Mapping[str, str] | Mapping[Any, Mapping[str, str]] | None

# The catalogue: one sentence per rule, {placeholders} filled by the helpers.
RULES: dict[str, Message] = {
    "value": {"en": "{field} is {actual}, which is wrong", "zh": "{field} 是 {actual}，这个值不对"},
    "missing": {"en": "{field} is missing {item}", "zh": "{field} 缺少 {item}"},
    "extra": {
        "en": "{field} lists {item}, which does not belong there",
        "zh": "{field} 列出了 {item}，但它不应该出现在这里",
    },
    "item": {
        "en": "{field}[{item}] is {actual}, which is wrong",
        "zh": "{field}[{item}] 是 {actual}，这个值不对",
    },
    "reveal": {"en": " (expected {expected})", "zh": "（应为 {expected}）"},
    "because": {"en": ": {why}", "zh": "：{why}"},
}


class Feedback:
    """The helpers for one comparison; ``reveal``: may a message name the expected value?"""

    def __init__(self, reveal: bool = False) -> None:
        self.reveal = reveal

    def say(
        self, rule: str, why: Mapping[str, str] | None = None, expected: Any = None, **values: Any
    ) -> Message:
        """A catalogue sentence in both languages, with its reason and (if allowed) the answer."""
        message = {}
        for lang in ("en", "zh"):
            text = RULES[rule][lang].format(**values)
            if why:
                text += RULES["because"][lang].format(why=why.get(lang) or why.get("en", ""))
            if self.reveal and expected is not None:
                text += RULES["reveal"][lang].format(expected=expected)
            message[lang] = text
        return message

    def equal(self, field: str, expected: Any, actual: Any, why: Why = None) -> Message | None:
        if actual == expected:
            return None
        return self.say(
            "value", _why(why, actual), expected=_show(expected), field=field, actual=_show(actual)
        )

    def items(
        self,
        field: str,
        expected: Mapping[Any, Any],
        actual: Mapping[Any, Any],
        why: Why = None,
        why_extra: Why = None,
    ) -> Message | None:
        """A mapping: no extra keys (``why_extra`` says why each cannot be there), no missing
        keys (``why`` says why each is needed), then each value."""
        for key in actual:
            if key not in expected:
                return self.say("extra", _why(why_extra, key), field=field, item=_show(key))
        for key, value in expected.items():
            if key not in actual:
                return self.say("missing", _why(why, key), field=field, item=_show(key))
            if actual[key] != value:
                return self.say(
                    "item",
                    None,
                    expected=_show(value),
                    field=field,
                    item=_show(key),
                    actual=_show(actual[key]),
                )
        return None

    @staticmethod
    def first(*messages: Message | None) -> Message | None:
        """The first problem, in the order a learner should fix them."""
        return next((m for m in messages if m is not None), None)


def _why(why: Why, key: Any) -> Mapping[str, str] | None:
    """``why`` itself (one explanation) or its entry for ``key`` (a table of them)."""
    if not why:
        return None
    if "en" in why and isinstance(why["en"], str):
        return why  # type: ignore[return-value]
    found = why.get(key)
    return found if isinstance(found, Mapping) else None


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)
