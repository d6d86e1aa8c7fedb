"""The tracker's task (what the board's apply and the ATS enqueue; the tracker's ``BoardMoves`` runs it), shared
below the services that must not import each other."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ("MOVES", "MOVE_TASK", "BoardApplicationMoved", "Move", "move_dedupe_key")

MOVE_TASK = "tracker.board-application-moved"
Move = Literal["applied", "assessment", "video_interview", "rejected", "hired"]
MOVES: tuple[str, ...] = ("applied", "assessment", "video_interview", "rejected", "hired")


@dataclass(frozen=True, slots=True, kw_only=True)
class BoardApplicationMoved:
    """A candidate-visible move of a board application (``at``: ISO 8601 UTC)."""

    user_id: int
    job_id: int
    application_id: int
    move: str
    at: str


def move_dedupe_key(application_id: int, move: str, ref: str) -> str:
    """``ref``: the event id or the timestamp of the move."""
    return f"tracker-move:{application_id}:{move}:{ref}"
