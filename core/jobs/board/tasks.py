"""The board's background tasks: their names and payloads (what the posting service enqueues and the alert and
expiry services run), shared below the services that must not import each other."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ("ALERT_TASK", "CLOSE_EXPIRED_TASK", "MatchAlerts")

ALERT_TASK = "jobs.match-alerts"
CLOSE_EXPIRED_TASK = "jobs.close-expired"


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchAlerts:
    """The payload of the alert-matching task."""

    job_id: int
