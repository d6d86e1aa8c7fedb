"""The in-memory twin of the recruiter ATS repositories and read models, on ``adapters/db/memory.py``: one
``MemoryTable`` per SQL table (rows are the model's dataclasses), and read models applying the same visibility rule
and orderings as ``adapters/db/ats_queries.py``."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from adapters.db.accounts import LINKS, MEMBERS, PROFILES, USERS
from adapters.db.ats import person_name
from adapters.db.jobs_memory import APPLICATIONS as BOARD_APPLICATIONS
from adapters.db.jobs_memory import JOBS, InMemoryJobsUnitOfWork
from adapters.db.memory import InMemoryStore, InMemoryUnitOfWork, MemoryTable
from adapters.db.outbox import InMemoryMailOutbox
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
from core.jobs.model.ats import (
    AtsApplication,
    Candidate,
    HiringSettings,
    MemberRole,
    OrgSeat,
    Resume,
    Role,
    Seat,
    StatusEvent,
    Step,
)
from core.jobs.model.board import Job, JobStatus
from core.shared.pagination import Page, PageRequest
from ports.ats import (
    AtsUser,
    CandidateCard,
    CandidateFilters,
    Counts,
    EmailCheck,
    JobCard,
    JobFilters,
    MemberCard,
    ResumeCard,
    StageCount,
    StatusFilters,
    StepCard,
)
from ports.readcache import ViewInvalidation
from ports.tasks import TaskKick

__all__ = ("InMemoryAtsReads", "InMemoryAtsUnitOfWork")


@dataclass(kw_only=True)
class _Share:
    job_id: int
    user_id: int


ROLES = MemoryTable(ats_member_roles, MemberRole)
SETTINGS = MemoryTable(ats_job_settings, HiringSettings)
SHARES = MemoryTable(ats_job_shares, _Share)
CANDIDATES = MemoryTable(ats_candidates, Candidate, conflict="A candidate with this e-mail already exists.")
APPLICATIONS = MemoryTable(ats_applications, AtsApplication, conflict="This candidate is already in this job.")
EVENTS = MemoryTable(ats_status_events, StatusEvent)
RESUMES = MemoryTable(ats_resumes, Resume, conflict="This application already has a resume.")
STEPS = MemoryTable(ats_steps, Step, conflict="This key is taken.")

Tables = Callable[[MemoryTable[Any]], Any]


def _user(tables: Tables, user_id: int) -> AtsUser | None:
    user = tables(USERS).get(user_id)
    if user is None:
        return None
    profile = tables(PROFILES).get(user_id)
    return AtsUser(
        id=user.id, email=user.email,
        name=person_name(profile.first_name if profile else "", profile.last_name if profile else "",
                         profile.company_name if profile else None, user.email),
        is_employer=str(user.user_type) == "employer", profile_photo=(profile.profile_photo or "") if profile else "",
        resume=(profile.resume or "") if profile else "",
    )


def _seats(tables: Tables, user_id: int) -> list[OrgSeat]:
    users = tables(USERS)
    best: dict[int, Role] = {}
    rank = {Role.ADMIN: 0, Role.EDITOR: 1, Role.VIEWER: 2}

    def offer(org: int, role: Role) -> None:
        if org not in best or rank[role] < rank[best[org]]:
            best[org] = role

    me = users.get(user_id)
    if me is not None and str(me.user_type) == "employer":
        offer(user_id, Role.ADMIN)
    for link in tables(LINKS).values():
        child = users.get(link.child_id)
        if link.main_id == user_id and child is not None and str(child.user_type) == "employer":
            offer(link.child_id, Role.ADMIN)
    roles = tables(ROLES)
    for member in tables(MEMBERS).values():
        if member.member_id == user_id:
            stored = roles.get(member.id)
            offer(member.organization_id, Role(stored.role) if stored else Role.VIEWER)
    return [OrgSeat(organization_id=o, role=best[o]) for o in sorted(best)]


def _visible(tables: Tables, seat: Seat) -> set[int]:
    settings = tables(SETTINGS)
    shared = {s.job_id for s in tables(SHARES).values() if s.user_id == seat.user_id}
    found = set()
    for job in tables(JOBS).values():
        if job.poster_id != seat.organization_id:
            continue
        s = settings.get(job.id)
        if s is not None and s.deleted_at is not None:
            continue
        if seat.is_admin or (s is not None and s.owner_id == seat.user_id) or job.id in shared:
            found.add(job.id)
    return found


class _People:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def user(self, user_id: int) -> AtsUser | None:
        return _user(self._uow.view, user_id)

    async def users(self, user_ids: list[int]) -> list[AtsUser]:
        return [u for i in sorted(set(user_ids)) if (u := _user(self._uow.view, i)) is not None]

    async def seats(self, user_id: int) -> list[OrgSeat]:
        return _seats(self._uow.view, user_id)

    async def membership(self, organization_id: int, user_id: int) -> int | None:
        found = self._uow.find(MEMBERS, lambda m: m.organization_id == organization_id and m.member_id == user_id)
        return int(found.id) if found is not None else None

    async def add_membership(self, organization_id: int, user_id: int) -> int:
        found = await self.membership(organization_id, user_id)
        if found is not None:
            return found
        row = MEMBERS.row(organization_id=organization_id, member_id=user_id)
        return int(self._uow.insert(MEMBERS, row))

    async def remove_membership(self, organization_id: int, user_id: int) -> bool:
        found = await self.membership(organization_id, user_id)
        return found is not None and self._uow.delete(MEMBERS, found)

    async def put_role(self, role: MemberRole) -> None:
        self._uow.upsert(ROLES, dataclasses.replace(role), on=("membership_id",))

    async def members(self, organization_id: int) -> list[MemberCard]:
        roles = self._uow.view(ROLES)
        cards = []
        for m in sorted(self._uow.view(MEMBERS).values(), key=lambda m: m.member_id):
            if m.organization_id != organization_id or (u := _user(self._uow.view, m.member_id)) is None:
                continue
            stored = roles.get(m.id)
            cards.append(MemberCard(user_id=u.id, name=u.name, email=u.email, role=stored.role if stored else "viewer"))
        return cards

    async def board_application(self, application_id: int) -> tuple[int, int, datetime] | None:
        found = self._uow.get(BOARD_APPLICATIONS, application_id)
        return (found.job_id, found.applicant_id, found.applied_at) if found is not None else None


class _Settings:
    __slots__ = ("_uow",)

    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    async def get(self, job_id: int) -> HiringSettings | None:
        return self._uow.get(SETTINGS, job_id)

    async def put(self, settings: HiringSettings) -> None:
        self._uow.upsert(SETTINGS, copy.deepcopy(settings), on=("job_id",))

    async def shared_with(self, job_id: int) -> list[int]:
        return sorted(s.user_id for s in self._uow.view(SHARES).values() if s.job_id == job_id)

    async def share(self, job_id: int, user_ids: list[int]) -> None:
        for user_id in user_ids:
            self._uow.insert_or_ignore(SHARES, _Share(job_id=job_id, user_id=user_id))

    async def unshare(self, job_id: int, user_ids: list[int]) -> None:
        for user_id in user_ids:
            self._uow.delete(SHARES, (job_id, user_id))

    async def is_shared(self, job_id: int, user_id: int) -> bool:
        return (job_id, user_id) in self._uow.view(SHARES)


class _Rows:
    __slots__ = ("_table", "_uow")

    def __init__(self, uow: InMemoryUnitOfWork, table: MemoryTable[Any]) -> None:
        self._uow = uow
        self._table = table

    async def get(self, object_id: int) -> Any:
        return self._uow.get(self._table, object_id)

    async def add(self, obj: Any) -> Any:
        obj.id = self._uow.insert(self._table, copy.deepcopy(obj))
        return obj

    async def update(self, obj: Any) -> None:
        self._uow.update(self._table, copy.deepcopy(obj))

    async def delete(self, object_id: int) -> None:
        self._uow.delete(self._table, object_id)


class _Candidates(_Rows):
    __slots__ = ()

    async def find(self, organization_id: int, *, email: str | None = None, user_id: int | None = None
                   ) -> Candidate | None:
        if email is not None:
            return self._uow.find(CANDIDATES, lambda c: c.organization_id == organization_id and c.email == email)
        return self._uow.find(CANDIDATES, lambda c: c.organization_id == organization_id and c.user_id == user_id)

    async def job_ids(self, candidate_id: int) -> list[int]:
        return sorted(a.job_id for a in self._uow.view(APPLICATIONS).values() if a.candidate_id == candidate_id)


class _Applications(_Rows):
    __slots__ = ()

    async def get(self, application_id: int, *, for_update: bool = False) -> AtsApplication | None:
        found: AtsApplication | None = await super().get(application_id)
        return found

    async def find(self, candidate_id: int, job_id: int, *, for_update: bool = False) -> AtsApplication | None:
        return self._uow.find(APPLICATIONS, lambda a: a.candidate_id == candidate_id and a.job_id == job_id)

    async def by_board(self, board_application_id: int) -> AtsApplication | None:
        return self._uow.find(APPLICATIONS, lambda a: a.board_application_id == board_application_id)

    async def add(self, application: AtsApplication) -> bool:
        row = copy.deepcopy(application)
        if not self._uow.insert_or_ignore(APPLICATIONS, row):
            return False
        application.id = row.id
        return True


class _Events(_Rows):
    __slots__ = ()

    async def of(self, application_id: int) -> list[StatusEvent]:
        return self._uow.select(EVENTS, lambda e: e.application_id == application_id, order=lambda e: e.id)


class _Resumes(_Rows):
    __slots__ = ()

    async def of(self, application_id: int) -> Resume | None:
        return self._uow.find(RESUMES, lambda r: r.application_id == application_id)

    async def of_candidate(self, candidate_id: int) -> list[Resume]:
        return self._uow.select(RESUMES, lambda r: r.candidate_id == candidate_id, order=lambda r: r.id)


class _Steps(_Rows):
    __slots__ = ()

    async def by_key(self, key: str, *, for_update: bool = False) -> Step | None:
        return self._uow.find(STEPS, lambda s: s.key == key)


class InMemoryAtsUnitOfWork(InMemoryJobsUnitOfWork):
    """The board's twin (its ``jobs`` and ``applications``) plus the ATS repositories."""

    def __init__(
        self, store: InMemoryStore, *, views: ViewInvalidation | None = None, task_kick: TaskKick | None = None
    ) -> None:
        super().__init__(store, views=views, task_kick=task_kick)
        self.board_applications = self.applications
        self.people = _People(self)  # type: ignore[assignment]
        self.settings = _Settings(self)
        self.candidates = _Candidates(self, CANDIDATES)
        self.applications = _Applications(self, APPLICATIONS)  # type: ignore[assignment]
        self.events = _Events(self, EVENTS)
        self.resumes = _Resumes(self, RESUMES)
        self.steps = _Steps(self, STEPS)
        self.outbox = InMemoryMailOutbox(self)


