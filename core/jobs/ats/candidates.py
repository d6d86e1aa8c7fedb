"""Candidate use cases: the organisation's candidates (platform applicants join by themselves through the
``ats.application-received`` task; recruiters import others with a CV), their resumes and scores, and the public
e-mail check of an application form."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from core.jobs.ats.access import JOB_NOT_FOUND, require_writer, seat_for, visible_job
from core.jobs.ats.moves import record_move
from core.jobs.ats.tasks import SCORE_TASK, ScoreResume
from core.jobs.model.ats import AtsApplication, Candidate, Origin, Resume, Seat, Stage
from core.shared.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RateLimited
from core.shared.media import DOCX, PDF, MediaKind, MediaPolicy, Upload, check_upload, new_key
from core.shared.pagination import Page, PageRequest
from ports.ats import (
    AtsReads,
    AtsUnitOfWork,
    CandidateCard,
    CandidateFilters,
    EmailCheck,
    ResumeCard,
)
from ports.storage import BlobStorage
from ports.system import Clock, RateLimiter

__all__ = ("CANDIDATES_PAGE_SIZE", "RESUME_MAX_BYTES", "CandidateService", "EditCandidate", "ImportCandidate")

CANDIDATES_PAGE_SIZE = 10
RESUME_MAX_BYTES = 5 * 1024 * 1024
RESUME_POLICY = MediaPolicy(MediaKind.DOCUMENT, RESUME_MAX_BYTES, frozenset({PDF, DOCX}))
PHOTO_POLICY = MediaPolicy(MediaKind.IMAGE, RESUME_MAX_BYTES)
CANDIDATE_ORDERS = ("name", "-name", "created_at", "-created_at", "email", "-email", "overall_score",
                    "-overall_score", "latest_resume_created_at", "-latest_resume_created_at")
RESUME_ORDERS = ("created_at", "-created_at", "overall_score", "-overall_score")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
CANDIDATE_NOT_FOUND = "Candidate not found."


def check_email(value: str, field: str = "email") -> str:
    email = value.strip().lower()
    if len(email) > 254 or not _EMAIL.match(email):
        raise InvalidInput.field(field, "Enter a valid email address.")
    return email


def _text(value: str, name: str, limit: int, *, required: bool = False) -> str:
    text = value.strip()
    if required and not text:
        raise InvalidInput.field(name, "This field may not be blank.")
    if len(text) > limit or "\x00" in text:
        raise InvalidInput.field(name, f"Ensure this field has no more than {limit} characters.")
    return text


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportCandidate:
    job: int
    name: str
    email: str
    contact: str
    resume: Upload
    photo: Upload | None = None
    city: str = ""
    state: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class EditCandidate:
    name: str | None = None
    email: str | None = None
    contact: str | None = None
    city: str | None = None
    state: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckEmailLimit:
    attempts: int = 30
    window_seconds: int = 60


class CandidateService:
    __slots__ = ("_check_limit", "_clock", "_limiter", "_reads", "_storage", "_uow")

    def __init__(
        self,
        *,
        uow: Callable[[], AtsUnitOfWork],
        reads: AtsReads,
        clock: Clock,
        storage: BlobStorage,
        limiter: RateLimiter,
        check_limit: CheckEmailLimit | None = None,
    ) -> None:
        self._uow = uow
        self._reads = reads
        self._clock = clock
        self._storage = storage
        self._limiter = limiter
        self._check_limit = check_limit or CheckEmailLimit()

    async def _seat(self, actor_id: int, org: int | None) -> Seat:
        async with self._uow() as uow:
            return await seat_for(uow, actor_id, org)

    async def _visible_candidate(self, uow: AtsUnitOfWork, seat: Seat, candidate_id: int) -> tuple[Candidate, bool]:
        """The candidate and whether the seat sees every job they are in (404 when it sees none)."""
        candidate = await uow.candidates.get(candidate_id)
        if candidate is None or candidate.organization_id != seat.organization_id:
            raise NotFound(CANDIDATE_NOT_FOUND)
        seen = 0
        job_ids = await uow.candidates.job_ids(candidate_id)
        for job_id in job_ids:
            try:
                await visible_job(uow, seat, job_id)
                seen += 1
            except NotFound:
                pass
        if not seen and not seat.is_admin:
            raise NotFound(CANDIDATE_NOT_FOUND)
        return candidate, seen == len(job_ids)

    # ------------------------------------------------------------------ reads

    async def candidates(self, actor_id: int, org: int | None, filters: CandidateFilters, page: int
                         ) -> Page[CandidateCard]:
        if filters.order not in CANDIDATE_ORDERS:
            raise InvalidInput.field("o", f'"{filters.order}" is not a valid ordering.')
        seat = await self._seat(actor_id, org)
        if filters.job is not None:
            async with self._uow() as uow:
                await visible_job(uow, seat, filters.job)
        return await self._reads.candidates(seat, filters, PageRequest(page, CANDIDATES_PAGE_SIZE))

    async def candidate(self, actor_id: int, org: int | None, candidate_id: int, job_id: int | None = None
                        ) -> CandidateCard:
        seat = await self._seat(actor_id, org)
        card = await self._reads.candidate(seat, candidate_id, job_id)
        if card is None:
            raise NotFound(CANDIDATE_NOT_FOUND)
        return card

    async def resumes(self, actor_id: int, org: int | None, job_id: int | None, order: str, page: int
                      ) -> Page[ResumeCard]:
        if order not in RESUME_ORDERS:
            raise InvalidInput.field("o", f'"{order}" is not a valid ordering: {", ".join(RESUME_ORDERS)}.')
        seat = await self._seat(actor_id, org)
        if job_id is not None:
            async with self._uow() as uow:
                await visible_job(uow, seat, job_id)
        return await self._reads.resumes(seat, job_id, order, PageRequest(page, CANDIDATES_PAGE_SIZE))

    async def resume(self, actor_id: int, org: int | None, resume_id: int) -> ResumeCard:
        seat = await self._seat(actor_id, org)
        card = await self._reads.resume(seat, resume_id)
        if card is None:
            raise NotFound("Resume not found.")
        return card

    # ------------------------------------------------------------------ writes

    async def import_candidate(self, actor_id: int, org: int | None, cmd: ImportCandidate) -> CandidateCard:
        name = _text(cmd.name, "name", 250, required=True)
        email = check_email(cmd.email)
        contact = _text(cmd.contact, "contact", 50)
        city, state = _text(cmd.city, "city", 100), _text(cmd.state, "state", 100)
        content_type, extension = check_upload(cmd.resume, RESUME_POLICY, "resume")
        photo_type: tuple[str, str] | None = None
        if cmd.photo is not None:
            photo_type = check_upload(cmd.photo, PHOTO_POLICY, "photo")
        now = self._clock.now()
        async with self._uow() as uow:  # refuse before storing anything
            seat = await seat_for(uow, actor_id, org)
            await visible_job(uow, seat, cmd.job, change=True)
        resume_key = new_key("ats/resumes", cmd.resume.filename, extension)
        photo_key = new_key("ats/photos", cmd.photo.filename, photo_type[1]) \
            if cmd.photo is not None and photo_type is not None else None
        stored: list[str] = []
        try:
            resume_url = await self._storage.put(resume_key, cmd.resume.data, content_type)
            stored.append(resume_key)
            photo_url = ""
            if photo_key is not None and cmd.photo is not None and photo_type is not None:
                photo_url = await self._storage.put(photo_key, cmd.photo.data, photo_type[0])
                stored.append(photo_key)
            async with self._uow() as uow:
                seat = await seat_for(uow, actor_id, org)
                job, _ = await visible_job(uow, seat, cmd.job, change=True, for_update=True)
                candidate = await uow.candidates.find(seat.organization_id, email=email)
                if candidate is None:
                    candidate = await uow.candidates.add(Candidate(
                        organization_id=seat.organization_id, name=name, email=email, contact=contact, city=city,
                        state=state, photo=photo_url, created_at=now, updated_at=now,
                    ))
                application = AtsApplication(candidate_id=candidate.id, job_id=job.id,
                                             organization_id=seat.organization_id, status_at=now, created_at=now)
                if not await uow.applications.add(application):
                    raise InvalidInput.field("email", "This candidate is already in this job.")
                await record_move(uow, application, stage=Stage.APPLIED, status=Stage.APPLIED.value,
                                  origin=Origin.APPLIED, at=now, actor_id=actor_id, reason="Imported")
                resume = await uow.resumes.add(Resume(
                    application_id=application.id, candidate_id=candidate.id, job_id=job.id,
                    name=cmd.resume.filename[:250], file_url=resume_url, content_type=content_type,
                    created_at=now, updated_at=now,
                ))
                uow.tasks.enqueue(SCORE_TASK, ScoreResume(resume_id=resume.id), dedupe_key=f"ats-score:{resume.id}")
                uow.views_changed(actor_id, everyone=True)
                await uow.commit()
        except BaseException:
            for key in stored:
                await self._storage.delete(key)
            raise
        return await self.candidate(actor_id, seat.organization_id, candidate.id, job.id)

    async def edit(self, actor_id: int, org: int | None, candidate_id: int, cmd: EditCandidate) -> CandidateCard:
        now = self._clock.now()
        async with self._uow() as uow:
            seat = await seat_for(uow, actor_id, org)
            candidate, _ = await self._visible_candidate(uow, seat, candidate_id)
            require_writer(seat)
            if cmd.name is not None:
                candidate.name = _text(cmd.name, "name", 250, required=True)
            if cmd.email is not None:
                if candidate.user_id is not None:
                    raise InvalidInput.field("email", "A platform applicant's e-mail is their account's.")
                candidate.email = check_email(cmd.email)
            if cmd.contact is not None:
                candidate.contact = _text(cmd.contact, "contact", 50)
            if cmd.city is not None:
                candidate.city = _text(cmd.city, "city", 100)
            if cmd.state is not None:
                candidate.state = _text(cmd.state, "state", 100)
            candidate.updated_at = now
            try:
                await uow.candidates.update(candidate)
            except Conflict:
                raise InvalidInput.field("email", "Another candidate of this organization has this e-mail.") from None
            uow.views_changed(actor_id, everyone=True)
            await uow.commit()
        return await self.candidate(actor_id, seat.organization_id, candidate_id)

    async def delete(self, actor_id: int, org: int | None, candidate_id: int) -> None:
        """The candidate leaves the ATS (every job of the organisation): by an admin, or an editor who sees every
        job the candidate is in. A platform applicant's board application stays theirs."""
        keys: list[str] = []
        async with self._uow() as uow:
            seat = await seat_for(uow, actor_id, org)
            candidate, sees_all = await self._visible_candidate(uow, seat, candidate_id)
            require_writer(seat)
            if not sees_all:
                raise PermissionDenied("This candidate is also in jobs you cannot see.")
            for resume in await uow.resumes.of_candidate(candidate_id):
                if resume.file_url and (key := self._storage.key_of(resume.file_url)) is not None \
                        and key.startswith("ats/"):
                    keys.append(key)
            if candidate.photo and (key := self._storage.key_of(candidate.photo)) is not None:
                keys.append(key)
            await uow.candidates.delete(candidate_id)
            uow.views_changed(actor_id, everyone=True)
            await uow.commit()
        for key in keys:
            await self._storage.delete(key)

    # ------------------------------------------------------------------ public

    async def check_email(self, job_id: int, email: str, client_ip: str) -> EmailCheck:
        limit = self._check_limit
        retry = await self._limiter.hit(f"ats-check-email:ip:{client_ip}", limit=limit.attempts,
                                        window_seconds=limit.window_seconds)
        if retry is not None:
            raise RateLimited(f"Request was throttled. Expected available in {retry} seconds.", retry_after=retry)
        address = check_email(email)
        async with self._uow() as uow:
            job = await uow.jobs.get(job_id)
            settings = await uow.settings.get(job_id) if job is not None else None
            if job is None or (settings is not None and settings.deleted_at is not None):
                raise NotFound(JOB_NOT_FOUND)
        return await self._reads.check_email(job_id, address)

    # ------------------------------------------------------------------ platform applicants (task)

    async def receive_application(self, board_application_id: int) -> None:
        """Task ``ats.application-received``: a board application joins its organisation's ATS (idempotent per
        board application: the link is unique)."""
        now = self._clock.now()
        async with self._uow() as uow:
            if await uow.applications.by_board(board_application_id) is not None:
                return
            found = await uow.people.board_application(board_application_id)
            if found is None:
                return  # withdrawn or deleted meanwhile
            job_id, applicant_id, applied_at = found
            job = await uow.jobs.get(job_id)
            user = await uow.people.user(applicant_id)
            if job is None or user is None:
                return
            org = job.poster_id
            candidate = await uow.candidates.find(org, user_id=applicant_id) \
                or await uow.candidates.find(org, email=user.email)
            if candidate is None:
                candidate = await uow.candidates.add(Candidate(
                    organization_id=org, user_id=applicant_id, name=user.name, email=user.email,
                    photo=user.profile_photo, created_at=now, updated_at=now,
                ))
            elif candidate.user_id is None:
                candidate.user_id = applicant_id
                candidate.updated_at = now
                await uow.candidates.update(candidate)
            application = await uow.applications.find(candidate.id, job_id, for_update=True)
            if application is not None:  # imported before they applied themselves
                application.board_application_id = board_application_id
                await uow.applications.update(application)
            else:
                application = AtsApplication(candidate_id=candidate.id, job_id=job_id, organization_id=org,
                                             board_application_id=board_application_id, status_at=applied_at,
                                             created_at=applied_at)
                await uow.applications.add(application)
                await record_move(uow, application, stage=Stage.APPLIED, status=Stage.APPLIED.value,
                                  origin=Origin.APPLIED, at=applied_at, actor_id=applicant_id, reason="Applied")
            if user.resume and await uow.resumes.of(application.id) is None:
                lowered = user.resume.lower().split("?")[0]
                content_type = DOCX if lowered.endswith(".docx") else PDF
                resume = await uow.resumes.add(Resume(
                    application_id=application.id, candidate_id=candidate.id, job_id=job_id,
                    name=lowered.rsplit("/", 1)[-1][:250] or "resume", file_url=user.resume,
                    content_type=content_type, created_at=now, updated_at=now,
                ))
                uow.tasks.enqueue(SCORE_TASK, ScoreResume(resume_id=resume.id), dedupe_key=f"ats-score:{resume.id}")
            uow.views_changed(org, everyone=True)
            await uow.commit()
