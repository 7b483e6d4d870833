"""Where the term lies on the timeline's axis: the bulk of the course's dates."""

from __future__ import annotations

from datetime import date, timedelta

#: The term is where the middle 90% of the dates lie (outliers aside).
TERM_QUANTILE = 0.05


def term_of(days: list[date], fallback: date) -> tuple[date, date]:
    """The Monday the bulk of the (sorted) dates starts in, and the last day of the bulk."""
    if not days:
        return fallback, fallback + timedelta(days=100)
    low = days[int(len(days) * TERM_QUANTILE)]
    high = days[min(len(days) - 1, int(len(days) * (1 - TERM_QUANTILE)))]
    return low - timedelta(days=low.weekday()), max(high, low + timedelta(days=6))
