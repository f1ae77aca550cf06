"""Clients asking for more pages than the machine has, and the tax rate τ.

Kinds: "tax" (the default τ = 0.75, clients of different activity), "tie" (two identical clients
whose ρ ties, so the name that sorts first gives up the page), "no-tax" (τ = 0: plain
proportional share), "other-tau" (a τ other than 0 and 0.75), "min-pages" (a guaranteed minimum
stops the reclaiming), "all-idle" (no client uses its memory) and "enough-memory" (nothing to
reclaim). Every hidden case is checked so that no near-tie that rounding could decide sits
where the reclaiming stops: a tie there is only ever between clients with the same shares,
activity and pages, whose ρ is the same number however a learner computes it.
"""

from tutor.sim import TaxClient, idle_tax_allocation


def _client(name, shares, active, most, least=0):
    return {
        "name": name,
        "shares": shares,
        "active_fraction": active,
        "max_pages": most,
        "min_pages": least,
    }


def _allocation(total, clients, tau):
    return idle_tax_allocation(total, [TaxClient(**c) for c in clients], tau)


def _clear_cut(total, clients, tau):
    """Whether rounding cannot change the allocation. Reclaiming a page at a time from the
    lowest ρ takes the pages whose ρ (at the size the client has when it gives the page up)
    are the smallest, so only the boundary between the last page taken and the first page kept
    matters: False if those are within a millionth of each other, unless they are a tie
    between identical clients (same shares, activity and pages: the same ρ however computed)."""
    k = 1 / (1 - tau)
    pages = []  # (ρ, name, identity) of every page a client could give up
    for c in clients:
        f = c["active_fraction"]
        for held in range(c["min_pages"] + 1, c["max_pages"] + 1):
            rho = c["shares"] / (held * (f + k * (1 - f)))
            pages.append((rho, c["name"], (c["shares"], f, held)))
    need = sum(c["max_pages"] for c in clients) - total
    if need <= 0 or need >= len(pages):
        return True
    pages.sort()
    boundary = pages[need - 1][0]
    near = [(i < need, same) for i, (r, _, same) in enumerate(pages) if _close(r, boundary)]
    straddles = len({taken for taken, _ in near}) > 1
    return not straddles or len({same for _, same in near}) == 1


def _close(a, b):
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b))


def _case(en, zh, total, clients, tau, kinds):
    return {
        "name": en,
        "title": {"en": en, "zh": zh},
        "args": {"total_pages": total, "clients": clients, "tau": tau},
        "kinds": kinds,
    }


PRACTICE = [
    _case(
        "half active against fully idle",
        "半活跃对完全空闲",
        700,
        [_client("busy", 1000, 0.5, 400), _client("idle", 1000, 0.0, 400)],
        0.75,
        ["tax"],
    ),
    _case(
        "three clients: the reclaiming spreads",
        "三个客户：回收会摊开",
        900,
        [
            _client("web", 2000, 0.9, 500),
            _client("batch", 1000, 0.2, 400),
            _client("cache", 1500, 0.0, 300),
        ],
        0.75,
        ["tax"],
    ),
    _case(
        "two identical clients: a tie",
        "两个一模一样的客户：ρ 相同",
        11,
        [_client("beta", 1000, 0.5, 8), _client("alpha", 1000, 0.5, 8)],
        0.75,
        ["tie"],
    ),
    _case(
        "τ = 0: no tax at all",
        "τ = 0：完全不收税",
        600,
        [_client("db", 1000, 1.0, 400), _client("backup", 1500, 0.0, 400)],
        0.0,
        ["no-tax"],
    ),
    _case(
        "τ = 0.5",
        "τ = 0.5：较低的税率",
        500,
        [_client("busy", 1000, 0.8, 300), _client("idle", 1250, 0.1, 300)],
        0.5,
        ["other-tau"],
    ),
    _case(
        "a guaranteed minimum",
        "有保证的最少页数",
        500,
        [_client("idle", 1000, 0.0, 400, 250), _client("busy", 1000, 0.5, 400)],
        0.75,
        ["tax", "min-pages"],
    ),
    _case(
        "everyone idle",
        "所有客户都空闲",
        450,
        [_client("a", 1000, 0.0, 300), _client("b", 2000, 0.0, 300), _client("c", 600, 0.0, 200)],
        0.75,
        ["all-idle"],
    ),
    _case(
        "enough memory for everyone",
        "内存够所有客户用",
        1000,
        [_client("web", 1000, 0.5, 500), _client("db", 2000, 0.0, 400)],
        0.75,
        ["enough-memory"],
    ),
]

