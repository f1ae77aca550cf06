"""The idle memory tax (lesson 10, idle-tax): ρ = S / (P·(f + k(1 − f))), k = 1 / (1 − τ), and
memory reclaimed one page at a time from the client with the lowest ρ. Which rule a wrong
allocation breaks, shown on the learner's own numbers."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from . import Text, explain

EXPLANATIONS = {
    "missing": {
        "en": "the allocation leaves out {name!r}: give every client its number of pages",
        "zh": "分配结果里缺少 {name!r}：要给每个客户都写出它的页数",
    },
    "extra": {
        "en": "the allocation names {name!r}, which is not one of the clients",
        "zh": "分配结果里出现了 {name!r}，但它不是这些客户之一",
    },
    "above_max": {
        "en": "{name!r} gets {got} pages, more than the {most} it asks for (max_pages): "
        "everyone starts at max_pages, and reclaiming only ever takes pages away",
        "zh": "{name!r} 得到 {got} 页，比它要求的 {most} 页（max_pages）还多：每个客户都从 "
        "max_pages 开始，回收只会拿走页",
    },
    "below_min": {
        "en": "{name!r} gets {got} pages, fewer than its min_pages ({least}): a client's "
        "guaranteed minimum is never reclaimed",
        "zh": "{name!r} 得到 {got} 页，少于它的 min_pages（{least}）：客户有保证的最少页数"
        "永远不会被收回",
    },
    "enough": {
        "en": "the allocation hands out {given} pages, but the clients ask for {wanted} in all "
        "and the machine has {total}: while memory suffices, nothing is reclaimed and every "
        "client gets its max_pages",
        "zh": "分配结果一共给出 {given} 页，但各客户总共只要 {wanted} 页，机器有 {total} 页："
        "内存够用时什么也不收回，每个客户都得到它的 max_pages",
    },
    "total": {
        "en": "the allocation hands out {given} pages, but the machine has {total}: the "
        "clients ask for {wanted} in all, so exactly {need} pages are reclaimed, no more",
        "zh": "分配结果一共给出 {given} 页，但机器只有 {total} 页：各客户总共要 {wanted} 页，"
        "所以正好要收回 {need} 页，不多也不少",
    },
    "lowest": {
        "en": "{loser!r} is down to {held} pages: it gave up a page at ρ = {rho_loser} while "
        "{keeper!r}, which still holds {kept}, had a lower ρ ({rho_keeper}): each page is "
        "reclaimed from the client whose ρ is lowest at that moment, and a client's ρ rises with "
        "every page it loses, so recompute it after each page",
        "zh": "{loser!r} 只剩 {held} 页：它在 ρ = {rho_loser} 时交出了一页，而仍然持有 {kept} 页的 "
        "{keeper!r} 那时的 ρ 更低（{rho_keeper}）：每一页都要从此刻 ρ 最低的客户那里收回，而客户每"
        "失去一页，它的 ρ 就会升高，所以每收回一页都要重新计算",
    },
    "tie": {
        "en": "{loser!r} is down to {held} pages: it gave up a page while {keeper!r}, which still "
        "holds {kept}, had the same ρ ({rho}): on a tie the client whose name sorts first gives "
        "up the page",
        "zh": "{loser!r} 只剩 {held} 页：它交出了一页，而仍然持有 {kept} 页的 {keeper!r} 那时的 ρ "
        "与它相同（{rho}）：ρ 相同时，由名字排在前面的客户交出这一页",
    },
    "lowest_rule": {
        "en": "each page is reclaimed from the client whose ρ is lowest at that moment (on a "
        "tie, the name that sorts first), one page at a time, until the clients fit",
        "zh": "每一页都从此刻 ρ 最低的客户那里收回（ρ 相同时取名字排在前面的），一次一页，"
        "直到所有客户装得下为止",
    },
    "no_tax": {
        "en": ". Your allocation is exactly the one without a tax (ρ = S / P, as with τ = 0), "
        "but here τ = {tau}, so k = 1 / (1 − τ) = {k}: an idle page costs {k} times an active one",
        "zh": "。你的分配结果恰好是不收税时的结果（ρ = S / P，相当于 τ = 0），但这里 τ = {tau}，"
        "所以 k = 1 / (1 − τ) = {k}：一个空闲页的代价是活跃页的 {k} 倍",
    },
    "default_tau": {
        "en": ". Your allocation is exactly the one the default τ = 0.75 gives, but this case's "
        "τ is {tau}: does your code use the tau argument?",
        "zh": "。你的分配结果恰好是默认税率 τ = 0.75 时的结果，但这个用例的 τ 是 {tau}："
        "你的代码用到参数 tau 了吗？",
    },
    "model": {
        "en": " (the model's allocation: {pages})",
        "zh": "（模型的分配结果：{pages}）",
    },
}

Rho = Callable[[float, float, float, float], float]


def misallocation(
    total: int, clients: Sequence[Mapping[str, Any]], tau: float, got: Mapping[str, int], rho: Rho
) -> Text | None:
    """The first rule ``got`` breaks, in the order a learner should fix them: every client
    named, within its min_pages and max_pages, the right number of pages reclaimed, and each
    page reclaimed from the lowest ρ (``rho(shares, pages, active_fraction, tau)``, the model's
    own ρ, so ties are the model's ties). ``None`` if it breaks none of them."""
    names = [c["name"] for c in clients]
    for name in names:
        if name not in got:
            return explain("idle_tax.missing", name=name)
    for name in got:
        if name not in names:
            return explain("idle_tax.extra", name=name)
    for c in clients:
        pages = got[c["name"]]
        if pages > c["max_pages"]:
            return explain("idle_tax.above_max", name=c["name"], got=pages, most=c["max_pages"])
        if pages < c["min_pages"]:
            return explain("idle_tax.below_min", name=c["name"], got=pages, least=c["min_pages"])
    wanted, given = sum(c["max_pages"] for c in clients), sum(got.values())
    if given != min(total, wanted):
        sums = {"given": given, "wanted": wanted, "total": total}
        if total >= wanted:
            return explain("idle_tax.enough", **sums)
        return explain("idle_tax.total", **sums, need=wanted - total)
    return _lowest_first(clients, tau, got, rho)


def _lowest_first(
    clients: Sequence[Mapping[str, Any]], tau: float, got: Mapping[str, int], rho: Rho
) -> Text | None:
    """A client that lost a page while another, with a lower ρ, kept one: the pair that shows
    the pages taken are not the ones the lowest-ρ rule takes (one exists whenever they are not)."""

    def key(c: Mapping[str, Any], pages: int) -> tuple[float, str]:
        return rho(c["shares"], pages, c["active_fraction"], tau), c["name"]

    losers = [c for c in clients if got[c["name"]] < c["max_pages"]]
    keepers = [c for c in clients if got[c["name"]] > c["min_pages"]]
    if not losers or not keepers:
        return None
    loser = max(losers, key=lambda c: key(c, got[c["name"]] + 1))
    keeper = min(keepers, key=lambda c: key(c, got[c["name"]]))
    held, kept = got[loser["name"]], got[keeper["name"]]
    lost_at = held + 1  # its ρ is the one before its last page went; the text names held
    if key(keeper, kept) >= key(loser, lost_at):
        return None
    rho_loser, rho_keeper = key(loser, lost_at)[0], key(keeper, kept)[0]
    pair = {"loser": loser["name"], "keeper": keeper["name"], "held": held, "kept": kept}
    if rho_loser == rho_keeper:
        return explain("idle_tax.tie", **pair, rho=_shown(rho_loser, rho_loser)[0])
    shown_loser, shown_keeper = _shown(rho_loser, rho_keeper)
    return explain("idle_tax.lowest", **pair, rho_loser=shown_loser, rho_keeper=shown_keeper)


def _shown(a: float, b: float) -> tuple[str, str]:
    """Both numbers with just enough digits to tell them apart (four at least)."""
    for digits in range(4, 18):
        first, second = f"{a:.{digits}g}", f"{b:.{digits}g}"
        if first != second or a == b:
            return first, second
    return repr(a), repr(b)
