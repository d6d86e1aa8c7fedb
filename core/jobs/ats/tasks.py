"""The ATS background tasks: names and payloads, below the services (the board's apply use case enqueues
``APPLICATION_TASK`` in its own transaction)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ("APPLICATION_TASK", "SCORE_TASK", "TRACKER_MOVE_TASK", "ReceiveApplication", "ScoreResume", "TrackerMove")

APPLICATION_TASK = "ats.application-received"
SCORE_TASK = "ats.score-resume"
TRACKER_MOVE_TASK = "tracker.board-application-moved"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceiveApplication:
    """A platform user applied on the board: the application joins its organisation's ATS."""

    application_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoreResume:
    resume_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class TrackerMove:
    """``contracts.md``: a candidate-visible move of a platform applicant's application."""

    user_id: int
    job_id: int
    application_id: int
    move: str
    at: str
