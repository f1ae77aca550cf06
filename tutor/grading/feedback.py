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

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

Message = dict[str, str]
Why = Mapping[str, str] | Mapping[Any, Mapping[str, str]] | None

# The catalogue: one sentence per rule, {placeholders} filled by the helpers.
RULES: dict[str, Message] = {
    "value": {"en": "{field} is {actual}, which is wrong", "zh": "{field} 是 {actual}，这个值不对"},
    "value_but": {
        "en": "{field} is {actual}, but {reason}",
        "zh": "{field} 是 {actual}，但{reason}",
    },
    "missing": {"en": "{field} is missing {item}", "zh": "{field} 缺少 {item}"},
    "extra": {
        "en": "{field} lists {item}, which does not belong there",
        "zh": "{field} 列出了 {item}，但它不应该出现在这里",
    },
    "item": {
        "en": "{field}[{item}] is {actual}, which is wrong",
        "zh": "{field}[{item}] 是 {actual}，这个值不对",
    },
    "unknown": {
        "en": "{item} is not in the model; it knows {known}",
        "zh": "{item} 不在模型中；模型中有：{known}",
    },
    "past_end": {
        "en": "step {step}: the {field} should already have ended; {item} must not follow",
        "zh": "第 {step} 步：{field} 此时应该已经结束；{item} 不应该出现在后面",
    },
    "outside": {
        "en": "step {step}: {item} is not part of {where}",
        "zh": "第 {step} 步：{item} 不属于{where}",
    },
    "twice": {"en": "step {step}: {item} appears twice", "zh": "第 {step} 步：{item} 出现了两次"},
    "early": {
        "en": "step {step}: {item} comes too early",
        "zh": "第 {step} 步：{item} 出现得太早了",
    },
    "late": {
        "en": "step {step}: {item} comes too late; the {field} has already passed it",
        "zh": "第 {step} 步：{item} 出现得太晚了；{field} 早已经过了它",
    },
    "never": {
        "en": "step {step}: {item} never belongs in this {field}",
        "zh": "第 {step} 步：这条 {field} 根本不该经过 {item}",
    },
    "stops": {
        "en": "the {field} stops after {last} (step {count}) before it is done",
        "zh": "{field} 在 {last}（第 {count} 步）就停下了，还没有完成",
    },
    "nothing": {"en": "nothing", "zh": "空列表"},
    "leaves_out": {
        "en": "the {field} leaves out {item} it still needs",
        "zh": "{field} 漏掉了仍然需要的{item}",
    },
    "an_item": {"en": "an item", "zh": "一项"},
    "order": {
        "en": "the right steps, in the wrong order",
        "zh": "步骤是对的，顺序不对",
    },
    "reveal": {"en": " (expected {expected})", "zh": "（应为 {expected}）"},
    "reveal_step": {
        "en": ". The model's step {step} is {expected}",
        "zh": "。模型的第 {step} 步是 {expected}",
    },
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
            text = RULES[rule][lang].format(**{k: _in(v, lang) for k, v in values.items()})
            if why:
                text += RULES["because"][lang].format(why=why.get(lang) or why.get("en", ""))
            if self.reveal and expected is not None:
                text += RULES["reveal"][lang].format(expected=expected)
            message[lang] = text
        return message

    def equal(
        self,
        field: str,
        expected: Any,
        actual: Any,
        why: Why = None,
        mistakes: Mapping[Any, Mapping[str, str]] | None = None,
    ) -> Message | None:
        """One value. ``mistakes`` maps an anticipated wrong value (the textbook's number where
        the case changed it, a device named as overhead) to why it is wrong; ``why`` says why
        any other wrong value is."""
        if actual == expected:
            return None
        if mistakes and _hashable(actual) and actual in mistakes:
            return self.say(
                "value_but",
                expected=_show(expected),
                field=field,
                actual=_show(actual),
                reason=mistakes[actual],
            )
        return self.say(
            "value", _why(why, actual), expected=_show(expected), field=field, actual=_show(actual)
        )

    def close(
        self,
        field: str,
        expected: float,
        actual: float,
        why: Why = None,
        rel: float = 1e-6,
        absolute: float = 0.01,
    ) -> Message | None:
        """A measured number (watts, kWh): right within ``rel``/``absolute``, both values shown
        rounded to two places."""
        if math.isclose(actual, expected, rel_tol=rel, abs_tol=absolute):
            return None
        return self.equal(field, round(expected, 2), round(actual, 2), why)

    def numbers(
        self,
        field: str,
        expected: Sequence[float],
        actual: Sequence[float],
        why: Mapping[str, str] | None = None,
        why_count: Mapping[str, str] | None = None,
        rel: float = 1e-6,
        absolute: float = 1e-9,
    ) -> Message | None:
        """A list of measured numbers (one per round, per step): first its length
        (``why_count``), then the first number off by more than ``rel``/``absolute``, both
        shown to four significant digits."""
        if len(actual) != len(expected):
            return self.say(
                "value",
                why_count,
                expected=len(expected),
                field=f"len({field})",
                actual=len(actual),
            )
        for i, (want, got) in enumerate(zip(expected, actual, strict=True)):
            if not math.isclose(want, got, rel_tol=rel, abs_tol=absolute):
                return self.say(
                    "value", why, expected=f"{want:.4g}", field=f"{field}[{i}]", actual=f"{got:.4g}"
                )
        return None

    def items(
        self,
        field: str,
        expected: Mapping[Any, Any],
        actual: Mapping[Any, Any],
        why: Why = None,
        why_extra: Why = None,
        *,
        known: Collection[Any] | None = None,
        why_value: Why = None,
        mistakes: Mapping[Any, Mapping[Any, Mapping[str, str]]] | None = None,
    ) -> Message | None:
        """A mapping: no key outside ``known``, no extra keys (``why_extra`` says why each
        cannot be there), no missing keys (``why`` says why each is needed), then each value
        (``why_value`` says why a wrong one is; ``mistakes``: key -> anticipated wrong value ->
        why)."""
        for key in actual:
            if known is not None and key not in known:
                return self.say("unknown", item=_show(key), known=", ".join(map(str, known)))
            if key not in expected:
                return self.say("extra", _why(why_extra, key), field=field, item=_show(key))
        for key, value in expected.items():
            if key not in actual:
                return self.say("missing", _why(why, key), field=field, item=_show(key))
            if actual[key] != value:
                return self.equal(
                    f"{field}[{_show(key)}]",
                    value,
                    actual[key],
                    why=_why(why_value, key),
                    mistakes=(mistakes or {}).get(key),
                )
        return None

    def sequence(
        self,
        field: str,
        expected: Sequence[Any],
        actual: Sequence[Any],
        *,
        known: Collection[Any] | None = None,
        allowed: Collection[Any] | None = None,
        where: Mapping[str, str] | None = None,
        why: Why = None,
        why_not: Why = None,
        needs: Why = None,
        twice: Mapping[str, str] | None = None,
        end: Mapping[str, str] | None = None,
    ) -> Message | None:
        """An ordered list (a path through layers, a schedule): the first step that departs
        from ``expected``, and why the learner's item cannot be there, never which item belongs
        there unless ``reveal`` allows it (then with ``why`` of that item).

        ``known``: every item that exists; ``allowed``: the items that can appear at all in this
        case, ``where`` naming that place ("a type2 stack"); ``why``: item -> why it is crossed
        (said with a revealed step); ``why_not``: item -> why it is not in this list (said when
        the learner's list holds it: a reason it is crossed elsewhere would contradict the
        message); ``needs``: item -> what must happen before it (said when it comes too early);
        ``twice``: why no item repeats; ``end``: why the list is over after its last expected
        step."""
        for i, item in enumerate(actual):
            if i < len(expected) and item == expected[i]:
                continue
            at = {"step": i + 1, "item": _show(item), "field": field}
            if known is not None and item not in known:
                return self.say("unknown", item=_show(item), known=", ".join(map(str, known)))
            if i >= len(expected):
                return self.say("past_end", end, **at)
            if allowed is not None and item not in allowed:
                message = self.say("outside", _why(why_not, item), where=where or field, **at)
            elif item in actual[:i]:
                message = self.say("twice", twice, **at)
            elif item in expected[i + 1 :]:
                message = self.say("early", _why(needs, item), **at)
            elif item in expected:
                message = self.say("late", None, **at)
            else:
                message = self.say("never", _why(why_not, item), **at)
            return self._step(message, expected, i, why)
        if len(actual) < len(expected):
            last = _show(actual[-1]) if actual else RULES["nothing"]
            message = self.say("stops", end, field=field, last=last, count=len(actual))
            return self._step(message, expected, len(actual), why)
        return None

    def members(
        self,
        field: str,
        expected: Sequence[Any],
        actual: Sequence[Any],
        *,
        known: Collection[Any] | None = None,
        why_extra: Why = None,
        why_missing: Why = None,
        twice: Mapping[str, str] | None = None,
        order: Mapping[str, str] | None = None,
    ) -> Message | None:
        """A list judged first by what it holds, then by its order: an item it must not hold
        (``why_extra``), one it leaves out (``why_missing``, naming the item only when
        revealed), a repeat (``twice``), then the order (``order``)."""
        for item in actual:
            if known is not None and item not in known:
                return self.say("unknown", item=_show(item), known=", ".join(map(str, known)))
            if item not in expected:
                return self.say("extra", _why(why_extra, item), field=field, item=_show(item))
        for item in expected:
            if item not in actual:
                named = _show(item) if self.reveal else RULES["an_item"]
                return self.say("leaves_out", _why(why_missing, item), field=field, item=named)
        if len(actual) != len(set(actual)):
            repeated = next(item for item in actual if actual.count(item) > 1)
            return self.say("twice", twice, step=actual.index(repeated) + 1, item=_show(repeated))
        if list(actual) != list(expected):
            return self.say("order", order)
        return None

    def _step(self, message: Message, expected: Sequence[Any], i: int, why: Why) -> Message:
        """With ``reveal``, the model's own step ``i`` and why it is there."""
        if not self.reveal or i >= len(expected):
            return message
        reason = _why(why, expected[i])
        for lang in ("en", "zh"):
            message[lang] += RULES["reveal_step"][lang].format(
                step=i + 1, expected=_show(expected[i])
            )
            if reason:
                message[lang] += RULES["because"][lang].format(why=_in(reason, lang))
        return message

    @staticmethod
    def because(message: Mapping[str, str], why: Mapping[str, str]) -> Message:
        """``message`` followed by its reason, as the helpers write it ("...: why")."""
        return {
            lang: message[lang] + RULES["because"][lang].format(why=_in(why, lang))
            for lang in ("en", "zh")
        }

    @staticmethod
    def joined(*messages: Mapping[str, str]) -> Message:
        """Texts written to follow one another (a rule, then what this case adds), as one."""
        return {lang: "".join(_in(m, lang) for m in messages) for lang in ("en", "zh")}

    def revealing(
        self, message: Mapping[str, str], answer: Mapping[str, str] | None = None, **values: Any
    ) -> Message:
        """``message``, plus ``answer`` (a text naming the reference's value, by default
        " (expected {expected})", filled with ``values``; an ``explain``-ed text is used as it
        is) only when ``reveal`` allows it."""
        if not self.reveal or (answer is None and not values):
            return dict(message)  # nothing to reveal: a message no value can complete
        answer = answer or RULES["reveal"]
        return {
            lang: message[lang] + (answer[lang].format(**values) if values else answer[lang])
            for lang in ("en", "zh")
        }

    @staticmethod
    def broken(prefix: str, rules: Iterable[tuple[Any, ...]], **values: Any) -> Message | None:
        """The explanation ``prefix.key`` of the first rule ``(condition, key)`` or
        ``(condition, key, {values})`` whose condition holds, filled with ``values`` (and the
        rule's own); ``None`` when none holds. Rules are listed in the order a learner should
        fix them: several wrong answers each break a different rule of the domain, and the
        message names the one that explains this answer."""
        from tutor.explanations import explain

        for condition, key, *own in rules:
            if condition:
                return explain(f"{prefix}.{key}", **values, **(own[0] if own else {}))
        return None

    @staticmethod
    def first(*messages: Message | None) -> Message | None:
        """The first problem, in the order a learner should fix them."""
        return next((m for m in messages if m is not None), None)


def mistake(text: Mapping[str, str], kind: type[Exception] = ValueError) -> Exception:
    """An exception for a driver's ``run`` to raise when the learner's code did something the
    case cannot go on from (a verdict that is not one, a plan that overfills a host): the harness
    shows its ``en`` text, and its ``zh`` text on the Chinese page, as the sentence alone (no
    "ValueError:" before it)."""
    from tutor.sim.errors import worded

    return worded(dict(text), kind)


def _why(why: Why, key: Any) -> Mapping[str, str] | None:
    """``why`` itself (one explanation) or its entry for ``key`` (a table of them)."""
    if not why:
        return None
    if "en" in why and isinstance(why["en"], str):
        return why  # type: ignore[return-value]
    found = why.get(key)
    return found if isinstance(found, Mapping) else None


def _in(value: Any, lang: str) -> Any:
    """A placeholder's value: one language of a bilingual text, anything else as it is."""
    if isinstance(value, Mapping) and isinstance(value.get("en"), str):
        return value.get(lang) or value["en"]
    return value


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)
