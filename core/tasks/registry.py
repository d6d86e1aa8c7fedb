"""What a task is to the runner: its payload type and its handler (``TaskHandler``), looked up by name."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

__all__ = ("PermanentTaskError", "TaskHandler")

P = TypeVar("P")


class PermanentTaskError(Exception):
    """Raised by a handler when retrying cannot help: the task goes to ``dead`` at once."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskHandler(Generic[P]):
    """``run(payload)`` for tasks whose payload decodes as ``payload``. ``None`` settings take the runner's
    defaults (``TASK_TIMEOUT…``, ``TASK_MAX_ATTEMPTS``, ``TASK_BACKOFF_BASE_SECONDS``).

    A handler must be idempotent: it may run again after a crash between its effect and ``done`` (say in its
    docstring by which key it is).
    """

    payload: type[P]
    run: Callable[[P], Awaitable[Any]]
    timeout_seconds: float | None = None
    max_attempts: int | None = None
    backoff_base_seconds: float | None = None
