"""Who may do what with a job posting (tests: ``tests/unit/jobs/test_policies.py``)."""

from __future__ import annotations

from core.jobs.model.board import Job, JobStatus
from core.shared.errors import NotFound, PermissionDenied
from ports.jobs import BoardMember, JobsUnitOfWork

__all__ = ("INVALID_JOB", "managed_job", "may_manage", "require_employer", "visible_to")

INVALID_JOB = "Invalid job id"


async def may_manage(uow: JobsUnitOfWork, actor_id: int, job: Job) -> bool:
    """The poster, or a member of the poster's organization (a corporate poster's people)."""
    return actor_id == job.poster_id or await uow.people.in_organization(actor_id, job.poster_id)


def visible_to(job: Job, *, manages: bool) -> bool:
    """Active jobs are for every signed-in user; drafts and closed jobs only for those who manage them."""
    return manages or job.status is JobStatus.ACTIVE


async def managed_job(uow: JobsUnitOfWork, actor_id: int, job_id: int, *, for_update: bool = False) -> Job:
    """The job ``actor_id`` manages: ``NotFound`` when unknown or not visible to them, ``PermissionDenied`` when
    they can see it (it is active) but someone else manages it."""
    job = await uow.jobs.get(job_id, for_update=for_update)
    if job is None:
        raise NotFound(INVALID_JOB)
    if not await may_manage(uow, actor_id, job):
        if job.status is JobStatus.ACTIVE:
            raise PermissionDenied("This job was posted by another user.")
        raise NotFound(INVALID_JOB)
    return job


def require_employer(member: BoardMember | None) -> BoardMember:
    if member is None:
        raise NotFound("User not found.")
    if not member.is_employer:
        raise PermissionDenied("This request is only available to employers.")
    return member
