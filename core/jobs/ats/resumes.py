"""Résumé scoring (task ``ats.score-resume``): read the stored file, extract its text, parse and score it against
the job's hiring settings with ``core.jobs.ats.scoring``, and keep the result beside the resume — overall,
components, matched skills, one reason per component — with a visible processing state (pending, done, failed with
its message). The pipeline moves to Resume Screening unless a recruiter overrode the status."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from core.jobs.ats.access import default_settings
from core.jobs.ats.moves import record_move
from core.jobs.ats.scoring import HiringCriteria, ScoreResult, ScoreWeights, score_resume
from core.jobs.model.ats import SCORE_SCALE, Origin, ProcessingState, Resume, Stage
from core.shared.errors import InvalidInput
from ports.ats import AtsUnitOfWork
from ports.documents import DocumentText, UnreadableDocument
from ports.storage import BlobReader, BlobStorage
from ports.system import Clock

__all__ = ("NOT_SHORTLISTED", "UNDER_REVIEW", "ResumeScoring")

UNDER_REVIEW = "Under Review"
NOT_SHORTLISTED = "Not Shortlisted"
DONE_MESSAGE = "Resume Parsed Successfully"
UNREADABLE_FILE = "The résumé file could not be found in storage."


def _thousandths(value: Decimal) -> int:
    return int(value * SCORE_SCALE)


class ResumeScoring:
    __slots__ = ("_clock", "_documents", "_reader", "_storage", "_uow")

    def __init__(
        self,
        *,
        uow: Callable[[], AtsUnitOfWork],
        clock: Clock,
        storage: BlobStorage,
        reader: BlobReader,
        documents: DocumentText,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._storage = storage
        self._reader = reader
        self._documents = documents

    async def _fail(self, resume_id: int, message: str) -> None:
        async with self._uow() as uow:
            resume = await uow.resumes.get(resume_id)
            if resume is None or resume.processing_state != ProcessingState.PENDING:
                return
            resume.processing_state = ProcessingState.FAILED.value
            resume.processing_message = message[:1000]
            resume.status_text = "Failed"
            resume.updated_at = self._clock.now()
            await uow.resumes.update(resume)
            uow.views_changed(everyone=True)
            await uow.commit()

    async def run(self, resume_id: int) -> None:
        """Idempotent per resume: only a pending resume is processed (a storage outage raises, and the task
        retries)."""
        async with self._uow() as uow:
            resume = await uow.resumes.get(resume_id)
            if resume is None or resume.processing_state != ProcessingState.PENDING:
                return
            job = await uow.jobs.get(resume.job_id)
            if job is None:
                return
            settings = await uow.settings.get(job.id) or default_settings(job)
        key = self._storage.key_of(resume.file_url)
        data = await self._reader.get(key) if key is not None else None
        if data is None:
            await self._fail(resume_id, UNREADABLE_FILE)
            return
        try:
            text = await self._documents.text_of(data, resume.content_type)
            weights = settings.weights
            criteria = HiringCriteria(
                weights=ScoreWeights(skills=weights.skills, work_experience=weights.work_experience,
                                     projects=weights.projects, education=weights.education,
                                     certifications=weights.certifications),
                must_have_skills=tuple(settings.must_have_skills),
                min_experience_years=settings.min_experience, max_experience_years=settings.max_experience,
                title=job.title, description=job.description,
            )
            result = score_resume(text, criteria, self._clock.now().date())
        except UnreadableDocument as exc:
            await self._fail(resume_id, exc.message)
            return
        except InvalidInput as exc:  # settings the scorer refuses (e.g. max below min experience)
            await self._fail(resume_id, exc.message)
            return
        now = self._clock.now()
        async with self._uow() as uow:
            current = await uow.resumes.get(resume_id)
            if current is None or current.processing_state != ProcessingState.PENDING:
                return
            # Locked first (the order the recruiters' writes take): a move committed since the scoring began must
            # be seen (its override), never overwritten with an older copy of the application.
            application = await uow.applications.get(current.application_id, for_update=True)
            scored = self._scored(current, result, settings.threshold)
            scored.updated_at = now
            await uow.resumes.update(scored)
            if application is not None:
                await record_move(uow, application, stage=Stage.RESUME_SCREENING,
                                  status=Stage.RESUME_SCREENING.value, origin=Origin.SCORING, at=now,
                                  reason=scored.status_text)
            uow.views_changed(everyone=True)
            await uow.commit()

    @staticmethod
    def _scored(resume: Resume, result: ScoreResult, threshold: int) -> Resume:
        by_name = {c.component.value: c for c in result.components}
        resume.overall = _thousandths(result.overall)
        resume.s_skills = _thousandths(by_name["skills"].value)
        resume.s_work_experience = _thousandths(by_name["work_experience"].value)
        resume.s_projects = _thousandths(by_name["projects"].value)
        resume.s_education = _thousandths(by_name["education"].value)
        resume.s_certifications = _thousandths(by_name["certifications"].value)
        resume.skills_matched = list(result.skills_matched)
        resume.reasons = [c.reason for c in result.components]
        resume.relevant_months = result.relevant_experience_months
        resume.processing_state = ProcessingState.DONE.value
        resume.processing_message = DONE_MESSAGE
        resume.status_text = UNDER_REVIEW if resume.overall >= threshold else NOT_SHORTLISTED
        return resume
