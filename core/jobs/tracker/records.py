"""The tracker's other records (owner only): job sites (a user's notes about a job board — never a password),
recruiter opportunities with their "active" view and convert-to-application, and the tracker settings."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from core.jobs.model.tracker import (
    ACTIVE_OPPORTUNITIES,
    APPLIED,
    ApplicationEvent,
    EventKind,
    JobSite,
    Opportunity,
    OpportunityStatus,
    Origin,
    TrackedApplication,
    TrackerPrefs,
)
from core.jobs.tracker.common import NOT_FOUND, bounded, employment, local_day, owner_zone, work
from core.shared.errors import InvalidInput, NotFound, PermissionDenied
from ports.staff import StaffDirectory
from ports.system import Clock
from ports.tracker import Identity, TrackerUnitOfWork

__all__ = ("LIST_MAX", "OpportunityFields", "PrefsChanges", "RecordsService", "SiteFields")

LIST_MAX = 1000
ADMIN_ONLY = "You do not have permission to perform this action."
COLOR_MODES = ("light", "dark")


@dataclass(frozen=True, kw_only=True)
class SiteFields:
    name: str = ""
    url: str = ""
    rating: int = 1
    resume_format: str = ""
    requires_github: bool = False
    requires_portfolio: bool = False
    last_visited_at: datetime | None = None
    resume_updated_at: datetime | None = None
    headline: str = ""
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class OpportunityFields:
    title: str
    recruiter_name: str
    recruiter_company: str
    status: str = OpportunityStatus.IGNORED.value
    received_at: datetime | None = None
    employment_type: str = ""
    duration: str = ""
    work_type: str = ""
    location: str = ""
    description: str = ""
    comments: list[Any] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class PrefsChanges:
    greeting: str | None = None
    color_mode: str | None = None
    dashboard_first_date: date | None = None
    dashboard_second_date: date | None = None
    clear_first_date: bool = False
    clear_second_date: bool = False


def _site(owner_id: int, f: SiteFields, created_at: datetime, site_id: int = 0) -> JobSite:
    if not 0 <= f.rating <= 10:
        raise InvalidInput.field("rating", "Ensure this value is between 0 and 10.")
    return JobSite(
        id=site_id, owner_id=owner_id, name=bounded("site_name", f.name, 64), url=bounded("site_url", f.url, 2048),
        rating=f.rating, resume_format=bounded("resume_format", f.resume_format, 32),
        requires_github=f.requires_github, requires_portfolio=f.requires_portfolio,
        last_visited_at=f.last_visited_at, resume_updated_at=f.resume_updated_at,
        headline=bounded("headline", f.headline, 512), description=bounded("description", f.description, 50_000),
        created_at=created_at,
    )


def _status(value: str) -> str:
    try:
        return OpportunityStatus(value).value
    except ValueError:
        raise InvalidInput.field("status", f'"{value}" is not a valid choice.') from None


class RecordsService:
    __slots__ = ("_clock", "_staff", "_uow")

    def __init__(
        self, *, uow: Callable[[], TrackerUnitOfWork], clock: Clock, staff: StaffDirectory | None = None
    ) -> None:
        """``staff``: who the admins are (the account directory is theirs only); nobody when omitted."""
        self._uow = uow
        self._clock = clock
        self._staff = staff

    # ------------------------------------------------------------------ people

    async def me(self, user_id: int) -> tuple[Identity, TrackerPrefs]:
        async with self._uow() as uow:
            identity = await uow.people.identity(user_id)
            if identity is None:
                raise NotFound("User not found.")
            return identity, await uow.prefs.get(user_id) or TrackerPrefs(user_id=user_id)

    async def everyone(self, actor_id: int) -> list[Identity]:
        """Admins only (403 otherwise, before anything is read): the first ``LIST_MAX`` accounts by id."""
        if self._staff is None or not await self._staff.is_staff(actor_id):
            raise PermissionDenied(ADMIN_ONLY)
        async with self._uow() as uow:
            return await uow.people.directory(LIST_MAX)

    # ------------------------------------------------------------------ sites

    async def sites(self, owner_id: int) -> list[JobSite]:
        async with self._uow() as uow:
            return await uow.sites.list(owner_id, LIST_MAX)

    async def site(self, owner_id: int, site_id: int) -> JobSite:
        async with self._uow() as uow:
            site = await uow.sites.get(owner_id, site_id)
        if site is None:
            raise NotFound(NOT_FOUND)
        return site

    async def add_site(self, owner_id: int, fields: SiteFields) -> JobSite:
        site = _site(owner_id, fields, self._clock.now())
        async with self._uow() as uow:
            await owner_zone(uow, owner_id)
            await uow.sites.add(site)
            await uow.commit()
        return site

    async def replace_site(self, owner_id: int, site_id: int, fields: SiteFields) -> JobSite:
        async with self._uow() as uow:
            before = await uow.sites.get(owner_id, site_id)
            if before is None:
                raise NotFound(NOT_FOUND)
            site = _site(owner_id, fields, before.created_at, site_id)
            await uow.sites.update(site)
            await uow.commit()
        return site

    async def delete_site(self, owner_id: int, site_id: int) -> None:
        """The applications recorded on the site go with it (as in the original)."""
        async with self._uow() as uow:
            if await uow.sites.get(owner_id, site_id) is None:
                raise NotFound(NOT_FOUND)
            await uow.sites.delete(site_id)
            await uow.commit()

    # ------------------------------------------------------------------ opportunities

    async def opportunities(self, owner_id: int, *, active: bool = False) -> list[Opportunity]:
        statuses = tuple(s.value for s in ACTIVE_OPPORTUNITIES) if active else None
        async with self._uow() as uow:
            return await uow.opportunities.list(owner_id, statuses, LIST_MAX)

    async def opportunity(self, owner_id: int, opportunity_id: int) -> Opportunity:
        async with self._uow() as uow:
            found = await uow.opportunities.get(owner_id, opportunity_id)
        if found is None:
            raise NotFound(NOT_FOUND)
        return found

    def _opportunity(self, owner_id: int, f: OpportunityFields, base: Opportunity | None) -> Opportunity:
        now = self._clock.now()
        return Opportunity(
            id=base.id if base else 0, owner_id=owner_id,
            title=bounded("job_title", f.title, 128, required=True), status=_status(f.status),
            recruiter_name=bounded("recruiter_name", f.recruiter_name, 64, required=True),
            recruiter_company=bounded("recruiter_company", f.recruiter_company, 64, required=True),
            received_at=f.received_at or (base.received_at if base else now),
            employment_type=employment(f.employment_type), duration=bounded("job_duration", f.duration, 64),
            work_type=work(f.work_type), location=bounded("location_city", f.location, 64),
            description=bounded("job_description", f.description, 50_000), comments=list(f.comments)[:500],
            application_id=base.application_id if base else None, created_at=base.created_at if base else now,
        )

    async def add_opportunity(self, owner_id: int, fields: OpportunityFields) -> Opportunity:
        opportunity = self._opportunity(owner_id, fields, None)
        async with self._uow() as uow:
            await owner_zone(uow, owner_id)
            await uow.opportunities.add(opportunity)
            await uow.commit()
        return opportunity

    async def replace_opportunity(self, owner_id: int, opportunity_id: int, fields: OpportunityFields) -> Opportunity:
        async with self._uow() as uow:
            before = await uow.opportunities.get(owner_id, opportunity_id)
            if before is None:
                raise NotFound(NOT_FOUND)
            opportunity = self._opportunity(owner_id, fields, before)
            await uow.opportunities.update(opportunity)
            await uow.commit()
        return opportunity

    async def delete_opportunity(self, owner_id: int, opportunity_id: int) -> None:
        async with self._uow() as uow:
            if await uow.opportunities.get(owner_id, opportunity_id) is None:
                raise NotFound(NOT_FOUND)
            await uow.opportunities.delete(opportunity_id)
            await uow.commit()

    async def convert(self, owner_id: int, opportunity_id: int) -> TrackedApplication:
        """A tracked application (APPLIED, source "Recruiter") from the opportunity, which is closed
        (``converted``) and linked to it; converting twice answers 400."""
        now = self._clock.now()
        async with self._uow() as uow:
            opportunity = await uow.opportunities.get(owner_id, opportunity_id)
            if opportunity is None:
                raise NotFound(NOT_FOUND)
            if opportunity.application_id is not None or opportunity.status == OpportunityStatus.CONVERTED:
                raise InvalidInput.error("This opportunity was already converted.")
            tz = await owner_zone(uow, owner_id)
            app = TrackedApplication(
                owner_id=owner_id, title=opportunity.title, company=opportunity.recruiter_company,
                source="Recruiter", status_id=APPLIED, applied_at=now, applied_on=local_day(now, tz),
                location=opportunity.location, employment_type=opportunity.employment_type,
                work_type=opportunity.work_type, description=opportunity.description, created_at=now, updated_at=now,
            )
            await uow.applications.add(app)
            await uow.events.add([ApplicationEvent(application_id=app.id, owner_id=owner_id,
                                                   kind=EventKind.CREATED.value, to_status_id=APPLIED,
                                                   origin=Origin.USER.value, at=now)])
            await uow.opportunities.update(dataclasses.replace(
                opportunity, status=OpportunityStatus.CONVERTED.value, application_id=app.id))
            await uow.commit()
        return app

    # ------------------------------------------------------------------ settings

    async def prefs(self, user_id: int) -> TrackerPrefs:
        async with self._uow() as uow:
            await owner_zone(uow, user_id)
            return await uow.prefs.get(user_id) or TrackerPrefs(user_id=user_id)

    async def set_prefs(self, user_id: int, changes: PrefsChanges) -> TrackerPrefs:
        if changes.color_mode is not None and changes.color_mode not in COLOR_MODES:
            raise InvalidInput.field("color_mode", f'"{changes.color_mode}" is not a valid choice.')
        async with self._uow() as uow:
            await owner_zone(uow, user_id)
            prefs = await uow.prefs.get(user_id) or TrackerPrefs(user_id=user_id)
            if changes.greeting is not None:
                prefs.greeting = bounded("user_greeting", changes.greeting, 24)
            if changes.color_mode is not None:
                prefs.color_mode = changes.color_mode
            if changes.dashboard_first_date is not None or changes.clear_first_date:
                prefs.dashboard_first_date = changes.dashboard_first_date
            if changes.dashboard_second_date is not None or changes.clear_second_date:
                prefs.dashboard_second_date = changes.dashboard_second_date
            await uow.prefs.put(prefs)
            await uow.commit()
        return prefs
