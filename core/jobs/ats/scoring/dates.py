"""Dates and durations as résumés write them, at month precision.

A range is inclusive of both ends ("Jan 2019 – Mar 2019" is 3 months); a year alone starts in January and ends in
December ("2018 – 2020" is 36 months); "Present" (current, now, today, to date, ongoing) is the month of the
``today`` the caller passes — never the clock. Ranges that end after ``today`` are cut at ``today``; ranges that
start after it count nothing. Overlapping ranges are counted once (:func:`union_months`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

__all__ = ("DateRange", "YearMonth", "find_date_range", "parse_duration_months", "union_months")

MONTHS: dict[str, int] = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip

EARLIEST_YEAR = 1950


@dataclass(frozen=True, slots=True, order=True)
class YearMonth:
    year: int
    month: int

    @property
    def index(self) -> int:
        """Months since year 0: consecutive months differ by one."""
        return self.year * 12 + self.month - 1

    @classmethod
    def of(cls, day: date) -> YearMonth:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True, slots=True)
class DateRange:
    """``start`` to ``end`` inclusive (``end`` already cut at ``today``); ``ongoing`` when written as "present"."""

    start: YearMonth
    end: YearMonth
    ongoing: bool
    text: str

    @property
    def months(self) -> int:
        return max(0, self.end.index - self.start.index + 1)


_MONTH_NAME = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_PRESENT = r"present|current(?:ly)?|now|today|to\s+date|till\s+date|ongoing"


def _point(p: str) -> str:
    # A month name and a year ("Jan 2019", "January, 2019", "Jan '19"), MM/YYYY, YYYY-MM, or a year alone.
    return (
        rf"(?:(?P<{p}mn>{_MONTH_NAME})\.?,?\s*(?P<{p}ny>\d{{4}}|'\d{{2}})"
        rf"|(?P<{p}mm>\d{{1,2}})\s*[/.\-]\s*(?P<{p}my>\d{{4}})"
        rf"|(?P<{p}yy>\d{{4}})\s*[/.\-]\s*(?P<{p}ym>\d{{1,2}})(?!\d)"
        rf"|(?P<{p}y>\d{{4}}))"
    )


_SEPARATOR = r"\s*(?:–|—|‒|‐|‑|-|~|→|\bto\b|\buntil\b|\btill\b|\bthrough\b|\bthru\b)\s*"
_RANGE = re.compile(
    rf"(?<![\w/.\-])(?:(?:since|from)\s+)?{_point('s')}"
    rf"(?:{_SEPARATOR}(?:(?P<present>{_PRESENT})|{_point('e')})|\s+(?P<onward>onwards?))(?![\w/])",
    re.IGNORECASE,
)
_SINCE = re.compile(rf"(?<!\w)since\s+{_point('s')}(?![\w/])", re.IGNORECASE)


def _year(text: str) -> int:
    if text.startswith("'"):
        return 2000 + int(text[1:])  # "'19": résumés are recent enough
    return int(text)


def _read_point(match: re.Match[str], p: str, *, end: bool) -> YearMonth | None:
    group = match.group
    if group(f"{p}mn"):
        year, month = _year(group(f"{p}ny")), MONTHS[group(f"{p}mn").lower()]
    elif group(f"{p}mm"):
        year, month = int(group(f"{p}my")), int(group(f"{p}mm"))
    elif group(f"{p}yy"):
        year, month = int(group(f"{p}yy")), int(group(f"{p}ym"))
    elif group(f"{p}y"):
        year, month = int(group(f"{p}y")), 12 if end else 1
    else:  # pragma: no cover - the pattern always sets one alternative
        return None
    if not 1 <= month <= 12:
        return None
    return YearMonth(year, month)


def _build(start: YearMonth | None, end: YearMonth | None, ongoing: bool, text: str, today: date) -> DateRange | None:
    now = YearMonth.of(today)
    if start is None or end is None:
        return None
    if start.year < EARLIEST_YEAR or end.year < EARLIEST_YEAR or start.year > now.year + 1 or end.year > now.year + 10:
        return None
    if end < start or start > now:
        return None
    return DateRange(start=start, end=min(end, now), ongoing=ongoing, text=text.strip())


def find_date_range(line: str, today: date) -> DateRange | None:
    """The first plausible date range written on ``line`` ("Jan 2019 – Present", "2018-2020", "03/2017 to
    05/2019", "Since 2021"), or ``None``."""
    now = YearMonth.of(today)
    for match in _RANGE.finditer(line):
        start = _read_point(match, "s", end=False)
        ongoing = bool(match.group("present") or match.group("onward"))
        end = now if ongoing else _read_point(match, "e", end=True)
        found = _build(start, end, ongoing, match.group(0), today)
        if found is not None:
            return found
    for match in _SINCE.finditer(line):
        found = _build(_read_point(match, "s", end=False), now, True, match.group(0), today)
        if found is not None:
            return found
    return None


_DURATION = re.compile(
    r"(?<![\w.])(?P<years>\d{1,2}(?:\.\d{1,2})?)\+?\s*(?:years?|yrs?)\.?(?:\s*(?:and\s+)?(?P<ym>\d{1,2})\s*(?:months?|mos?)\b)?"
    r"|(?<![\w.])(?P<months>\d{1,3})\s*(?:months?|mos?)\b",
    re.IGNORECASE,
)


def parse_duration_months(text: str) -> int | None:
    """The first duration written in ``text`` in whole months ("2 years 6 months" → 30, "1.5 yrs" → 18,
    "18 months" → 18, "5+ years" → 60), or ``None``."""
    match = _DURATION.search(text)
    if match is None:
        return None
    if match.group("years") is not None:
        months = Fraction(match.group("years")) * 12 + int(match.group("ym") or 0)
        return int(months)
    return int(match.group("months"))


def union_months(ranges: Iterable[DateRange]) -> int:
    """How many distinct months the ranges cover: overlapping jobs are not counted twice."""
    spans = sorted((r.start.index, r.end.index + 1) for r in ranges if r.months > 0)
    total, covered_to = 0, None
    for start, stop in spans:
        if covered_to is None or start >= covered_to:
            total += stop - start
            covered_to = stop
        elif stop > covered_to:
            total += stop - covered_to
            covered_to = stop
    return total