# ---------------------------------------------------------------------------------------------- read models


def _sorted(rows: Iterable[Any], key: Callable[[Any], Any], descending: bool) -> list[Any]:
    return sorted(rows, key=lambda r: (key(r), r.id), reverse=descending)


def _page(rows: list[Any], page: PageRequest) -> tuple[list[Any], int]:
    return rows[page.offset: page.offset + page.size], len(rows)


class InMemoryAtsReads:
    __slots__ = ("_store",)

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def _t(self, table: MemoryTable[Any]) -> Any:
        return self._store.committed(table)

    def _job_card(self, job: Job, today: date) -> JobCard:
        settings = self._t(SETTINGS).get(job.id) or HiringSettings(job_id=job.id, organization_id=job.poster_id)
        start = datetime.combine(today, time(), tzinfo=UTC)
        apps = [a for a in self._t(APPLICATIONS).values() if a.job_id == job.id]
        shared = sorted(s.user_id for s in self._t(SHARES).values() if s.job_id == job.id)
        return JobCard(
            job=copy.deepcopy(job), settings=copy.deepcopy(settings),
            owner=_user(self._t, settings.owner_id) if settings.owner_id else None,
            shared_with=[u for i in shared if (u := _user(self._t, i)) is not None],
            applicants_count=len(apps), applicants_today_count=sum(1 for a in apps if a.created_at >= start),
        )

    async def jobs(self, seat: Seat, filters: JobFilters, page: PageRequest, today: date) -> Page[JobCard]:
        visible = _visible(self._t, seat)
        settings = self._t(SETTINGS)

        def skills(job: Job) -> list[str]:
            s = settings.get(job.id)
            return [k.lower() for k in (s.must_have_skills if s else [])]

        rows = []
        for job in self._t(JOBS).values():
            if job.id not in visible:
                continue
            if filters.published is not None and (job.status is JobStatus.ACTIVE) != filters.published:
                continue
            if any(k.lower() not in skills(job) for k in filters.must_skills):
                continue
            if any(not any(k.lower() in x for x in (*skills(job), job.title.lower(), job.description.lower()))
                   for k in filters.skills):
                continue
            rows.append(job)
        key = {"created_at": lambda j: j.created_at, "title": lambda j: j.title,
               "close_date": lambda j: j.application_deadline}[filters.order.lstrip("-")]
        chosen, total = _page(_sorted(rows, key, filters.order.startswith("-")), page)
        return Page([self._job_card(j, today) for j in chosen], total, page)

    async def job(self, seat: Seat, job_id: int, today: date) -> JobCard | None:
        job = self._t(JOBS).get(job_id)
        if job is None or job_id not in _visible(self._t, seat):
            return None
        return self._job_card(job, today)

    def _card(self, seat: Seat, candidate: Candidate, job_id: int | None) -> CandidateCard:
        visible = _visible(self._t, seat)
        jobs = self._t(JOBS)
        apps = sorted((a for a in self._t(APPLICATIONS).values()
                       if a.candidate_id == candidate.id and a.job_id in visible),
                      key=lambda a: (a.created_at, a.id), reverse=True)
        stage = ""
        for a in apps:
            if (job_id is None and not stage) or a.job_id == job_id:
                stage = a.stage_name
        resumes = sorted((r for r in self._t(RESUMES).values()
                          if r.candidate_id == candidate.id and r.job_id in visible),
                         key=lambda r: (r.created_at, r.id), reverse=True)
        resume = next((r for r in resumes if job_id is None or r.job_id == job_id), None)
        return CandidateCard(candidate=copy.deepcopy(candidate), resume=copy.deepcopy(resume),
                             applied_jobs=[(a.job_id, jobs[a.job_id].title) for a in apps], current_stage=stage)

    def _matches(self, seat: Seat, c: Candidate, f: CandidateFilters) -> bool:
        visible = _visible(self._t, seat)
        if c.organization_id != seat.organization_id:
            return False
        apps = [a for a in self._t(APPLICATIONS).values() if a.candidate_id == c.id and a.job_id in visible
                and (f.job is None or a.job_id == f.job)
                and (f.stage is None or f.stage in (a.status, a.stage_name))]
        if not apps:
            return False
        resumes = [r for r in self._t(RESUMES).values() if r.candidate_id == c.id and r.job_id in visible
                   and (f.job is None or r.job_id == f.job)]
        return not (
            (f.name and f.name.lower() not in c.name.lower())
            or (f.email and f.email.lower() not in c.email.lower())
            or (f.city and f.city.lower() != c.city.lower())
            or (f.state and f.state.lower() != c.state.lower())
            or (f.updated_from and c.updated_at < datetime.combine(f.updated_from, time(), tzinfo=UTC))
            or (f.updated_to and c.updated_at >= datetime.combine(f.updated_to + timedelta(days=1), time(), tzinfo=UTC))
            or (f.score_gte is not None and not any((r.overall or 0) >= f.score_gte and r.overall is not None
                                                    for r in resumes))
            or any(not any(k.lower() in [s.lower() for s in r.skills_matched] for r in resumes) for k in f.skills)
        )

    async def candidates(self, seat: Seat, filters: CandidateFilters, page: PageRequest) -> Page[CandidateCard]:
        rows = [c for c in self._t(CANDIDATES).values() if self._matches(seat, c, filters)]
        visible = _visible(self._t, seat)

        def scoped(c: Candidate) -> list[Resume]:
            return [r for r in self._t(RESUMES).values() if r.candidate_id == c.id and r.job_id in visible
                    and (filters.job is None or r.job_id == filters.job)]

        epoch = datetime.min.replace(tzinfo=UTC)
        key: Callable[[Candidate], Any] = {
            "name": lambda c: c.name, "created_at": lambda c: c.created_at, "email": lambda c: c.email,
            "overall_score": lambda c: max([r.overall if r.overall is not None else -1 for r in scoped(c)], default=-1),
            "latest_resume_created_at": lambda c: max([r.created_at for r in scoped(c)], default=epoch),
        }[filters.order.lstrip("-")]
        chosen, total = _page(_sorted(rows, key, filters.order.startswith("-")), page)
        return Page([self._card(seat, c, filters.job) for c in chosen], total, page)

    async def candidate(self, seat: Seat, candidate_id: int, job_id: int | None) -> CandidateCard | None:
        c = self._t(CANDIDATES).get(candidate_id)
        if c is None or not self._matches(seat, c, CandidateFilters(job=job_id)):
            return None
        return self._card(seat, c, job_id)

    def _resume_card(self, r: Resume) -> ResumeCard:
        c = self._t(CANDIDATES)[r.candidate_id]
        return ResumeCard(resume=copy.deepcopy(r), candidate_name=c.name, candidate_email=c.email)

    async def resumes(self, seat: Seat, job_id: int | None, order: str, page: PageRequest) -> Page[ResumeCard]:
        visible = _visible(self._t, seat)
        rows = [r for r in self._t(RESUMES).values() if r.job_id in visible and (job_id is None or r.job_id == job_id)]
        key = {"created_at": lambda r: r.created_at,
               "overall_score": lambda r: r.overall if r.overall is not None else -1}[order.lstrip("-")]
        chosen, total = _page(_sorted(rows, key, order.startswith("-")), page)
        return Page([self._resume_card(r) for r in chosen], total, page)

    async def resume(self, seat: Seat, resume_id: int) -> ResumeCard | None:
        r = self._t(RESUMES).get(resume_id)
        if r is None or r.job_id not in _visible(self._t, seat):
            return None
        return self._resume_card(r)

    async def statuses(self, seat: Seat, filters: StatusFilters, page: PageRequest) -> Page[StatusEvent]:
        visible = _visible(self._t, seat)
        apps = [a for a in self._t(APPLICATIONS).values() if a.job_id in visible
                and (filters.job is None or a.job_id == filters.job)
                and (filters.candidate is None or a.candidate_id == filters.candidate)
                and (filters.status is None or a.status == filters.status)]
        key = {"updated_at": lambda a: a.status_at, "status": lambda a: a.status,
               "stage_name": lambda a: a.stage_name}[filters.order.lstrip("-")]
        chosen, total = _page(_sorted(apps, key, filters.order.startswith("-")), page)
        events = self._t(EVENTS)
        return Page([copy.deepcopy(events[a.status_event_id]) for a in chosen], total, page)

    async def history(self, seat: Seat, job_id: int | None, candidate_id: int | None, page: PageRequest
                      ) -> Page[StatusEvent]:
        visible = _visible(self._t, seat)
        rows = [e for e in self._t(EVENTS).values() if e.job_id in visible and (job_id is None or e.job_id == job_id)
                and (candidate_id is None or e.candidate_id == candidate_id)]
        chosen, total = _page(_sorted(rows, lambda e: e.updated_at, True), page)
        return Page([copy.deepcopy(e) for e in chosen], total, page)

    def _step_card(self, s: Step) -> StepCard:
        c = self._t(CANDIDATES)[s.candidate_id]
        return StepCard(step=copy.deepcopy(s), candidate_name=c.name, candidate_email=c.email,
                        job_title=self._t(JOBS)[s.job_id].title)

    async def steps(self, seat: Seat, kind: str, job_id: int | None, page: PageRequest) -> Page[StepCard]:
        visible = _visible(self._t, seat)
        rows = [s for s in self._t(STEPS).values() if s.kind == kind and s.job_id in visible
                and (job_id is None or s.job_id == job_id)]
        chosen, total = _page(_sorted(rows, lambda s: s.assigned_at, True), page)
        return Page([self._step_card(s) for s in chosen], total, page)

    async def step(self, seat: Seat, kind: str, step_id: int) -> StepCard | None:
        s = self._t(STEPS).get(step_id)
        if s is None or s.kind != kind or s.job_id not in _visible(self._t, seat):
            return None
        return self._step_card(s)

    async def stage_counts(self, job_id: int) -> list[StageCount]:
        counts: dict[str, int] = {}
        for a in self._t(APPLICATIONS).values():
            if a.job_id == job_id:
                counts[a.status] = counts.get(a.status, 0) + 1
        return [StageCount(label=k, count=v) for k, v in counts.items()]

    async def counts(self, seat: Seat) -> Counts:
        visible = _visible(self._t, seat)
        return Counts(jobs=len(visible), applicants=sum(1 for a in self._t(APPLICATIONS).values()
                                                         if a.job_id in visible))

    async def check_email(self, job_id: int, email: str) -> EmailCheck:
        job = self._t(JOBS).get(job_id)
        c = next((c for c in self._t(CANDIDATES).values()
                  if job is not None and c.organization_id == job.poster_id and c.email == email), None)
        if c is None:
            return EmailCheck(exists=False, retries=1)
        app = next((a for a in self._t(APPLICATIONS).values() if a.candidate_id == c.id and a.job_id == job_id), None)
        resume = next((r for r in self._t(RESUMES).values() if app is not None and r.application_id == app.id), None)
        return EmailCheck(exists=True, candidate_id=c.id, applied_job=app is not None,
                          resume=resume.file_url if resume else None, retries=0 if app is not None else 1)

