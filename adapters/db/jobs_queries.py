"""Read models of the job board over SQL: every list is one statement (rows, per-viewer ``is_saved`` and the total
through ``count(*) OVER ()``), whatever the number of jobs; candidates are walked in index order and bounded to the
newest ``LISTED_MAX``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, exists, false, func, literal, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.jobs import job_from
from adapters.db.tables.accounts import profiles, users
from adapters.db.tables.jobs import job_applications, job_industries, job_saves, job_terms, jobs
from core.jobs.model.board import JobStatus, Preference
from core.jobs.model.views import (
    ApplicantCard,
    ApplicantView,
    AppliedView,
    JobView,
    RecentApplicant,
    SearchFilters,
)
from core.shared.pagination import Page, PageRequest

__all__ = ("LISTED_MAX", "SqlJobsReads")

LISTED_MAX = 1000
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

    async def recommended(
        self, viewer_id: int, industries: tuple[str, ...], preference: Preference | None, today: date,
        page: PageRequest,
    ) -> Page[JobView]:
        candidates = (
            select(job_industries.c.job_id, job_industries.c.created_at)
            .where(job_industries.c.industry.in_(industries), job_industries.c.status == ACTIVE)
            .distinct()
            .order_by(job_industries.c.created_at.desc(), job_industries.c.job_id.desc())
            .limit(LISTED_MAX)
            .subquery("candidates")
        )
        score: ColumnElement[int] = literal(0)
        if preference is not None:
            shares_word: ColumnElement[bool] = (
                exists().where(job_terms.c.job_id == jobs.c.id, job_terms.c.term.in_(preference.terms))
                if preference.terms else false()
            )
            score = (
                case((shares_word, 2), else_=0)
                + case((jobs.c.employment_type == preference.employment_type.value, 1), else_=0)
                + case((jobs.c.work_type == preference.work_type.value, 1), else_=0)
                + case((jobs.c.experience_level == preference.experience_level.value, 1), else_=0)
            )
        stmt = (
            select(jobs, _saved(viewer_id).label("is_saved"))
            .join(candidates, candidates.c.job_id == jobs.c.id)
            .where(jobs.c.status == ACTIVE, jobs.c.application_deadline >= today)
            .order_by(score.desc(), jobs.c.created_at.desc(), jobs.c.application_deadline, jobs.c.id.desc())
        )
        return await self._page(stmt, page)

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
                select(job_terms.c.job_id)
                .join(jobs, jobs.c.id == job_terms.c.job_id)
                .where(job_terms.c.term == first, job_terms.c.status == ACTIVE, *conditions)
                .order_by(job_terms.c.created_at.desc(), job_terms.c.job_id.desc())
                .limit(LISTED_MAX)
                .subquery("candidates")
            )
        else:
            candidates = (
                select(jobs.c.id.label("job_id"))
                .where(*conditions)
                .order_by(jobs.c.created_at.desc(), jobs.c.id.desc())
                .limit(LISTED_MAX)
                .subquery("candidates")
            )
        stmt = (
            select(jobs, _saved(viewer_id).label("is_saved"))
            .join(candidates, candidates.c.job_id == jobs.c.id)
            .order_by(jobs.c.created_at.desc(), jobs.c.id.desc())
        )
        return await self._page(stmt, page)

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
