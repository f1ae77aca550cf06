"""A course's time zone: the clock its deadlines are typed in and shown in.

Deadlines are stored, compared and subtracted in UTC (``schedule``); a zone only changes how a
moment is written for people and how a typed wall-clock time becomes a moment. Zones are IANA
names ("Asia/Shanghai", "America/New_York") read with ``zoneinfo``; the ``tzdata`` package
supplies the database where the operating system has none, so every machine agrees.

Daylight saving time makes two wall-clock times special, and both are handled here once:

* a time that never happens (the hour skipped when the clocks go forward) is refused with a
  message, since no moment matches it;
* a time that happens twice (the hour repeated when the clocks go back) is the first of the
  two, the earlier moment (``fold=0``), so a deadline never comes an hour late.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DEFAULT_ZONE = "UTC"
MINUTE = "%Y-%m-%d %H:%M"


# Names in the machine's zone files that are no place's time: "localtime" is whatever this
# server's clock is set to (a course page would say "01:30 localtime"), "Factory" a placeholder.
NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA name this machine knows, sorted (for the settings form's suggestions)."""
    return tuple(sorted((available_timezones() - NOT_PLACES) | {DEFAULT_ZONE}))


@cache
def _by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in zone_names()}


def canonical_zone(name: str) -> str | None:
    """The IANA spelling of ``name`` ("asia/shanghai" → "Asia/Shanghai"), or ``None`` when no
    zone has that name."""
    return _by_folded_name().get(name.strip().casefold())


@cache
def zone(name: str) -> tzinfo:
    """The zone called ``name``; UTC for a name this machine does not know (a database moved
    from a machine with newer zone data still shows every deadline, in UTC and saying so)."""
    try:
        return ZoneInfo(name) if name and name != DEFAULT_ZONE else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def shown_zone(name: str) -> str:
    """The name written next to times: the course's zone, or UTC when it is unknown here."""
    return name if zone(name) is not UTC else DEFAULT_ZONE


def as_utc(moment: datetime) -> datetime:
    """Databases hand back naive datetimes; every one stored here is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def local_time(moment: datetime, name: str) -> datetime:
    """The wall-clock time in zone ``name`` of a stored moment, naive (what a form shows)."""
    return as_utc(moment).astimezone(zone(name)).replace(tzinfo=None)


class NoSuchLocalTime(ValueError):
    """A wall-clock time the zone skips (daylight saving time starts)."""


# Deadlines a course keeps: any year in between converts to every zone and back (year 1 east of
# UTC or 9999 west of it leaves ``datetime``'s range, and every page showing it would fail).
EARLIEST_YEAR, LATEST_YEAR = 1970, 2999


def kept_year(moment: datetime) -> bool:
    return EARLIEST_YEAR <= moment.year <= LATEST_YEAR


def from_local(wall_clock: datetime, name: str) -> datetime:
    """The UTC moment of a naive wall-clock time in zone ``name``; raises ``NoSuchLocalTime``
    for a time the clocks skip. A repeated time is its first occurrence."""
    place = zone(name)
    moment = wall_clock.replace(tzinfo=place, fold=0).astimezone(UTC)
    if moment.astimezone(place).replace(tzinfo=None) != wall_clock.replace(fold=0):
        raise NoSuchLocalTime(f"{wall_clock.strftime(MINUTE)} does not exist in {name}")
    return moment


def zoned_stamp(moment: datetime | None, name: str) -> str:
    """A moment as every course page and message shows it: minutes, in the course's zone, the
    zone named ("2026-12-05 23:59 Asia/Shanghai"); empty for no moment. A wall-clock time the
    zone has twice (the night clocks go back) also says which, by its offset from UTC
    ("2026-11-01 01:30 America/New_York (UTC−05:00)"): "due 01:30, last try 01:30, late" read
    as nonsense otherwise."""
    if moment is None:
        return ""
    local = as_utc(moment).astimezone(zone(name))
    shown = f"{local.strftime(MINUTE)} {shown_zone(name)}"
    if local.replace(fold=1 - local.fold).utcoffset() == local.utcoffset():
        return shown
    offset = local.utcoffset() or timedelta(0)
    sign = "+" if offset >= timedelta(0) else "−"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{shown} (UTC{sign}{minutes // 60:02d}:{minutes % 60:02d})"
