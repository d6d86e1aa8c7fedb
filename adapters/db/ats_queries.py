"""Read models of the recruiter ATS over SQL. Every list applies the visibility rule of ``core.jobs.ats.access``
inside its query (``visible_jobs``) and costs a fixed number of statements whatever the page size: the count, the
page, and one statement per enrichment (applicant counts, people, applied jobs, resumes)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, case, cast, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.db.ats import ats_user, row_to, user_columns
from adapters.db.jobs import job_from
from adapters.db.tables.accounts import profiles, users
from adapters.db.tables.ats import (
    ats_applications,
    ats_candidates,
    ats_job_settings,
    ats_job_shares,
    ats_resumes,
    ats_status_events,
    ats_steps,
)
from adapters.db.tables.jobs import jobs
from core.jobs.model.ats import Candidate, HiringSettings, Resume, Seat, StatusEvent, Step
from core.shared.pagination import Page, PageRequest
from ports.ats import (
    AtsUser,
    CandidateCard,
    CandidateFilters,
    Counts,
    EmailCheck,
    JobCard,
    JobFilters,
    ResumeCard,
    StageCount,
    StatusFilters,
    StepCard,
)

__all__ = ("SqlAtsReads", "visible_jobs")

S = ats_job_settings


def visible_jobs(seat: Seat) -> Select[Any]:
    """Ids of the jobs ``seat`` sees: the organisation's, not deleted; all for an admin, else owned or shared."""
    stmt = select(jobs.c.id).select_from(jobs.outerjoin(S, S.c.job_id == jobs.c.id)).where(
        jobs.c.poster_id == seat.organization_id, S.c.deleted_at.is_(None))
    if not seat.is_admin:
        stmt = stmt.where(or_(S.c.owner_id == seat.user_id, exists().where(
            ats_job_shares.c.job_id == jobs.c.id, ats_job_shares.c.user_id == seat.user_id)))
    return stmt


def _settings_from(row: Any, job_id: int, org: int) -> HiringSettings:
    if row["s_job_id"] is None:
        return HiringSettings(job_id=job_id, organization_id=org)
    return row_to(HiringSettings, row, "s_")


