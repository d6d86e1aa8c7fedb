"""The recruiter ATS (``core/jobs/ats``): organisation roles, a board job's hiring settings, candidates of an
organisation, applications (a board application *is* an ATS application; imported candidates have one too), the
append-only status-event log with its "latest status" rule, resumes with their explainable scores, and the
candidate steps (test logs = assessments, personality screenings = video interviews) reached by public links.

Scores are integers: weights in basis points (``10_000`` = 1.0), scores in thousandths of a point (``8_900`` =
8.900 of 10), so sums are exact."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from core.shared.errors import InvalidInput

__all__ = (
    "BASIS",
    "CANDIDATE_VISIBLE",
    "DEFAULT_THRESHOLD",
    "DEFAULT_WEIGHTS",
    "STAGES",
    "TERMINAL",
    "AtsApplication",
    "Candidate",
    "HiringSettings",
    "MemberRole",
    "Origin",
    "ProcessingState",
    "Resume",
    "Role",
    "Stage",
    "StatusEvent",
    "Step",
    "StepKind",
    "StepStatus",
    "Weights",
    "check_status",
    "latest",
)

BASIS = 10_000  # weights: basis points of 1.0
SCORE_SCALE = 1_000  # scores: thousandths of a point


class Role(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    VIEWER = "viewer"


class Stage(StrEnum):
    APPLIED = "Applied"
    RESUME_SCREENING = "Resume Screening"
    ASSESSMENTS = "Assessments"
    VIDEO_INTERVIEW = "Automated Video Interview"


STAGES: tuple[Stage, ...] = tuple(Stage)
ON_HOLD = "On Hold"
REJECTED = "Rejected"
HIRED = "Hired"
TERMINAL: tuple[str, ...] = (ON_HOLD, REJECTED, HIRED)


class Origin(StrEnum):
    """Who wrote a status event. ``recruiter`` moves (``POST /ats/job-statuses/``) are overrides: automation
    (``scoring``, a candidate's ``completion``) never overwrites them; an ``assignment`` (a recruiter sends a test or
    a screening) is an explicit new step: it is always written and hands the pipeline back to the workflow."""

    RECRUITER = "recruiter"
    ASSIGNMENT = "assignment"
    SCORING = "scoring"
    COMPLETION = "completion"
    APPLIED = "applied"

    @property
    def automated(self) -> bool:
        return self in (Origin.SCORING, Origin.COMPLETION)


# The tracker's moves (contracts.md): what a candidate sees of the pipeline. On Hold, labels and scores never leave.
CANDIDATE_VISIBLE = {REJECTED: "rejected", HIRED: "hired"}


def check_status(stage_name: str, status: str) -> tuple[Stage, str]:
    """``stage_name`` is a pipeline stage; ``status`` that stage's label (active in it) or a holding/terminal one."""
    try:
        stage = Stage(stage_name)
    except ValueError:
        raise InvalidInput.field(
            "stage_name", f'"{stage_name}" is not a valid choice: one of {", ".join(STAGES)}.'
        ) from None
    if status != stage.value and status not in TERMINAL:
        raise InvalidInput.field(
            "status", f'"{status}" is not a valid choice: "{stage.value}", {", ".join(TERMINAL)}.'
        )
    return stage, status


@dataclass(frozen=True, slots=True, kw_only=True)
class Weights:
    """Score weights in basis points; they sum to exactly ``BASIS``."""

    skills: int = 3_000
    work_experience: int = 3_000
    projects: int = 2_000
    education: int = 1_000
    certifications: int = 1_000

    NAMES = ("skills", "work_experience", "projects", "education", "certifications")

    def __post_init__(self) -> None:
        for name in self.NAMES:
            value = getattr(self, name)
            if not 0 <= value <= BASIS:
                raise InvalidInput.field("score_weight", f"{name} must be between 0 and 1.")
        if sum(getattr(self, n) for n in self.NAMES) != BASIS:
            raise InvalidInput.field("score_weight", "The weights must sum to 1.")

    def as_tuple(self) -> tuple[int, int, int, int, int]:
        return (self.skills, self.work_experience, self.projects, self.education, self.certifications)


DEFAULT_WEIGHTS = Weights()
DEFAULT_THRESHOLD = 5_000  # 5.000 of 10: "Under Review" at or above, "Not Shortlisted" below


@dataclass(kw_only=True)
class MemberRole:
    """The ATS role of one organisation membership (``organization_members.id``); none stored = viewer."""

    membership_id: int
    organization_id: int
    user_id: int
    role: str


