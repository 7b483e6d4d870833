"""Days a shifted date must not land on: public holidays and the user's blackout dates.

Holidays come from the ``holidays`` package for a country and optional subdivision
(``US``, ``US-CO``, ``DE-BY``). Each year's holidays are computed once and kept as a
plain ``{date: name}`` dict, so checking thousands of dates costs a dict lookup each.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

#: A blackout range longer than this is almost certainly a typo in a year.
MAX_BLACKOUT_DAYS = 366
_REGION = re.compile(r"^([A-Za-z]{2,3})(?:-(.+))?$")


class DaysOffError(ValueError):
    """A holiday region or blackout date the user typed that we cannot use."""


def parse_region(text: str) -> tuple[str, str | None]:
    """``"US-CO"`` -> ``("US", "CO")``; ``"US"`` -> ``("US", None)``; checked against the
    countries and subdivisions the ``holidays`` package knows."""
    match = _REGION.match(text.strip())
    if not match:
        raise DaysOffError(
            f"{text!r} is not a holiday region: use a country code with an optional "
            "subdivision, like US, US-CO or DE-BY"
        )
    country, subdivision = match.group(1).upper(), match.group(2)
    supported = _supported_regions()
    if country not in supported:
        raise DaysOffError(f"no holiday calendar for country {country!r} (try US, CA, GB, DE, FR)")
    if subdivision is not None:
        known = {str(code).upper(): str(code) for code in supported[country]}
        if subdivision.upper() not in known:
            sample = ", ".join(sorted(known.values())[:12]) or "none"
            raise DaysOffError(
                f"{country} has no subdivision {subdivision!r}; known ones: {sample}"
            )
        subdivision = known[subdivision.upper()]
    return country, subdivision


def parse_blackout(text: str) -> tuple[date, date]:
    """``"2011-05-30"`` or ``"2011-05-30..2011-06-03"`` (inclusive) as a first/last pair."""
    first_text, dots, last_text = text.strip().partition("..")
    first = _parse_day(first_text, text)
    last = _parse_day(last_text, text) if dots else first
    if last < first:
        raise DaysOffError(f"blackout {text!r} ends before it starts: write FIRST..LAST")
    if (last - first).days >= MAX_BLACKOUT_DAYS:
        raise DaysOffError(f"blackout {text!r} is longer than a year; check the years")
    return first, last


def _parse_day(part: str, whole: str) -> date:
    try:
        return date.fromisoformat(part.strip())
    except ValueError:
        raise DaysOffError(
            f"blackout {whole!r}: {part.strip()!r} is not a date like 2011-05-30"
        ) from None


def _supported_regions() -> dict[str, list[str]]:
    import holidays  # on first use: it takes a while to load

    regions: dict[str, list[str]] = holidays.list_supported_countries()
    return regions


class DaysOff:
    """Holidays of one region plus blackout dates; answers "why not this day?".

    Args:
        region: ``CC`` or ``CC-SUB`` (see :func:`parse_region`), or ``None`` for none.
        blackouts: inclusive ``(first, last)`` date ranges the user wants kept free.
    """

    def __init__(self, region: str | None = None, blackouts: Iterable[tuple[date, date]] = ()):
        self.region = region
        self._country: str | None = None
        self._subdivision: str | None = None
        if region:
            self._country, self._subdivision = parse_region(region)
        self._blackouts: dict[date, str] = {}
        for first, last in blackouts:
            label = "blackout " + (
                first.isoformat() if first == last else f"{first.isoformat()}..{last.isoformat()}"
            )
            for offset in range((last - first).days + 1):
                self._blackouts.setdefault(first + timedelta(days=offset), label)
        self._years: dict[int, dict[date, str]] = {}

    @classmethod
    def parse(cls, region: str | None, blackout_texts: Iterable[str] = ()) -> DaysOff:
        """Build from what the user typed (CLI options, dialog fields)."""
        return cls(region or None, [parse_blackout(text) for text in blackout_texts])

    def __bool__(self) -> bool:
        return self._country is not None or bool(self._blackouts)

    def reason(self, day: date) -> str | None:
        """Why ``day`` is not allowed (holiday name or blackout range), or ``None``."""
        blackout = self._blackouts.get(day)
        if blackout is not None:
            return blackout
        if self._country is None:
            return None
        year = self._years.get(day.year)
        if year is None:
            year = self._years[day.year] = self._holidays_of(day.year)
        return year.get(day)

    def _holidays_of(self, year: int) -> dict[date, str]:
        import holidays

        assert self._country is not None
        calendar: Any = holidays.country_holidays(
            self._country, subdiv=self._subdivision, years=year
        )
        names: dict[date, str] = {day: str(name) for day, name in calendar.items()}
        return names
