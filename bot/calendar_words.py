"""English month names, written once for the query's date filter (``bot.datefilter``)
and ingest's date finder (``bot.ingest.dates``). A module of its own, importing nothing
of ours, so neither side pulls in the other (dates imports bot.models, which imports
datefilter)."""

from __future__ import annotations

MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# Full names and the usual abbreviations ("Sept", "Jun"), as a regex alternation; the
# capitalised form is for places where "may 5" must not be a date.
MONTH_PATTERN = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
CAP_MONTH_PATTERN = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)


def month_number(name: str) -> int:
    """ "Sept" -> 9, "march" -> 3: by the first three letters, any case."""
    key = name.lower()[:3]
    return next(i for i, full in enumerate(MONTH_NAMES, 1) if full.startswith(key))