@dataclass(kw_only=True)
class HiringSettings:
    """A board job's hiring settings (one row per job once edited through the ATS; defaults otherwise)."""

    job_id: int
    organization_id: int
    owner_id: int | None = None
    w_skills: int = DEFAULT_WEIGHTS.skills
    w_work_experience: int = DEFAULT_WEIGHTS.work_experience
    w_projects: int = DEFAULT_WEIGHTS.projects
    w_education: int = DEFAULT_WEIGHTS.education
    w_certifications: int = DEFAULT_WEIGHTS.certifications
    must_have_skills: list[str] = field(default_factory=list)
    min_experience: int | None = None
    max_experience: int | None = None
    location: str = ""
    threshold: int = DEFAULT_THRESHOLD
    notify_new_applicant: bool = False
    deleted_at: datetime | None = None
    deleted_by: int | None = None

    @property
    def weights(self) -> Weights:
        return Weights(skills=self.w_skills, work_experience=self.w_work_experience, projects=self.w_projects,
                       education=self.w_education, certifications=self.w_certifications)

    def set_weights(self, weights: Weights) -> None:
        (self.w_skills, self.w_work_experience, self.w_projects, self.w_education,
         self.w_certifications) = weights.as_tuple()


@dataclass(kw_only=True)
class Candidate:
    """One person per organisation, across its jobs: a platform user (``user_id``) or an imported CV."""

    id: int = 0
    organization_id: int
    user_id: int | None = None
    name: str
    email: str
    contact: str = ""
    city: str = ""
    state: str = ""
    photo: str = ""
    created_at: datetime
    updated_at: datetime


@dataclass(kw_only=True)
class AtsApplication:
    """A candidate for a job. ``board_application_id``: the platform application it is (platform applicants).
    The current stage/status (``latest`` of the event log) is kept on the row; ``overridden`` when a recruiter set
    it by hand."""

    id: int = 0
    candidate_id: int
    job_id: int
    organization_id: int
    board_application_id: int | None = None
    stage_name: str = Stage.APPLIED.value
    status: str = Stage.APPLIED.value
    status_at: datetime
    status_event_id: int = 0
    overridden: bool = False
    created_at: datetime


@dataclass(kw_only=True)
class StatusEvent:
    id: int = 0
    application_id: int
    candidate_id: int
    job_id: int
    stage_name: str
    status: str
    reason: str = ""
    origin: str
    actor_id: int | None = None
    updated_at: datetime


def latest(events: Iterable[StatusEvent]) -> StatusEvent | None:
    """The latest status of a (candidate, job): the greatest ``updated_at``; on a tie, the greatest id."""
    best: StatusEvent | None = None
    for event in events:
        if best is None or (event.updated_at, event.id) > (best.updated_at, best.id):
            best = event
    return best


class ProcessingState(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


@dataclass(kw_only=True)
class Resume:
    """The CV of one application, with its score (thousandths of a point) once processed."""

    id: int = 0
    application_id: int
    candidate_id: int
    job_id: int
    name: str
    file_url: str
    content_type: str
    processing_state: str = ProcessingState.PENDING.value
    processing_message: str = ""
    overall: int | None = None
    s_skills: int | None = None
    s_work_experience: int | None = None
    s_projects: int | None = None
    s_education: int | None = None
    s_certifications: int | None = None
    skills_matched: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    relevant_months: int | None = None
    status_text: str = "Pending"
    is_approved: bool = False
    approved_by: int | None = None
    approved_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class StepKind(StrEnum):
    ASSESSMENT = "assessment"  # test logs
    VIDEO_INTERVIEW = "video_interview"  # personality screenings

    @property
    def stage(self) -> Stage:
        return Stage.ASSESSMENTS if self is StepKind.ASSESSMENT else Stage.VIDEO_INTERVIEW


class StepStatus(StrEnum):
    ASSIGNED = "Assigned"
    PENDING = "Pending"
    IN_PROGRESS = "In Progress"
    COMPLETED = "Completed"
    EXPIRED = "Expired"


@dataclass(kw_only=True)
class Step:
    """A candidate step reached by a public link (``key``): a test log or a personality screening."""

    id: int = 0
    kind: str
    application_id: int
    candidate_id: int
    job_id: int
    key: str
    assigned_by: int | None = None
    assigned_at: datetime
    valid_to: datetime
    status_text: str = StepStatus.ASSIGNED.value
    opens: int = 0
    max_opens: int = 3
    link_opened_at: datetime | None = None
    completed_at: datetime | None = None
    revoked: bool = False
    revoked_by: int | None = None
    is_approved: bool = False
    approved_by: int | None = None
    approved_at: datetime | None = None
    updated_at: datetime

    def shown_status(self, now: datetime) -> str:
        """Expired once past ``valid_to`` unless completed."""
        if self.status_text != StepStatus.COMPLETED and now > self.valid_to:
            return StepStatus.EXPIRED.value
        return self.status_text


@dataclass(frozen=True, slots=True, kw_only=True)
class Seat:
    """Who acts in the ATS: a user in one organisation with one role. ``user_id`` is the organisation itself when
    its own (switched-to) token acts."""

    organization_id: int
    user_id: int
    role: Role

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


@dataclass(frozen=True, slots=True, kw_only=True)
class OrgSeat:
    """One organisation a user can act in, with the role they hold there."""

    organization_id: int
    role: Role
