"""Recruiter ATS repositories and unit of work over SQL (SQLite and PostgreSQL). Rows map one to one onto the
dataclasses of ``core.jobs.model.ats``; the board's job and application repositories are reused (an ATS job is a
board job)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Self, TypeVar

from sqlalchemy import RowMapping, Table, delete, exists, func, insert, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.jobs import SqlApplicationRepository, SqlJobRepository
from adapters.db.outbox import SqlMailOutbox
from adapters.db.tables.accounts import linked_accounts, organization_members, profiles, users
from adapters.db.tables.ats import (
    ats_applications,
    ats_candidates,
    ats_job_settings,
    ats_job_shares,
    ats_member_roles,
    ats_resumes,
    ats_status_events,
    ats_steps,
)
from adapters.db.tables.jobs import job_applications
from adapters.db.uow import SqlUnitOfWork, TaskKick
from core.jobs.model.ats import (
    AtsApplication,
    Candidate,
    HiringSettings,
    MemberRole,
    OrgSeat,
    Resume,
    Role,
    StatusEvent,
    Step,
)
from core.shared.errors import Conflict
from ports.ats import AtsUser, MemberCard
from ports.readcache import ViewInvalidation

__all__ = ("SqlAtsUnitOfWork", "person_name", "row_to", "user_columns")

R = TypeVar("R")


def row_to(cls: type[R], row: RowMapping | Mapping[str, Any], prefix: str = "") -> R:
    """A dataclass from the columns of its table (``prefix``: labelled columns of a join)."""
    return cls(**{f.name: row[prefix + f.name] for f in dataclasses.fields(cls)  # type: ignore[arg-type]
                  if prefix + f.name in row})


def _values(row: object, table: Table, *, with_id: bool = False) -> dict[str, Any]:
    names = {c.name for c in table.columns}
    values = {f.name: getattr(row, f.name) for f in dataclasses.fields(row) if f.name in names}  # type: ignore[arg-type]
    if not with_id:
        values.pop("id", None)
    return values


def person_name(first: str | None, last: str | None, company: str | None, email: str) -> str:
    name = " ".join(p for p in (first or "", last or "") if p and p != "N/A").strip()
    return company or name or email.split("@")[0]


def user_columns() -> list[Any]:
    return [users.c.id, users.c.email, users.c.user_type, profiles.c.first_name, profiles.c.last_name,
            profiles.c.company_name, profiles.c.profile_photo, profiles.c.resume]


def ats_user(row: RowMapping | Mapping[str, Any]) -> AtsUser:
    return AtsUser(
        id=row["id"], email=row["email"],
        name=person_name(row["first_name"], row["last_name"], row["company_name"], row["email"]),
        is_employer=row["user_type"] == "employer", profile_photo=row["profile_photo"] or "",
        resume=row["resume"] or "",
    )


def _upsert(uow: SqlUnitOfWork, table: Table, values: dict[str, Any], keys: list[str]) -> Any:
    dialect = postgresql if uow.connection.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table).values(**values)
    return stmt.on_conflict_do_update(index_elements=keys, set_={k: v for k, v in values.items() if k not in keys})


def _insert_ignore(uow: SqlUnitOfWork, table: Table) -> Any:
    dialect = postgresql if uow.connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing()


class SqlAtsPeople:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def user(self, user_id: int) -> AtsUser | None:
        found = await self.users([user_id])
        return found[0] if found else None

    async def users(self, user_ids: list[int]) -> list[AtsUser]:
        if not user_ids:
            return []
        stmt = select(*user_columns()).select_from(users.outerjoin(profiles, profiles.c.user_id == users.c.id)) \
            .where(users.c.id.in_(user_ids)).order_by(users.c.id)
        return [ats_user(r) for r in (await self._uow.execute(stmt)).mappings().all()]

    async def seats(self, user_id: int) -> list[OrgSeat]:
        me = users.alias("me")
        own = select(me.c.id.label("org"), literal("admin").label("role")).where(
            me.c.id == user_id, me.c.user_type == "employer")
        created = select(linked_accounts.c.child_id.label("org"), literal("admin").label("role")).join(
            users, users.c.id == linked_accounts.c.child_id
        ).where(linked_accounts.c.main_id == user_id, users.c.user_type == "employer")
        joined = select(
            organization_members.c.organization_id.label("org"),
            func.coalesce(ats_member_roles.c.role, "viewer").label("role"),
        ).select_from(organization_members.outerjoin(
            ats_member_roles, ats_member_roles.c.membership_id == organization_members.c.id
        )).where(organization_members.c.member_id == user_id)
        rows = (await self._uow.execute(own.union_all(created, joined))).mappings().all()
        rank = {"admin": 0, "editor": 1, "viewer": 2}
        best: dict[int, str] = {}
        for row in rows:
            org, role = int(row["org"]), str(row["role"])
            if org not in best or rank[role] < rank[best[org]]:
                best[org] = role
        return [OrgSeat(organization_id=o, role=Role(best[o])) for o in sorted(best)]

    async def membership(self, organization_id: int, user_id: int) -> int | None:
        stmt = select(organization_members.c.id).where(
            organization_members.c.organization_id == organization_id, organization_members.c.member_id == user_id)
        value = (await self._uow.execute(stmt)).scalar()
        return int(value) if value is not None else None

    async def add_membership(self, organization_id: int, user_id: int) -> int:
        await self._uow.execute(_insert_ignore(self._uow, organization_members).values(
            organization_id=organization_id, member_id=user_id))
        found = await self.membership(organization_id, user_id)
        assert found is not None
        return found

    async def remove_membership(self, organization_id: int, user_id: int) -> bool:
        result = await self._uow.execute(delete(organization_members).where(
            organization_members.c.organization_id == organization_id, organization_members.c.member_id == user_id))
        return bool(getattr(result, "rowcount", 0))

    async def put_role(self, role: MemberRole) -> None:
        await self._uow.execute(_upsert(self._uow, ats_member_roles, _values(role, ats_member_roles),
                                        ["membership_id"]))

    async def members(self, organization_id: int) -> list[MemberCard]:
        stmt = (
            select(*user_columns(), func.coalesce(ats_member_roles.c.role, "viewer").label("role"))
            .select_from(
                organization_members.join(users, users.c.id == organization_members.c.member_id)
                .outerjoin(profiles, profiles.c.user_id == users.c.id)
                .outerjoin(ats_member_roles, ats_member_roles.c.membership_id == organization_members.c.id)
            )
            .where(organization_members.c.organization_id == organization_id)
            .order_by(users.c.id)
        )
        return [
            MemberCard(user_id=(u := ats_user(r)).id, name=u.name, email=u.email, role=r["role"])
            for r in (await self._uow.execute(stmt)).mappings().all()
        ]

    async def board_application(self, application_id: int) -> tuple[int, int, datetime] | None:
        stmt = select(job_applications.c.job_id, job_applications.c.applicant_id, job_applications.c.applied_at) \
            .where(job_applications.c.id == application_id)
        row = (await self._uow.execute(stmt)).mappings().first()
        return (int(row["job_id"]), int(row["applicant_id"]), row["applied_at"]) if row is not None else None


class SqlHiringSettings:
    __slots__ = ("_uow",)

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    async def get(self, job_id: int) -> HiringSettings | None:
        row = (await self._uow.execute(
            select(ats_job_settings).where(ats_job_settings.c.job_id == job_id))).mappings().first()
        return row_to(HiringSettings, row) if row is not None else None

    async def put(self, settings: HiringSettings) -> None:
        await self._uow.execute(_upsert(self._uow, ats_job_settings,
                                        _values(settings, ats_job_settings, with_id=True), ["job_id"]))

    async def shared_with(self, job_id: int) -> list[int]:
        stmt = select(ats_job_shares.c.user_id).where(ats_job_shares.c.job_id == job_id).order_by(
            ats_job_shares.c.user_id)
        return [int(r[0]) for r in (await self._uow.execute(stmt)).all()]

    async def share(self, job_id: int, user_ids: list[int]) -> None:
        if user_ids:
            await self._uow.execute(_insert_ignore(self._uow, ats_job_shares).values(
                [{"job_id": job_id, "user_id": u} for u in user_ids]))

    async def unshare(self, job_id: int, user_ids: list[int]) -> None:
        if user_ids:
            await self._uow.execute(delete(ats_job_shares).where(
                ats_job_shares.c.job_id == job_id, ats_job_shares.c.user_id.in_(user_ids)))

    async def is_shared(self, job_id: int, user_id: int) -> bool:
        stmt = select(exists().where(ats_job_shares.c.job_id == job_id, ats_job_shares.c.user_id == user_id))
        return bool((await self._uow.execute(stmt)).scalar())


class _Rows:
    """Get/add/update/delete of one table whose rows are one dataclass with an ``id``."""

    __slots__ = ("_cls", "_conflict", "_table", "_uow")

    def __init__(self, uow: SqlUnitOfWork, table: Table, cls: type[Any], conflict: str = "This object already exists."
                 ) -> None:
        self._uow = uow
        self._table = table
        self._cls = cls
        self._conflict = conflict

    async def _one(self, *where: Any, for_update: bool = False) -> Any:
        stmt = select(self._table).where(*where)
        if for_update:
            # FOR NO KEY UPDATE (keys never change): rows referencing this one may still be inserted meanwhile
            # (their foreign-key check takes FOR KEY SHARE); FOR UPDATE blocked them, and a scoring task that had
            # inserted an event deadlocked with a recruiter's move on the same application.
            stmt = stmt.with_for_update(key_share=True)
        row = (await self._uow.execute(stmt)).mappings().first()
        return row_to(self._cls, row) if row is not None else None

    async def _many(self, *where: Any, order: Any = None) -> list[Any]:
        stmt = select(self._table).where(*where).order_by(order if order is not None else self._table.c.id)
        return [row_to(self._cls, r) for r in (await self._uow.execute(stmt)).mappings().all()]

    async def get(self, object_id: int) -> Any:
        return await self._one(self._table.c.id == object_id)

    async def add(self, obj: Any) -> Any:
        try:
            result = await self._uow.execute(
                insert(self._table).values(**_values(obj, self._table)).returning(self._table.c.id))
        except IntegrityError:
            raise Conflict(self._conflict) from None
        obj.id = int(result.scalar_one())
        return obj

    async def update(self, obj: Any) -> None:
        try:
            await self._uow.execute(update(self._table).where(self._table.c.id == obj.id).values(
                **_values(obj, self._table)))
        except IntegrityError:
            raise Conflict(self._conflict) from None

    async def delete(self, object_id: int) -> None:
        await self._uow.execute(delete(self._table).where(self._table.c.id == object_id))


class SqlCandidates(_Rows):
    __slots__ = ()

    def __init__(self, uow: SqlUnitOfWork) -> None:
        super().__init__(uow, ats_candidates, Candidate, "A candidate with this e-mail already exists.")

    async def get(self, candidate_id: int) -> Candidate | None:
        found: Candidate | None = await super().get(candidate_id)
        return found

    async def find(self, organization_id: int, *, email: str | None = None, user_id: int | None = None
                   ) -> Candidate | None:
        t = ats_candidates
        where = t.c.email == email if email is not None else t.c.user_id == user_id
        found: Candidate | None = await self._one(t.c.organization_id == organization_id, where)
        return found

    async def job_ids(self, candidate_id: int) -> list[int]:
        stmt = select(ats_applications.c.job_id).where(ats_applications.c.candidate_id == candidate_id) \
            .order_by(ats_applications.c.job_id)
        return [int(r[0]) for r in (await self._uow.execute(stmt)).all()]


class SqlAtsApplications(_Rows):
    __slots__ = ()

    def __init__(self, uow: SqlUnitOfWork) -> None:
        super().__init__(uow, ats_applications, AtsApplication, "This candidate is already in this job.")

    async def get(self, application_id: int, *, for_update: bool = False) -> AtsApplication | None:
        found: AtsApplication | None = await self._one(ats_applications.c.id == application_id, for_update=for_update)
        return found

    async def find(self, candidate_id: int, job_id: int, *, for_update: bool = False) -> AtsApplication | None:
        t = ats_applications
        found: AtsApplication | None = await self._one(t.c.candidate_id == candidate_id, t.c.job_id == job_id,
                                                        for_update=for_update)
        return found

    async def by_board(self, board_application_id: int) -> AtsApplication | None:
        found: AtsApplication | None = await self._one(ats_applications.c.board_application_id == board_application_id)
        return found

    async def add(self, application: AtsApplication) -> bool:
        stmt = _insert_ignore(self._uow, ats_applications).values(**_values(application, ats_applications)) \
            .returning(ats_applications.c.id)
        new_id = (await self._uow.execute(stmt)).scalar()
        if new_id is None:
            return False
        application.id = int(new_id)
        return True


class SqlStatusEvents(_Rows):
    __slots__ = ()

    def __init__(self, uow: SqlUnitOfWork) -> None:
        super().__init__(uow, ats_status_events, StatusEvent)

    async def of(self, application_id: int) -> list[StatusEvent]:
        found: list[StatusEvent] = await self._many(ats_status_events.c.application_id == application_id)
        return found


class SqlResumes(_Rows):
    __slots__ = ()

    def __init__(self, uow: SqlUnitOfWork) -> None:
        super().__init__(uow, ats_resumes, Resume, "This application already has a resume.")

    async def get(self, resume_id: int) -> Resume | None:
        found: Resume | None = await super().get(resume_id)
        return found

    async def of(self, application_id: int) -> Resume | None:
        found: Resume | None = await self._one(ats_resumes.c.application_id == application_id)
        return found

    async def of_candidate(self, candidate_id: int) -> list[Resume]:
        found: list[Resume] = await self._many(ats_resumes.c.candidate_id == candidate_id)
        return found


class SqlSteps(_Rows):
    __slots__ = ()

    def __init__(self, uow: SqlUnitOfWork) -> None:
        super().__init__(uow, ats_steps, Step, "This key is taken.")

    async def get(self, step_id: int) -> Step | None:
        found: Step | None = await super().get(step_id)
        return found

    async def by_key(self, key: str, *, for_update: bool = False) -> Step | None:
        found: Step | None = await self._one(ats_steps.c.key == key, for_update=for_update)
        return found


class SqlAtsUnitOfWork(SqlUnitOfWork):
    __slots__ = ("_applications", "_board_applications", "_candidates", "_events", "_jobs", "_outbox", "_people",
                 "_resumes", "_settings", "_steps", "clock")

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        views: ViewInvalidation | None = None,
        task_kick: TaskKick | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(engine, views=views, task_kick=task_kick)
        self.clock = clock
        self._jobs = SqlJobRepository(self)
        self._board_applications = SqlApplicationRepository(self)
        self._people = SqlAtsPeople(self)
        self._settings = SqlHiringSettings(self)
        self._candidates = SqlCandidates(self)
        self._applications = SqlAtsApplications(self)
        self._events = SqlStatusEvents(self)
        self._resumes = SqlResumes(self)
        self._steps = SqlSteps(self)
        self._outbox = SqlMailOutbox(self)

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self._outbox = SqlMailOutbox(self)
        return self

    async def commit(self) -> None:
        await self._outbox.flush(self.clock() if self.clock else datetime.now(UTC))
        await super().commit()

    @property
    def jobs(self) -> SqlJobRepository:
        return self._jobs

    @property
    def board_applications(self) -> SqlApplicationRepository:
        return self._board_applications

    @property
    def people(self) -> SqlAtsPeople:
        return self._people

    @property
    def settings(self) -> SqlHiringSettings:
        return self._settings

    @property
    def candidates(self) -> SqlCandidates:
        return self._candidates

    @property
    def applications(self) -> SqlAtsApplications:
        return self._applications

    @property
    def events(self) -> SqlStatusEvents:
        return self._events

    @property
    def resumes(self) -> SqlResumes:
        return self._resumes

    @property
    def steps(self) -> SqlSteps:
        return self._steps

    @property
    def outbox(self) -> SqlMailOutbox:
        return self._outbox