NAMES = ("web", "db", "batch", "cache", "mail", "build", "vdi", "backup", "ci", "logs")
ACTIVE = (0.0, 0.1, 0.2, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 1.0)
TITLES = {
    "tax": ("the default τ = 0.75", "默认的 τ = 0.75"),
    "tie": ("two identical clients", "两个一模一样的客户"),
    "no-tax": ("τ = 0", "τ = 0：不收税"),
    "other-tau": ("another tax rate", "另一个税率"),
    "min-pages": ("guaranteed minimums", "有保证的最少页数"),
    "all-idle": ("everyone idle", "所有客户都空闲"),
    "enough-memory": ("enough memory", "内存够用"),
    "four": ("four clients", "四个客户"),
}


def _clients(rng, count, idle=False):
    return [
        _client(
            name,
            rng.randrange(500, 3001, 250),
            0.0 if idle else rng.choice(ACTIVE),
            rng.randrange(100, 401, 10),
        )
        for name in rng.sample(NAMES, count)
    ]


def _losers(total, clients, tau):
    pages = _allocation(total, clients, tau)
    return [c for c in clients if pages[c["name"]] < c["max_pages"]], pages


def _draw(rng, flavour, count=3):
    """(total, clients, tau) for one flavour, or None if this draw does not show it."""
    tau = {"no-tax": 0.0, "other-tau": rng.choice((0.25, 0.5, 0.9))}.get(flavour, 0.75)
    idle = flavour == "all-idle"
    clients = _clients(rng, rng.randint(2, 4) if idle else count, idle)
    wanted = sum(c["max_pages"] for c in clients)
    if flavour == "enough-memory":
        return wanted + rng.choice((0, rng.randint(1, 60))), clients, tau
    if flavour == "tie":
        twin = dict(clients[0], name=clients[1]["name"])
        first, second = sorted((clients[0]["name"], twin["name"]))
        clients = [dict(clients[0], name=second), clients[2], dict(twin, name=first)]
        wanted = sum(c["max_pages"] for c in clients)
    if flavour == "min-pages":
        for c in rng.sample(clients, 2):
            c["min_pages"] = rng.randrange(c["max_pages"] // 2, c["max_pages"], 10)
    total = wanted - rng.randint(wanted // 5, wanted // 2)
    if sum(c["min_pages"] for c in clients) > total or not _clear_cut(total, clients, tau):
        return None
    losers, pages = _losers(total, clients, tau)
    if flavour == "tie":
        twins = [pages[c["name"]] for c in (clients[0], clients[2])]
        return (total, clients, tau) if abs(twins[0] - twins[1]) == 1 else None
    if flavour == "min-pages":
        floor = [dict(c, min_pages=0) for c in clients]
        at_min = [c for c in clients if c["min_pages"] and pages[c["name"]] == c["min_pages"]]
        if not at_min or _allocation(total, floor, tau) == pages:
            return None
    if flavour in ("tax", "other-tau", "min-pages"):
        if pages == _allocation(total, clients, 0.0):
            return None  # the tax has to matter here
    if flavour in ("no-tax", "other-tau") and pages == _allocation(total, clients, 0.75):
        return None  # and so does this τ
    if flavour in ("tax", "no-tax", "other-tau", "all-idle"):
        spread = len(losers) >= 2 and all(pages[c["name"]] > c["min_pages"] for c in losers)
        if not spread:
            return None
    return total, clients, tau


def hidden(rng):
    cases = []
    for flavour in ("tax", "tie", "no-tax", "other-tau", "min-pages", "all-idle", "four"):
        drawn = None
        while drawn is None:
            drawn = _draw(rng, "tax", 4) if flavour == "four" else _draw(rng, flavour)
        kinds = {"min-pages": ["tax", "min-pages"], "four": ["tax"]}.get(flavour, [flavour])
        cases.append(_case(*TITLES[flavour], *drawn, kinds))
    drawn = _draw(rng, "enough-memory")
    cases.append(_case(*TITLES["enough-memory"], *drawn, ["enough-memory"]))
    return cases
