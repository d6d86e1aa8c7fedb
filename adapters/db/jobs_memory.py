"""The in-memory twin of the jobs (board) repositories and read models, on ``adapters/db/memory.py``.

A job row carries its industries and searchable words (``job_industries`` and ``job_terms`` are folded into
``jobs``), a preference row its title words (``job_preference_terms`` folded into ``job_preferences``). The rules
(ordering, bounds, ranking) are the SQL read models'; the contract tests run both."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from adapters.db.accounts import MEMBERS, PROFILES, USERS
from adapters.db.jobs import job_words
from adapters.db.jobs_queries import LISTED_MAX, RECOMMENDED_MAX, rank_key
from adapters.db.memory import InMemoryStore, InMemoryUnitOfWork, MemoryTable
from adapters.db.tables.jobs import job_alert_deliveries, job_applications, job_preferences, job_saves, jobs
from core.jobs.model.board import Application, Job, JobStatus, Preference, match_score
from core.jobs.model.kernel import words
from core.jobs.model.views import (
    ApplicantCard,
    ApplicantView,
    AppliedView,
    JobView,
    RecentApplicant,
    SearchFilters,
)
from core.shared.pagination import Page, PageRequest
from ports.jobs import BoardMember
from ports.readcache import ViewInvalidation
from ports.tasks import TaskKick

__all__ = ("InMemoryJobsReads", "InMemoryJobsUnitOfWork")


@dataclass(kw_only=True)
class _SaveRow:
    user_id: int
    job_id: int
    created_at: datetime


@dataclass(kw_only=True)
class _DeliveryRow:
    job_id: int
    user_id: int
    created_at: datetime


def _job_row(job: Job) -> Job:
    row = dataclasses.replace(job)
    row.pending_events = []
    return row


JOBS = MemoryTable(jobs, Job)
APPLICATIONS = MemoryTable(job_applications, Application, conflict="You have already applied for this job.")
SAVES = MemoryTable(job_saves, _SaveRow)
PREFERENCES = MemoryTable(job_preferences, Preference)
DELIVERIES = MemoryTable(job_alert_deliveries, _DeliveryRow)


class _Jobs:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def get(self, job_id: int, *, for_update: bool = False) -> Job | None:
        return self._uow.get(JOBS, job_id)

    async def add(self, job: Job) -> Job:
        row = _job_row(job)
        job.id = self._uow.insert(JOBS, row)
        return job

    async def update(self, job: Job) -> None:
        self._uow.update(JOBS, _job_row(job))

    async def set_status(self, jobs: list[Job]) -> None:
        for job in jobs:
            self._uow.patch(JOBS, job.id, status=job.status, updated_at=job.updated_at)

    async def expired_active(self, today: date, limit: int) -> list[Job]:
        return self._uow.select(
            JOBS, lambda j: j.status is JobStatus.ACTIVE and j.application_deadline < today,
            order=lambda j: (j.application_deadline, j.id), limit=limit,
        )

    async def count_expired_active(self, today: date) -> int:
        return self._uow.count(JOBS, lambda j: j.status is JobStatus.ACTIVE and j.application_deadline < today)


class _Applications:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def add(self, application: Application) -> bool:
        row = dataclasses.replace(application)
        row.pending_events = []
        if not self._uow.insert_or_ignore(APPLICATIONS, row):
            return False
        application.id = row.id
        return True

    async def exists_for(self, job_id: int) -> bool:
        return self._uow.exists(APPLICATIONS, lambda a: a.job_id == job_id)


class _Saves:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def add(self, user_id: int, job_id: int, at: datetime) -> bool:
        return self._uow.insert_or_ignore(SAVES, _SaveRow(user_id=user_id, job_id=job_id, created_at=at))

    async def remove(self, user_id: int, job_id: int) -> bool:
        return self._uow.delete(SAVES, (user_id, job_id))


class _Preferences:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def get(self, user_id: int) -> Preference | None:
        return self._uow.get(PREFERENCES, user_id)

    async def put(self, preference: Preference) -> None:
        self._uow.upsert(PREFERENCES, dataclasses.replace(preference), on=("user_id",))


class _People:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def member(self, user_id: int) -> BoardMember | None:
        user = self._uow.view(USERS).get(user_id)
        if user is None:
            return None
        return BoardMember(id=user.id, is_employer=str(user.user_type) == "employer", industry=user.industry)

    async def in_organization(self, user_id: int, organization_id: int) -> bool:
        return self._uow.exists(MEMBERS, lambda m: m.organization_id == organization_id and m.member_id == user_id)


def _score(job: Job, preference: Preference) -> int:
    return match_score(
        job_terms=words(job.title),
        employment_type=str(job.employment_type),
        work_type=str(job.work_type),
        experience_level=str(job.experience_level),
        preference_terms=preference.terms,
        preferred_employment_type=str(preference.employment_type),
        preferred_work_type=str(preference.work_type),
        preferred_experience_level=str(preference.experience_level),
    )


class _Alerts:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def candidates(self, job: Job, min_score: int, limit: int, after_user_id: int = 0) -> list[int]:
        users = self._uow.view(USERS)
        found = [
            p.user_id
            for p in self._uow.view(PREFERENCES).values()
            if p.user_id > after_user_id
            and p.user_id != job.poster_id
            and p.industry in job.industries
            and (u := users.get(p.user_id)) is not None
            and u.job_alerts
            and _score(job, p) >= min_score
        ]
        return sorted(found)[:limit]

    async def record(self, job_id: int, user_ids: list[int], at: datetime) -> list[int]:
        return sorted(
            u for u in user_ids
            if self._uow.insert_or_ignore(DELIVERIES, _DeliveryRow(job_id=job_id, user_id=u, created_at=at))
        )


class InMemoryJobsUnitOfWork(InMemoryUnitOfWork):
    def __init__(
        self, store: InMemoryStore, *, views: ViewInvalidation | None = None, task_kick: TaskKick | None = None
    ) -> None:
        super().__init__(store, views=views, task_kick=task_kick)
        self.jobs = _Jobs(self)
        self.applications = _Applications(self)
        self.saves = _Saves(self)
        self.preferences = _Preferences(self)
        self.people = _People(self)
        self.alerts = _Alerts(self)


def _newest(rows: list[Job], limit: int = LISTED_MAX) -> list[Job]:
    return sorted(rows, key=lambda j: (j.created_at, j.id), reverse=True)[:limit]


class InMemoryJobsReads:
    """``JobsReads`` over the committed in-memory tables, with the SQL read models' rules."""

    __slots__ = ("_store",)

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def _jobs(self) -> dict[Any, Job]:
        return dict(self._store.committed(JOBS))

    def _saved_ids(self, viewer_id: int | None) -> set[int]:
        if viewer_id is None:
            return set()
        return {s.job_id for s in self._store.committed(SAVES).values() if s.user_id == viewer_id}

    def _page(self, rows: list[Job], viewer_id: int | None, page: PageRequest) -> Page[JobView]:
        saved = self._saved_ids(viewer_id)
        chosen = rows[page.offset: page.offset + page.size]
        items = [JobView(job=dataclasses.replace(j), is_saved=j.id in saved) for j in chosen]
        return Page(items, len(rows) if chosen or page.number == 1 else 0, page)

    async def job(self, viewer_id: int | None, job_id: int) -> JobView | None:
        job = self._jobs().get(job_id)
        if job is None:
            return None
        return JobView(job=dataclasses.replace(job), is_saved=job.id in self._saved_ids(viewer_id))

    async def posted(self, viewer_id: int, status: JobStatus | None, page: PageRequest) -> Page[JobView]:
        rows = [j for j in self._jobs().values() if j.poster_id == viewer_id and (status is None or j.status is status)]
        return self._page(sorted(rows, key=lambda j: (j.created_at, j.id), reverse=True), viewer_id, page)

    async def recommended(self, viewer_id: int, today: date, page: PageRequest) -> Page[JobView] | None:
        viewer = self._store.committed(USERS).get(viewer_id)
        if viewer is None:
            return None
        preference = self._store.committed(PREFERENCES).get(viewer_id)
        industries = tuple(dict.fromkeys([viewer.industry, *([preference.industry] if preference else [])]))
        candidates: dict[int, Job] = {}
        for industry in industries[:2]:
            matching = [j for j in self._jobs().values() if j.status is JobStatus.ACTIVE
                        and industry in j.industries and j.application_deadline >= today]
            candidates.update((j.id, j) for j in _newest(matching, RECOMMENDED_MAX))
        newest = list(candidates.values())

        def key(j: Job) -> tuple[Any, ...]:
            return rank_key({
                "id": j.id, "created_at": j.created_at, "application_deadline": j.application_deadline,
                "title": j.title, "organization": j.organization, "employment_type": j.employment_type,
                "work_type": j.work_type, "experience_level": j.experience_level,
            }, preference)

        return self._page(sorted(newest, key=key), viewer_id, page)

    async def search(
        self, viewer_id: int | None, filters: SearchFilters, today: date, page: PageRequest
    ) -> Page[JobView]:
        def fits(j: Job) -> bool:
            if j.status is not JobStatus.ACTIVE or j.application_deadline < today:
                return False
            if filters.terms and not set(filters.terms) <= set(job_words(j.title, j.organization)):
                return False
            return all(
                want is None or str(have) == want
                for have, want in (
                    (j.employment_type, filters.employment_type),
                    (j.work_type, filters.work_type),
                    (j.experience_level, filters.experience_level),
                    (j.country, filters.country),
                )
            )

        return self._page(_newest([j for j in self._jobs().values() if fits(j)]), viewer_id, page)

    async def saved(self, viewer_id: int, limit: int) -> list[JobView]:
        jobs_by_id = self._jobs()
        saves = sorted(
            (s for s in self._store.committed(SAVES).values() if s.user_id == viewer_id and s.job_id in jobs_by_id),
            key=lambda s: (s.created_at, s.job_id), reverse=True,
        )[:limit]
        return [JobView(job=dataclasses.replace(jobs_by_id[s.job_id]), is_saved=True) for s in saves]

    async def applied(self, viewer_id: int, limit: int) -> list[AppliedView]:
        jobs_by_id = self._jobs()
        mine = sorted(
            (a for a in self._store.committed(APPLICATIONS).values() if a.applicant_id == viewer_id),
            key=lambda a: (a.applied_at, a.id), reverse=True,
        )[:limit]
        return [AppliedView(id=a.id, applied_at=a.applied_at, job=dataclasses.replace(jobs_by_id[a.job_id]))
                for a in mine if a.job_id in jobs_by_id]

    def _card(self, user_id: int) -> ApplicantCard:
        p = self._store.committed(PROFILES).get(user_id)
        return ApplicantCard(
            id=user_id,
            first_name=p.first_name if p else "",
            last_name=p.last_name if p else "",
            middle_name=p.middle_name if p else "N/A",
            profile_photo=p.profile_photo if p else None,
            qualification=p.qualification if p else "",
            resume=p.resume if p else "",
        )

    async def applicants(self, job_id: int, page: PageRequest) -> Page[ApplicantView]:
        rows = sorted(
            (a for a in self._store.committed(APPLICATIONS).values() if a.job_id == job_id),
            key=lambda a: (a.applied_at, a.id), reverse=True,
        )
        chosen = rows[page.offset: page.offset + page.size]
        items = [ApplicantView(id=a.id, applied_at=a.applied_at, applicant=self._card(a.applicant_id)) for a in chosen]
        return Page(items, len(rows) if chosen or page.number == 1 else 0, page)

    async def recent_applicants(self, poster_id: int, limit: int) -> list[RecentApplicant]:
        jobs_by_id = self._jobs()
        rows = sorted(
            (a for a in self._store.committed(APPLICATIONS).values() if a.poster_id == poster_id),
            key=lambda a: (a.applied_at, a.id), reverse=True,
        )[:limit]
        out: list[RecentApplicant] = []
        for a in rows:
            card = self._card(a.applicant_id)
            out.append(RecentApplicant(id=a.id, first_name=card.first_name, last_name=card.last_name,
                                       job_title=jobs_by_id[a.job_id].title))
        return out