def _order(column: Any, descending: bool, tie: Any) -> list[Any]:
    return [column.desc(), tie.desc()] if descending else [column.asc(), tie.asc()]


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class SqlAtsReads:
    __slots__ = ("_engine",)

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    # ------------------------------------------------------------------ jobs

    async def _job_cards(self, conn: AsyncConnection, rows: Sequence[Any], today: date) -> list[JobCard]:
        ids = [r["id"] for r in rows]
        if not ids:
            return []
        start = datetime.combine(today, time(), tzinfo=UTC)
        counts = (await conn.execute(
            select(ats_applications.c.job_id, func.count(),
                   func.sum(case((ats_applications.c.created_at >= start, 1), else_=0)))
            .where(ats_applications.c.job_id.in_(ids)).group_by(ats_applications.c.job_id)
        )).all()
        by_job = {int(r[0]): (int(r[1]), int(r[2] or 0)) for r in counts}
        shares = (await conn.execute(
            select(ats_job_shares.c.job_id, ats_job_shares.c.user_id).where(ats_job_shares.c.job_id.in_(ids))
            .order_by(ats_job_shares.c.job_id, ats_job_shares.c.user_id)
        )).all()
        shared: dict[int, list[int]] = {}
        for job_id, user_id in shares:
            shared.setdefault(int(job_id), []).append(int(user_id))
        people_ids = {u for us in shared.values() for u in us} | {r["s_owner_id"] for r in rows if r["s_owner_id"]}
        people: dict[int, AtsUser] = {}
        if people_ids:
            found = (await conn.execute(
                select(*user_columns()).select_from(users.outerjoin(profiles, profiles.c.user_id == users.c.id))
                .where(users.c.id.in_(people_ids))
            )).mappings().all()
            people = {r["id"]: ats_user(r) for r in found}
        cards = []
        for r in rows:
            job = job_from(r)
            settings = _settings_from(r, job.id, job.poster_id)
            total, today_count = by_job.get(job.id, (0, 0))
            cards.append(JobCard(
                job=job, settings=settings, owner=people.get(settings.owner_id) if settings.owner_id else None,
                shared_with=[people[u] for u in shared.get(job.id, []) if u in people],
                applicants_count=total, applicants_today_count=today_count,
            ))
        return cards

    def _job_select(self) -> Select[Any]:
        return select(jobs, *[c.label(f"s_{c.name}") for c in S.columns]).select_from(
            jobs.outerjoin(S, S.c.job_id == jobs.c.id))

    async def jobs(self, seat: Seat, filters: JobFilters, page: PageRequest, today: date) -> Page[JobCard]:
        where: list[ColumnElement[bool]] = [jobs.c.id.in_(visible_jobs(seat))]
        if filters.published is not None:
            where.append(jobs.c.status == "active" if filters.published else jobs.c.status != "active")
        skills_text = func.lower(cast(S.c.must_have_skills, String))
        for skill in filters.must_skills:
            where.append(skills_text.like(_like(f'"{skill.lower()}"'), escape="\\"))
        for skill in filters.skills:
            pattern = _like(skill.lower())
            where.append(or_(skills_text.like(pattern, escape="\\"),
                             func.lower(jobs.c.title).like(pattern, escape="\\"),
                             func.lower(jobs.c.description).like(pattern, escape="\\")))
        name = filters.order.lstrip("-")
        column = {"created_at": jobs.c.created_at, "title": jobs.c.title,
                  "close_date": jobs.c.application_deadline}[name]
        async with self._engine.connect() as conn:
            total = int((await conn.execute(
                select(func.count()).select_from(jobs.outerjoin(S, S.c.job_id == jobs.c.id)).where(*where)
            )).scalar_one())
            rows = (await conn.execute(
                self._job_select().where(*where).order_by(*_order(column, filters.order.startswith("-"), jobs.c.id))
                .limit(page.size).offset(page.offset)
            )).mappings().all()
            cards = await self._job_cards(conn, rows, today)
        return Page(cards, total, page)

    async def job(self, seat: Seat, job_id: int, today: date) -> JobCard | None:
        async with self._engine.connect() as conn:
            rows = (await conn.execute(
                self._job_select().where(jobs.c.id == job_id, jobs.c.id.in_(visible_jobs(seat)))
            )).mappings().all()
            cards = await self._job_cards(conn, rows, today)
        return cards[0] if cards else None

    # ------------------------------------------------------------------ candidates

    async def _candidate_cards(self, conn: AsyncConnection, seat: Seat, rows: Sequence[Any], job_id: int | None
                               ) -> list[CandidateCard]:
        ids = [r["id"] for r in rows]
        if not ids:
            return []
        apps = (await conn.execute(
            select(ats_applications.c.candidate_id, ats_applications.c.job_id, ats_applications.c.stage_name,
                   ats_applications.c.created_at, jobs.c.title)
            .join(jobs, jobs.c.id == ats_applications.c.job_id)
            .where(ats_applications.c.candidate_id.in_(ids), ats_applications.c.job_id.in_(visible_jobs(seat)))
            .order_by(ats_applications.c.candidate_id, ats_applications.c.created_at.desc(),
                      ats_applications.c.id.desc())
        )).all()
        applied: dict[int, list[tuple[int, str]]] = {}
        stage: dict[int, str] = {}
        for candidate_id, app_job, stage_name, _, title in apps:
            applied.setdefault(candidate_id, []).append((int(app_job), title))
            if (job_id is None and candidate_id not in stage) or app_job == job_id:
                stage[candidate_id] = stage_name
        resumes = (await conn.execute(
            select(ats_resumes).where(ats_resumes.c.candidate_id.in_(ids),
                                      ats_resumes.c.job_id.in_(visible_jobs(seat)))
            .order_by(ats_resumes.c.candidate_id, ats_resumes.c.created_at.desc(), ats_resumes.c.id.desc())
        )).mappings().all()
        resume: dict[int, Resume] = {}
        for r in resumes:
            found = row_to(Resume, r)
            if (job_id is None and found.candidate_id not in resume) or found.job_id == job_id:
                resume[found.candidate_id] = found
        return [
            CandidateCard(candidate=row_to(Candidate, r), resume=resume.get(r["id"]),
                          applied_jobs=applied.get(r["id"], []),
                          current_stage=stage.get(r["id"], ""))
            for r in rows
        ]

    def _candidate_where(self, seat: Seat, filters: CandidateFilters) -> list[ColumnElement[bool]]:
        c, a = ats_candidates, ats_applications
        app_where: list[ColumnElement[bool]] = [a.c.candidate_id == c.c.id, a.c.job_id.in_(visible_jobs(seat))]
        if filters.job is not None:
            app_where.append(a.c.job_id == filters.job)
        if filters.stage is not None:
            app_where.append(or_(a.c.status == filters.stage, a.c.stage_name == filters.stage))
        where: list[ColumnElement[bool]] = [c.c.organization_id == seat.organization_id, exists().where(*app_where)]
        if filters.name:
            where.append(func.lower(c.c.name).like(_like(filters.name.lower()), escape="\\"))
        if filters.email:
            where.append(func.lower(c.c.email).like(_like(filters.email.lower()), escape="\\"))
        if filters.city:
            where.append(func.lower(c.c.city) == filters.city.lower())
        if filters.state:
            where.append(func.lower(c.c.state) == filters.state.lower())
        if filters.updated_from is not None:
            where.append(c.c.updated_at >= datetime.combine(filters.updated_from, time(), tzinfo=UTC))
        if filters.updated_to is not None:
            where.append(c.c.updated_at < datetime.combine(filters.updated_to + timedelta(days=1), time(), tzinfo=UTC))
        resume_where: list[ColumnElement[bool]] = [ats_resumes.c.candidate_id == c.c.id,
                                                   ats_resumes.c.job_id.in_(visible_jobs(seat))]
        if filters.job is not None:
            resume_where.append(ats_resumes.c.job_id == filters.job)
        if filters.score_gte is not None:
            where.append(exists().where(*resume_where, ats_resumes.c.overall >= filters.score_gte))
        for skill in filters.skills:
            where.append(exists().where(*resume_where, func.lower(cast(ats_resumes.c.skills_matched, String)).like(
                _like(f'"{skill.lower()}"'), escape="\\")))
        return where

    async def candidates(self, seat: Seat, filters: CandidateFilters, page: PageRequest) -> Page[CandidateCard]:
        c = ats_candidates
        where = self._candidate_where(seat, filters)
        name = filters.order.lstrip("-")
        resume_scope = [ats_resumes.c.candidate_id == c.c.id, ats_resumes.c.job_id.in_(visible_jobs(seat))]
        if filters.job is not None:
            resume_scope.append(ats_resumes.c.job_id == filters.job)
        column: Any = {
            "name": c.c.name, "created_at": c.c.created_at, "email": c.c.email,
            "overall_score": select(func.coalesce(func.max(ats_resumes.c.overall), -1)).where(*resume_scope)
            .scalar_subquery(),
            "latest_resume_created_at": select(func.max(ats_resumes.c.created_at)).where(*resume_scope)
            .scalar_subquery(),
        }[name]
        async with self._engine.connect() as conn:
            total = int((await conn.execute(select(func.count()).select_from(c).where(*where))).scalar_one())
            rows = (await conn.execute(
                select(c).where(*where).order_by(*_order(column, filters.order.startswith("-"), c.c.id))
                .limit(page.size).offset(page.offset)
            )).mappings().all()
            cards = await self._candidate_cards(conn, seat, rows, filters.job)
        return Page(cards, total, page)

    async def candidate(self, seat: Seat, candidate_id: int, job_id: int | None) -> CandidateCard | None:
        where = self._candidate_where(seat, CandidateFilters(job=job_id))
        async with self._engine.connect() as conn:
            rows = (await conn.execute(
                select(ats_candidates).where(ats_candidates.c.id == candidate_id, *where))).mappings().all()
            cards = await self._candidate_cards(conn, seat, rows, job_id)
        return cards[0] if cards else None

    # ------------------------------------------------------------------ resumes

    def _resume_select(self) -> Select[Any]:
        return select(ats_resumes, ats_candidates.c.name.label("c_name"), ats_candidates.c.email.label("c_email")) \
            .join(ats_candidates, ats_candidates.c.id == ats_resumes.c.candidate_id)

    @staticmethod
    def _resume_card(r: Any) -> ResumeCard:
        return ResumeCard(resume=row_to(Resume, r), candidate_name=r["c_name"], candidate_email=r["c_email"])

    async def resumes(self, seat: Seat, job_id: int | None, order: str, page: PageRequest) -> Page[ResumeCard]:
        where: list[ColumnElement[bool]] = [ats_resumes.c.job_id.in_(visible_jobs(seat))]
        if job_id is not None:
            where.append(ats_resumes.c.job_id == job_id)
        column = {"created_at": ats_resumes.c.created_at,
                  "overall_score": func.coalesce(ats_resumes.c.overall, -1)}[order.lstrip("-")]
        async with self._engine.connect() as conn:
            total = int((await conn.execute(select(func.count()).select_from(ats_resumes).where(*where))).scalar_one())
            rows = (await conn.execute(
                self._resume_select().where(*where).order_by(*_order(column, order.startswith("-"), ats_resumes.c.id))
                .limit(page.size).offset(page.offset)
            )).mappings().all()
        return Page([self._resume_card(r) for r in rows], total, page)

    async def resume(self, seat: Seat, resume_id: int) -> ResumeCard | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(self._resume_select().where(
                ats_resumes.c.id == resume_id, ats_resumes.c.job_id.in_(visible_jobs(seat))))).mappings().first()
        return self._resume_card(row) if row is not None else None

    # ------------------------------------------------------------------ statuses

    async def statuses(self, seat: Seat, filters: StatusFilters, page: PageRequest) -> Page[StatusEvent]:
        e, a = ats_status_events, ats_applications
        where: list[ColumnElement[bool]] = [a.c.job_id.in_(visible_jobs(seat))]
        if filters.job is not None:
            where.append(a.c.job_id == filters.job)
        if filters.candidate is not None:
            where.append(a.c.candidate_id == filters.candidate)
        if filters.status is not None:
            where.append(a.c.status == filters.status)
        column = {"updated_at": a.c.status_at, "status": a.c.status, "stage_name": a.c.stage_name}[
            filters.order.lstrip("-")]
        async with self._engine.connect() as conn:
            total = int((await conn.execute(select(func.count()).select_from(a).where(*where))).scalar_one())
            rows = (await conn.execute(
                select(e).join(a, a.c.status_event_id == e.c.id).where(*where)
                .order_by(*_order(column, filters.order.startswith("-"), a.c.id)).limit(page.size).offset(page.offset)
            )).mappings().all()
        return Page([row_to(StatusEvent, r) for r in rows], total, page)

    async def history(self, seat: Seat, job_id: int | None, candidate_id: int | None, page: PageRequest
                      ) -> Page[StatusEvent]:
        e = ats_status_events
        where: list[ColumnElement[bool]] = [e.c.job_id.in_(visible_jobs(seat))]
        if job_id is not None:
            where.append(e.c.job_id == job_id)
        if candidate_id is not None:
            where.append(e.c.candidate_id == candidate_id)
        async with self._engine.connect() as conn:
            total = int((await conn.execute(select(func.count()).select_from(e).where(*where))).scalar_one())
            rows = (await conn.execute(
                select(e).where(*where).order_by(e.c.updated_at.desc(), e.c.id.desc())
                .limit(page.size).offset(page.offset)
            )).mappings().all()
        return Page([row_to(StatusEvent, r) for r in rows], total, page)

    # ------------------------------------------------------------------ steps

    def _step_select(self) -> Select[Any]:
        return select(ats_steps, ats_candidates.c.name.label("c_name"), ats_candidates.c.email.label("c_email"),
                      jobs.c.title.label("j_title")) \
            .join(ats_candidates, ats_candidates.c.id == ats_steps.c.candidate_id) \
            .join(jobs, jobs.c.id == ats_steps.c.job_id)

    @staticmethod
    def _step_card(r: Any) -> StepCard:
        return StepCard(step=row_to(Step, r), candidate_name=r["c_name"], candidate_email=r["c_email"],
                        job_title=r["j_title"])

    async def steps(self, seat: Seat, kind: str, job_id: int | None, page: PageRequest) -> Page[StepCard]:
        where: list[ColumnElement[bool]] = [ats_steps.c.kind == kind, ats_steps.c.job_id.in_(visible_jobs(seat))]
        if job_id is not None:
            where.append(ats_steps.c.job_id == job_id)
        async with self._engine.connect() as conn:
            total = int((await conn.execute(select(func.count()).select_from(ats_steps).where(*where))).scalar_one())
            rows = (await conn.execute(
                self._step_select().where(*where).order_by(ats_steps.c.assigned_at.desc(), ats_steps.c.id.desc())
                .limit(page.size).offset(page.offset)
            )).mappings().all()
        return Page([self._step_card(r) for r in rows], total, page)

    async def step(self, seat: Seat, kind: str, step_id: int) -> StepCard | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(self._step_select().where(
                ats_steps.c.id == step_id, ats_steps.c.kind == kind, ats_steps.c.job_id.in_(visible_jobs(seat)))
            )).mappings().first()
        return self._step_card(row) if row is not None else None

    # ------------------------------------------------------------------ counts

    async def stage_counts(self, job_id: int) -> list[StageCount]:
        a = ats_applications
        async with self._engine.connect() as conn:
            rows = (await conn.execute(
                select(a.c.status, func.count()).where(a.c.job_id == job_id).group_by(a.c.status))).all()
        return [StageCount(label=r[0], count=int(r[1])) for r in rows]

    async def counts(self, seat: Seat) -> Counts:
        visible = visible_jobs(seat)
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(
                select(func.count()).select_from(visible.subquery()).scalar_subquery(),
                select(func.count()).select_from(ats_applications).where(ats_applications.c.job_id.in_(visible))
                .scalar_subquery(),
            ))).one()
        return Counts(jobs=int(row[0]), applicants=int(row[1]))

    async def check_email(self, job_id: int, email: str) -> EmailCheck:
        c, a = ats_candidates, ats_applications
        async with self._engine.connect() as conn:
            row = (await conn.execute(
                select(c.c.id, a.c.id.label("app_id"), ats_resumes.c.file_url)
                .select_from(jobs.join(c, c.c.organization_id == jobs.c.poster_id)
                             .outerjoin(a, and_(a.c.candidate_id == c.c.id, a.c.job_id == jobs.c.id))
                             .outerjoin(ats_resumes, ats_resumes.c.application_id == a.c.id))
                .where(jobs.c.id == job_id, c.c.email == email)
            )).mappings().first()
        if row is None:
            return EmailCheck(exists=False, retries=1)
        applied = row["app_id"] is not None
        return EmailCheck(exists=True, candidate_id=row["id"], applied_job=applied, resume=row["file_url"],
                          retries=0 if applied else 1)

