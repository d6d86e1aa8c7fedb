"""Jobs (board) repositories and unit of work over SQL (SQLite and PostgreSQL).

Uniqueness (one application per job and applicant, one save, one alert per job and user) is enforced by constraints
and written with ``INSERT … ON CONFLICT DO NOTHING``, so concurrent duplicates end as one row and a ``False`` answer.
A job's ``job_industries`` and ``job_terms`` rows follow its industries, title, organization and status in the same
transaction as the job."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Insert,
    RowMapping,
    Table,
    case,
    delete,
    exists,
    false,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.tables.accounts import organization_members, users
from adapters.db.tables.jobs import (
    job_alert_deliveries,
    job_applications,
    job_industries,
    job_preference_terms,
    job_preferences,
    job_saves,
    job_terms,
    jobs,
)
from adapters.db.uow import SqlUnitOfWork
from core.jobs.model.board import Application, Job, JobStatus, Preference
from core.jobs.model.kernel import EmploymentType, ExperienceLevel, WorkType, words
from ports.jobs import BoardMember
from ports.readcache import ViewInvalidation
from ports.tasks import TaskKick

__all__ = ("SqlJobsUnitOfWork", "job_from", "job_words", "preference_from")


def _insert_ignore(uow: SqlUnitOfWork, table: Table) -> Insert:
    if uow.connection.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


@lru_cache(maxsize=8192)
def job_words(title: str, organization: str) -> tuple[str, ...]:
    """The searchable words of a job: its title's, then its organization's (memoised: recommendations rank their
    candidates by these words on every read, and titles repeat)."""
    return tuple(dict.fromkeys((*words(title), *words(organization))))


def job_from(row: RowMapping | Mapping[str, Any]) -> Job:
    deadline = row["application_deadline"]
    if isinstance(deadline, str):  # SQLite through a raw text column in some aggregate reads
        deadline = date.fromisoformat(deadline)
    return Job(
        id=row["id"],
        poster_id=row["poster_id"],
        title=row["title"],
        organization=row["organization"],
        employment_type=EmploymentType(row["employment_type"]),
        work_type=WorkType(row["work_type"]),
        country=row["country"],
        salary=row["salary"],
        overview=row["overview"],
        description=row["description"],
        experience_level=ExperienceLevel(row["experience_level"]),
        application_deadline=deadline,
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        status=JobStatus(row["status"]),
        industries=tuple(i for i in row["industries"].split(",") if i) or ("others",),
    )


def preference_from(row: RowMapping | Mapping[str, Any]) -> Preference:
    return Preference(
        user_id=row["user_id"],
        title=row["title"],
        employment_type=EmploymentType(row["employment_type"]),
        work_type=WorkType(row["work_type"]),
        industry=row["industry"],
        experience_level=ExperienceLevel(row["experience_level"]),
        updated_at=row["updated_at"],
    )


def _job_values(job: Job) -> dict[str, Any]:
    return {
        "poster_id": job.poster_id,
        "title": job.title,
        "organization": job.organization,
        "employment_type": str(job.employment_type),
        "work_type": str(job.work_type),
        "country": job.country,
        "salary": job.salary,
        "overview": job.overview,
        "description": job.description,
        "industries": job.industry,
        "experience_level": str(job.experience_level),
        "application_deadline": job.application_deadline,
        "status": str(job.status),
        "created_at": job.created_at,
        "updated_at": job.updated_at,
    }


class SqlJobRepository:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def get(self, job_id: int, *, for_update: bool = False) -> Job | None:
        stmt = select(jobs).where(jobs.c.id == job_id)
        if for_update:
            # FOR NO KEY UPDATE: serializes the job's writers but not the rows that reference it (an application,
            # an ATS event or step inserted meanwhile takes FOR KEY SHARE, which FOR UPDATE would block: deadlocks).
            stmt = stmt.with_for_update(key_share=True)
        row = (await self._uow.execute(stmt)).mappings().first()
        return job_from(row) if row is not None else None

    async def add(self, job: Job) -> Job:
        result = await self._uow.execute(insert(jobs).values(**_job_values(job)).returning(jobs.c.id))
        job.id = int(result.scalar_one())
        await self._index(job)
        return job

    async def update(self, job: Job) -> None:
        await self._uow.execute(update(jobs).where(jobs.c.id == job.id).values(**_job_values(job)))
        await self._uow.execute(delete(job_industries).where(job_industries.c.job_id == job.id))
        await self._uow.execute(delete(job_terms).where(job_terms.c.job_id == job.id))
        await self._index(job)

    async def _index(self, job: Job) -> None:
        common = {"job_id": job.id, "status": str(job.status), "created_at": job.created_at}
        await self._uow.execute_many(
            insert(job_industries), [{**common, "industry": i} for i in dict.fromkeys(job.industries)]
        )
        terms = job_words(job.title, job.organization)
        if terms:
            await self._uow.execute_many(insert(job_terms), [{**common, "term": t} for t in terms])

    async def set_status(self, jobs_: list[Job]) -> None:
        groups: dict[tuple[JobStatus, datetime], list[int]] = {}
        for job in jobs_:
            groups.setdefault((job.status, job.updated_at), []).append(job.id)
        for (status, at), ids in groups.items():
            await self._uow.execute(update(jobs).where(jobs.c.id.in_(ids)).values(status=str(status), updated_at=at))
            for table in (job_industries, job_terms):
                await self._uow.execute(update(table).where(table.c.job_id.in_(ids)).values(status=str(status)))

    async def expired_active(self, today: date, limit: int) -> list[Job]:
        stmt = (
            select(jobs)
            .where(jobs.c.status == JobStatus.ACTIVE.value, jobs.c.application_deadline < today)
            .order_by(jobs.c.application_deadline, jobs.c.id)
            .limit(limit)
        )
        return [job_from(r) for r in (await self._uow.execute(stmt)).mappings().all()]

    async def count_expired_active(self, today: date) -> int:
        stmt = select(func.count()).select_from(jobs).where(
            jobs.c.status == JobStatus.ACTIVE.value, jobs.c.application_deadline < today
        )
        return int((await self._uow.execute(stmt)).scalar_one())


class SqlApplicationRepository:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def add(self, application: Application) -> bool:
        stmt = _insert_ignore(self._uow, job_applications).values(
            job_id=application.job_id,
            applicant_id=application.applicant_id,
            poster_id=application.poster_id,
            stage=str(application.stage),
            applied_at=application.applied_at,
        ).returning(job_applications.c.id)
        new_id = (await self._uow.execute(stmt)).scalar()
        if new_id is None:
            return False
        application.id = int(new_id)
        return True

    async def exists_for(self, job_id: int) -> bool:
        stmt = select(exists().where(job_applications.c.job_id == job_id))
        return bool((await self._uow.execute(stmt)).scalar())


class SqlJobSaveRepository:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def add(self, user_id: int, job_id: int, at: datetime) -> bool:
        stmt = _insert_ignore(self._uow, job_saves).values(user_id=user_id, job_id=job_id, created_at=at)
        return bool(getattr(await self._uow.execute(stmt), "rowcount", 0))

    async def remove(self, user_id: int, job_id: int) -> bool:
        stmt = delete(job_saves).where(job_saves.c.user_id == user_id, job_saves.c.job_id == job_id)
        return bool(getattr(await self._uow.execute(stmt), "rowcount", 0))


class SqlPreferenceRepository:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def get(self, user_id: int) -> Preference | None:
        row = (await self._uow.execute(
            select(job_preferences).where(job_preferences.c.user_id == user_id)
        )).mappings().first()
        return preference_from(row) if row is not None else None

    async def put(self, preference: Preference) -> None:
        values = {
            "title": preference.title,
            "employment_type": str(preference.employment_type),
            "work_type": str(preference.work_type),
            "industry": preference.industry,
            "experience_level": str(preference.experience_level),
            "updated_at": preference.updated_at,
        }
        dialect = postgresql if self._uow.connection.dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(job_preferences).values(user_id=preference.user_id, **values)
        await self._uow.execute(stmt.on_conflict_do_update(index_elements=[job_preferences.c.user_id], set_=values))
        terms = job_preference_terms
        await self._uow.execute(delete(terms).where(terms.c.user_id == preference.user_id))
        if preference.terms:
            await self._uow.execute_many(
                _insert_ignore(self._uow, job_preference_terms),
                [{"user_id": preference.user_id, "term": t} for t in preference.terms],
            )


class SqlBoardPeople:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def member(self, user_id: int) -> BoardMember | None:
        row = (await self._uow.execute(
            select(users.c.id, users.c.user_type, users.c.industry).where(users.c.id == user_id)
        )).mappings().first()
        if row is None:
            return None
        return BoardMember(id=row["id"], is_employer=row["user_type"] == "employer", industry=row["industry"])

    async def in_organization(self, user_id: int, organization_id: int) -> bool:
        stmt = select(exists().where(
            organization_members.c.organization_id == organization_id, organization_members.c.member_id == user_id
        ))
        return bool((await self._uow.execute(stmt)).scalar())


def preference_score(job: Job) -> ColumnElement[int]:
    """``core.jobs.model.board.match_score`` of each preference row against ``job``, in SQL."""
    terms = words(job.title)
    shares_word: ColumnElement[bool] = exists().where(
        job_preference_terms.c.user_id == job_preferences.c.user_id, job_preference_terms.c.term.in_(terms)
    ) if terms else false()
    return (
        case((shares_word, 2), else_=0)
        + case((job_preferences.c.employment_type == str(job.employment_type), 1), else_=0)
        + case((job_preferences.c.work_type == str(job.work_type), 1), else_=0)
        + case((job_preferences.c.experience_level == str(job.experience_level), 1), else_=0)
    )


class SqlAlertLedger:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def candidates(self, job: Job, min_score: int, limit: int, after_user_id: int = 0) -> list[int]:
        stmt = (
            select(job_preferences.c.user_id)
            .join(users, users.c.id == job_preferences.c.user_id)
            .where(
                job_preferences.c.industry.in_(job.industries),
                job_preferences.c.user_id > after_user_id,
                job_preferences.c.user_id != job.poster_id,
                users.c.job_alerts.is_(True),
                preference_score(job) >= min_score,
            )
            .order_by(job_preferences.c.user_id)
            .limit(limit)
        )
        return [int(r[0]) for r in (await self._uow.execute(stmt)).all()]

    async def record(self, job_id: int, user_ids: list[int], at: datetime) -> list[int]:
        if not user_ids:
            return []
        stmt = (
            _insert_ignore(self._uow, job_alert_deliveries)
            .values([{"job_id": job_id, "user_id": u, "created_at": at} for u in user_ids])
            .returning(job_alert_deliveries.c.user_id)
        )
        return sorted(int(r[0]) for r in (await self._uow.execute(stmt)).all())


class SqlJobsUnitOfWork(SqlUnitOfWork):
    __slots__ = ("_alerts", "_applications", "_jobs", "_people", "_preferences", "_saves")

    def __init__(
        self, engine: AsyncEngine, *, views: ViewInvalidation | None = None, task_kick: TaskKick | None = None
    ) -> None:
        super().__init__(engine, views=views, task_kick=task_kick)
        self._jobs = SqlJobRepository(self)
        self._applications = SqlApplicationRepository(self)
        self._saves = SqlJobSaveRepository(self)
        self._preferences = SqlPreferenceRepository(self)
        self._people = SqlBoardPeople(self)
        self._alerts = SqlAlertLedger(self)

    @property
    def jobs(self) -> SqlJobRepository:
        return self._jobs

    @property
    def applications(self) -> SqlApplicationRepository:
        return self._applications

    @property
    def saves(self) -> SqlJobSaveRepository:
        return self._saves

    @property
    def preferences(self) -> SqlPreferenceRepository:
        return self._preferences

    @property
    def people(self) -> SqlBoardPeople:
        return self._people

    @property
    def alerts(self) -> SqlAlertLedger:
        return self._alerts


