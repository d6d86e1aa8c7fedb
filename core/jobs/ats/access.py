"""Who acts in the ATS and what they see: the one visibility rule for jobs, candidates, resumes, statuses, test
logs and screenings (tests: ``tests/unit/jobs/test_ats_access.py`` and the role matrix of
``tests/e2e/test_ats_roles.py``).

- Who acts: a corporate account's own token acts as its organisation's admin; a person acts in the organisations
  they created (admin) or belong to (their role, viewer by default). Several → ``?org=`` names one (400 without it).
- Visibility: an admin sees every job of the organisation; an editor or a viewer sees the jobs they own or that are
  shared with them. Everything else of the ATS (candidates, resumes, statuses, steps) is visible through its job.
- Changes: admins and editors change what they see; viewers read only (403). Outside visibility: 404.
- Organisation-wide actions (managing members): admins only (403)."""

from __future__ import annotations

from core.jobs.model.ats import HiringSettings, Role, Seat
from core.jobs.model.board import Job
from core.shared.errors import InvalidInput, NotFound, PermissionDenied
from ports.ats import AtsUnitOfWork

__all__ = (
    "JOB_NOT_FOUND",
    "ORG_NEEDED",
    "READ_ONLY",
    "default_settings",
    "may_change",
    "require_admin",
    "require_writer",
    "seat_for",
    "sees",
    "visible_job",
)

JOB_NOT_FOUND = "Job not found."
READ_ONLY = "Your role in this organization does not allow this change."
ORG_NEEDED = "You belong to several organizations: pass ?org=<organization id>."
ADMIN_ONLY = "Only an admin of the organization can do this."


async def seat_for(uow: AtsUnitOfWork, actor_id: int, org: int | None) -> Seat:
    seats = await uow.people.seats(actor_id)
    if org is not None:
        for seat in seats:
            if seat.organization_id == org:
                return Seat(organization_id=org, user_id=actor_id, role=seat.role)
        raise NotFound("Organization not found.")
    if not seats:
        raise PermissionDenied("You are not a member of any organization.")
    if len(seats) > 1:
        raise InvalidInput.field("org", ORG_NEEDED)
    return Seat(organization_id=seats[0].organization_id, user_id=actor_id, role=seats[0].role)


def default_settings(job: Job) -> HiringSettings:
    """Every board job of an organisation is an ATS job: default hiring settings until edited."""
    return HiringSettings(job_id=job.id, organization_id=job.poster_id)


def sees(seat: Seat, organization_id: int, owner_id: int | None, shared: bool) -> bool:
    """The visibility rule."""
    if organization_id != seat.organization_id:
        return False
    return seat.is_admin or owner_id == seat.user_id or shared


def may_change(seat: Seat) -> bool:
    return seat.role is not Role.VIEWER


def require_writer(seat: Seat) -> None:
    if not may_change(seat):
        raise PermissionDenied(READ_ONLY)


def require_admin(seat: Seat) -> None:
    if not seat.is_admin:
        raise PermissionDenied(ADMIN_ONLY)


async def visible_job(
    uow: AtsUnitOfWork, seat: Seat, job_id: int, *, change: bool = False, for_update: bool = False
) -> tuple[Job, HiringSettings]:
    """The job and its hiring settings when ``seat`` sees it (404 otherwise, also when soft-deleted); with
    ``change``, 403 when the seat's role only reads."""
    job = await uow.jobs.get(job_id, for_update=for_update)
    if job is None:
        raise NotFound(JOB_NOT_FOUND)
    settings = await uow.settings.get(job_id) or default_settings(job)
    shared = False
    if not seat.is_admin and settings.owner_id != seat.user_id:
        shared = await uow.settings.is_shared(job_id, seat.user_id)
    if settings.deleted_at is not None or not sees(seat, job.poster_id, settings.owner_id, shared):
        raise NotFound(JOB_NOT_FOUND)
    if change:
        require_writer(seat)
    return job, settings
