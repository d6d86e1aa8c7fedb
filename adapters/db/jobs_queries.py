"""Read models of the job board over SQL: every list is one statement (rows, per-viewer ``is_saved`` and the total
through ``count(*) OVER ()``), whatever the number of jobs; candidates are walked in index order and bounded to the
newest ``LISTED_MAX``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, Select, and_, exists, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.db.jobs import job_from, job_words, preference_from
from adapters.db.tables.accounts import profiles, users
from adapters.db.tables.jobs import job_applications, job_industries, job_preferences, job_saves, job_terms, jobs
from core.jobs.model.board import JobStatus, Preference, match_score
from core.jobs.model.views import (
    ApplicantCard,
    ApplicantView,
    AppliedView,
    JobView,
    RecentApplicant,
    SearchFilters,
)
from core.shared.pagination import Page, PageRequest

__all__ = ("LISTED_MAX", "RECOMMENDED_MAX", "SqlJobsReads", "rank_key")

LISTED_MAX = 500
# Recommendations rank the newest matching jobs of each of the viewer's industries (at most two: the viewer's and
# the preference's), at most this many of each.
RECOMMENDED_MAX = 100


def rank_key(row: RowMapping | Mapping[str, Any], preference: Preference | None) -> tuple[Any, ...]:
    """The order of recommendations: the best match of the preference first (``match_score``), then newest, then
    the nearest deadline, then the highest id."""
    score = 0
    if preference is not None:
        score = match_score(
            job_terms=job_words(row["title"], row["organization"]),
            employment_type=str(row["employment_type"]),
            work_type=str(row["work_type"]),
            experience_level=str(row["experience_level"]),
            preference_terms=preference.terms,
            preferred_employment_type=preference.employment_type.value,
            preferred_work_type=preference.work_type.value,
            preferred_experience_level=preference.experience_level.value,
        )
    return (-score, -row["created_at"].timestamp(), row["application_deadline"], -row["id"])
ACTIVE = JobStatus.ACTIVE.value


def _saved(viewer_id: int | None) -> ColumnElement[bool]:
    if viewer_id is None:
        return literal(False)
    return exists().where(job_saves.c.user_id == viewer_id, job_saves.c.job_id == jobs.c.id)


class SqlJobsReads:
    __slots__ = ("_engine",)

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def _rows(self, stmt: Select[Any]) -> Sequence[Any]:
        async with self._engine.connect() as conn:
            rows: Sequence[Any] = (await conn.execute(stmt)).mappings().all()
            return rows

    async def _page(self, stmt: Select[Any], page: PageRequest) -> Page[JobView]:
        stmt = stmt.add_columns(func.count().over().label("total")).limit(page.size).offset(page.offset)
        rows = await self._rows(stmt)
        total = int(rows[0]["total"]) if rows else 0
        items = [JobView(job=job_from(r), is_saved=bool(r["is_saved"])) for r in rows]
        return Page(items, total, page)

    async def job(self, viewer_id: int | None, job_id: int) -> JobView | None:
        stmt = select(jobs, _saved(viewer_id).label("is_saved")).where(jobs.c.id == job_id)
        rows = await self._rows(stmt)
        return JobView(job=job_from(rows[0]), is_saved=bool(rows[0]["is_saved"])) if rows else None

    async def posted(self, viewer_id: int, status: JobStatus | None, page: PageRequest) -> Page[JobView]:
        stmt = select(jobs, _saved(viewer_id).label("is_saved")).where(jobs.c.poster_id == viewer_id)
        if status is not None:
            stmt = stmt.where(jobs.c.status == status.value)
        return await self._page(stmt.order_by(jobs.c.created_at.desc(), jobs.c.id.desc()), page)

    async def recommended(self, viewer_id: int, today: date, page: PageRequest) -> Page[JobView] | None:
        viewer_stmt = (
            select(users.c.industry.label("user_industry"), job_preferences)
            .select_from(users.outerjoin(job_preferences, job_preferences.c.user_id == users.c.id))
            .where(users.c.id == viewer_id)
        )
        async with self._engine.connect() as conn:
            viewer = (await conn.execute(viewer_stmt)).mappings().first()
            if viewer is None:
                return None
            preference = preference_from(viewer) if viewer["user_id"] is not None else None
            industries = tuple(dict.fromkeys(
                [viewer["user_industry"], *([preference.industry] if preference is not None else [])]
            ))
            return await self._recommended(conn, viewer_id, industries, preference, today, page)

    async def _recommended(
        self, conn: AsyncConnection, viewer_id: int, industries: tuple[str, ...], preference: Preference | None,
        today: date, page: PageRequest,
    ) -> Page[JobView]:
        # 1. The newest candidates of each industry, walking its index backwards (a bounded scan per industry),
        #    with what ranking needs; ranked here with the model's match score (the twin ranks the same way).
        per_industry = [
            select(
                jobs.c.id, jobs.c.created_at, jobs.c.application_deadline, jobs.c.title, jobs.c.organization,
                jobs.c.employment_type, jobs.c.work_type, jobs.c.experience_level,
            )
            .join(job_industries, job_industries.c.job_id == jobs.c.id)
            .where(
                job_industries.c.industry == industry,
                job_industries.c.status == ACTIVE,
                jobs.c.status == ACTIVE,
                jobs.c.application_deadline >= today,
            )
            .order_by(job_industries.c.created_at.desc(), job_industries.c.job_id.desc())
            .limit(RECOMMENDED_MAX)
            for industry in industries[:2]
        ]
        if not per_industry:
            return Page([], 0, page)
        # Each part is a subquery: SQLite does not take ORDER BY/LIMIT inside a compound SELECT's members.
        stmt: Any = per_industry[0] if len(per_industry) == 1 else union_all(
            *(select(part.subquery()) for part in per_industry)
        )
        rows = {r["id"]: r for r in (await conn.execute(stmt)).mappings()}
        ranked = sorted(rows.values(), key=lambda r: rank_key(r, preference))
        chosen = [r["id"] for r in ranked[page.offset: page.offset + page.size]]
        if not chosen:
            return Page([], len(ranked) if page.number == 1 else 0, page)
        # 2. The page's rows, with the viewer's flag (same connection).
        page_rows = await conn.execute(select(jobs, _saved(viewer_id).label("is_saved")).where(jobs.c.id.in_(chosen)))
        found = {r["id"]: JobView(job=job_from(r), is_saved=bool(r["is_saved"])) for r in page_rows.mappings()}
        return Page([found[i] for i in chosen if i in found], len(ranked), page)

    async def search(
        self, viewer_id: int | None, filters: SearchFilters, today: date, page: PageRequest
    ) -> Page[JobView]:
        conditions: list[ColumnElement[bool]] = [jobs.c.status == ACTIVE, jobs.c.application_deadline >= today]
        for column, value in (
            (jobs.c.employment_type, filters.employment_type),
            (jobs.c.work_type, filters.work_type),
            (jobs.c.experience_level, filters.experience_level),
            (jobs.c.country, filters.country),
        ):
            if value is not None:
                conditions.append(column == value)
        if filters.terms:
            first, *rest = filters.terms
            for n, term in enumerate(rest):
                other = job_terms.alias(f"term{n}")
                conditions.append(exists().where(other.c.job_id == jobs.c.id, other.c.term == term))
            candidates = (
                select(job_terms.c.job_id, job_terms.c.created_at)
                .join(jobs, jobs.c.id == job_terms.c.job_id)
                .where(job_terms.c.term == first, job_terms.c.status == ACTIVE, *conditions)
                .order_by(job_terms.c.created_at.desc(), job_terms.c.job_id.desc())
                .limit(LISTED_MAX)
                .subquery("candidates")
            )
        else:
            candidates = (
                select(jobs.c.id.label("job_id"), jobs.c.created_at)
                .where(*conditions)
                .order_by(jobs.c.created_at.desc(), jobs.c.id.desc())
                .limit(LISTED_MAX)
                .subquery("candidates")
            )
        # The page of the candidates (with their exact count), then only the page's rows and flags.
        chosen = (
            select(candidates.c.job_id, candidates.c.created_at, func.count().over().label("total"))
            .order_by(candidates.c.created_at.desc(), candidates.c.job_id.desc())
            .limit(page.size)
            .offset(page.offset)
            .subquery("chosen")
        )
        stmt = (
            select(jobs, _saved(viewer_id).label("is_saved"), chosen.c.total)
            .join(chosen, chosen.c.job_id == jobs.c.id)
            .order_by(chosen.c.created_at.desc(), chosen.c.job_id.desc())
        )
        rows = await self._rows(stmt)
        items = [JobView(job=job_from(r), is_saved=bool(r["is_saved"])) for r in rows]
        return Page(items, int(rows[0]["total"]) if rows else 0, page)

    async def saved(self, viewer_id: int, limit: int) -> list[JobView]:
        stmt = (
            select(jobs)
            .join(job_saves, and_(job_saves.c.job_id == jobs.c.id, job_saves.c.user_id == viewer_id))
            .order_by(job_saves.c.created_at.desc(), jobs.c.id.desc())
            .limit(limit)
        )
        return [JobView(job=job_from(r), is_saved=True) for r in await self._rows(stmt)]

    async def applied(self, viewer_id: int, limit: int) -> list[AppliedView]:
        stmt = (
            select(jobs, job_applications.c.id.label("application_id"), job_applications.c.applied_at)
            .join(job_applications, job_applications.c.job_id == jobs.c.id)
            .where(job_applications.c.applicant_id == viewer_id)
            .order_by(job_applications.c.applied_at.desc(), job_applications.c.id.desc())
            .limit(limit)
        )
        return [
            AppliedView(id=r["application_id"], applied_at=r["applied_at"], job=job_from(r))
            for r in await self._rows(stmt)
        ]

    async def applicants(self, job_id: int, page: PageRequest) -> Page[ApplicantView]:
        stmt = (
            select(
                job_applications.c.id,
                job_applications.c.applied_at,
                users.c.id.label("user_id"),
                profiles.c.first_name,
                profiles.c.last_name,
                profiles.c.middle_name,
                profiles.c.profile_photo,
                profiles.c.qualification,
                profiles.c.resume,
                func.count().over().label("total"),
            )
            .join(users, users.c.id == job_applications.c.applicant_id)
            .join(profiles, profiles.c.user_id == users.c.id)
            .where(job_applications.c.job_id == job_id)
            .order_by(job_applications.c.applied_at.desc(), job_applications.c.id.desc())
            .limit(page.size)
            .offset(page.offset)
        )
        rows = await self._rows(stmt)
        items = [
            ApplicantView(
                id=r["id"],
                applied_at=r["applied_at"],
                applicant=ApplicantCard(
                    id=r["user_id"], first_name=r["first_name"], last_name=r["last_name"],
                    middle_name=r["middle_name"], profile_photo=r["profile_photo"],
                    qualification=r["qualification"], resume=r["resume"],
                ),
            )
            for r in rows
        ]
        return Page(items, int(rows[0]["total"]) if rows else 0, page)

    async def recent_applicants(self, poster_id: int, limit: int) -> list[RecentApplicant]:
        stmt = (
            select(job_applications.c.id, profiles.c.first_name, profiles.c.last_name, jobs.c.title)
            .join(jobs, jobs.c.id == job_applications.c.job_id)
            .join(profiles, profiles.c.user_id == job_applications.c.applicant_id)
            .where(job_applications.c.poster_id == poster_id)
            .order_by(job_applications.c.applied_at.desc(), job_applications.c.id.desc())
            .limit(limit)
        )
        return [
            RecentApplicant(id=r["id"], first_name=r["first_name"], last_name=r["last_name"], job_title=r["title"])
            for r in await self._rows(stmt)
        ]
