"""Tracker metrics and reports, per owner, deleted applications left out, in calendar days of the owner's time zone
(``applied_on``), windows including today. Each answer is the owner's time zone (one statement) plus one metric
statement over an index that begins with ``owner_id, is_deleted``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from core.jobs.model.tracker import STATUSES, TrackerStatus, company_key
from core.jobs.tracker.common import owner_zone
from ports.system import Clock
from ports.tracker import CompanyCount, PostingRow, TrackerMetrics, TrackerUnitOfWork

__all__ = (
    "MONTHS",
    "DashboardRow",
    "MetricsService",
    "MonthlyCounts",
    "TitleStatusCounts",
    "WeekCount",
)

MONTHS = 12
NAMED_SERIES = 4
OTHERS = "Others"
TOTAL = "Total"
COMPANY_MAX = 200
TITLE_MAX = 100
POSTINGS_MAX = 1000
DASHBOARD_FIRST_DAYS = 90
DASHBOARD_SECOND_DAYS = 30


@dataclass(frozen=True, slots=True, kw_only=True)
class MonthlyCounts:
    months: list[date]  # the first day of each month, oldest first; the last is the current month
    series: list[tuple[str, list[int]]]


@dataclass(frozen=True, slots=True, kw_only=True)
class TitleStatusCounts:
    titles: list[str]
    statuses: tuple[TrackerStatus, ...]
    data: list[tuple[TrackerStatus, list[int]]]


@dataclass(frozen=True, slots=True, kw_only=True)
class WeekCount:
    monday: date
    year: int  # ISO year
    week: int  # ISO week
    count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class DashboardRow:
    start: date
    end: date | None  # inclusive; None = up to today
    total: int
    responded: int


def month_starts(today: date, months: int = MONTHS) -> list[date]:
    starts: list[date] = []
    year, month = today.year, today.month
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return starts[::-1]


class MetricsService:
    __slots__ = ("_clock", "_metrics", "_uow")

    def __init__(self, *, uow: Callable[[], TrackerUnitOfWork], metrics: TrackerMetrics, clock: Clock) -> None:
        self._uow = uow
        self._metrics = metrics
        self._clock = clock

    async def today(self, owner_id: int) -> date:
        """Today in the owner's time zone (404 for an unknown user)."""
        async with self._uow() as uow:
            tz = await owner_zone(uow, owner_id)
        return self._clock.now().astimezone(tz).date()

    async def total(self, owner_id: int) -> int:
        return await self._metrics.total(owner_id)

    async def by_month(
        self, owner_id: int, *, with_total: bool = False, sources: tuple[str, ...] | None = None
    ) -> MonthlyCounts:
        """The 12 months ending with the current one (today included). Series: ``sources`` when given (matched
        case-insensitively, everything else in "Others"), else the owner's four most used sources and "Others";
        then "Total" when asked."""
        today = await self.today(owner_id)
        starts = month_starts(today)
        rows = await self._metrics.by_month(owner_id, starts, today)
        # Spellings of one source (case, spaces) are one series, named by its most used spelling.
        per_key: dict[str, list[int]] = {}
        spellings: dict[str, dict[str, int]] = {}
        for row in rows:
            key = company_key(row.source)
            per_key.setdefault(key, [0] * MONTHS)[row.month] += row.count
            names = spellings.setdefault(key, {})
            names[row.source.strip()] = names.get(row.source.strip(), 0) + row.count
        if sources is not None:
            named = {company_key(s): s for s in sources}
        else:
            ranked = sorted((k for k in per_key if k), key=lambda k: (-sum(per_key[k]), k))[:NAMED_SERIES]
            named = {k: min(spellings[k], key=lambda n: (-spellings[k][n], n)) for k in ranked}
        series: dict[str, list[int]] = {name: [0] * MONTHS for name in named.values()}
        series[OTHERS] = [0] * MONTHS
        for key, counts in per_key.items():
            target = series[named.get(key, OTHERS)]
            for i, n in enumerate(counts):
                target[i] += n
        result = list(series.items())
        if with_total:
            result.append((TOTAL, [sum(c[i] for _, c in series.items()) for i in range(MONTHS)]))
        return MonthlyCounts(months=starts, series=result)

    async def by_status(self, owner_id: int) -> list[tuple[TrackerStatus, int]]:
        """Every status in board order with its count (rejected ones counted at their status)."""
        counts = await self._metrics.by_status(owner_id)
        return [(s, counts.get(s.id, 0)) for s in STATUSES]

    async def by_company(self, owner_id: int) -> list[CompanyCount]:
        return await self._metrics.by_company(owner_id, COMPANY_MAX)

    async def by_title_status(self, owner_id: int) -> TitleStatusCounts:
        rows = await self._metrics.by_title_status(owner_id, TITLE_MAX)
        titles = list(dict.fromkeys(title for title, _, _ in rows))
        index = {t: i for i, t in enumerate(titles)}
        data = {s.id: [0] * len(titles) for s in STATUSES}
        for title, status_id, count in rows:
            if status_id in data:
                data[status_id][index[title]] += count
        return TitleStatusCounts(titles=titles, statuses=STATUSES, data=[(s, data[s.id]) for s in STATUSES])

    async def postings(self, owner_id: int, since: date | None) -> list[PostingRow]:
        return await self._metrics.postings(owner_id, since, POSTINGS_MAX)

    async def per_site(self, owner_id: int, since: date | None) -> list[tuple[int | None, str, int]]:
        return await self._metrics.per_site(owner_id, since)

    async def per_week(self, owner_id: int, since: date | None) -> list[WeekCount]:
        rows = await self._metrics.per_week(owner_id, since)
        result: list[WeekCount] = []
        for monday, count in rows:
            iso = monday.isocalendar()
            result.append(WeekCount(monday=monday, year=iso.year, week=iso.week, count=count))
        return result

    async def dashboard(self, owner_id: int) -> list[DashboardRow]:
        """Three windows from the owner's saved dashboard dates (defaults: 90 and 30 days before today): since the
        first, from the first to the second, since the second. ``responded``: reached PHONE SCREEN or later."""
        async with self._uow() as uow:
            tz = await owner_zone(uow, owner_id)
            prefs = await uow.prefs.get(owner_id)
        today = self._clock.now().astimezone(tz).date()
        first = (prefs.dashboard_first_date if prefs else None) or today - timedelta(days=DASHBOARD_FIRST_DAYS)
        second = (prefs.dashboard_second_date if prefs else None) or today - timedelta(days=DASHBOARD_SECOND_DAYS)
        windows: list[tuple[date, date | None]] = [(first, None), (first, second), (second, None)]
        counts = await self._metrics.windows(owner_id, windows)
        return [DashboardRow(start=s, end=e, total=c.total, responded=c.responded)
                for (s, e), c in zip(windows, counts, strict=True)]
