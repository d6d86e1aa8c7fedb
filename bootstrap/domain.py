"""What a domain module (``bootstrap/domains/<d>.py``) hands to the composition root.

One :class:`DomainModule` per domain; ``bootstrap/domains/__init__.py`` lists them once (``DOMAINS``), and the app
container, ``create_app``, the event wiring, the deletion steps, the CLI and the runtime iterate that list.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

import click
from dependency_injector import containers
from litestar.di import Provide
from litestar.types import ControllerRouterHandler

from adapters.db.accounts import UserDeletionStep
from bootstrap.settings import Section
from bootstrap.tasks import ScheduledJob
from core.shared.events import EventBus
from core.tasks.registry import TaskHandler

__all__ = ("DomainModule", "TaskSpec")

# A task a domain declares: its handler (payload type, the async function, limits) built from the domain's
# container, so the handler is a core service resolved from the container.
TaskSpec = Callable[[Any], TaskHandler[Any]]

C = TypeVar("C", bound=containers.DeclarativeContainer)


def _nothing(_: Any) -> Mapping[str, Provide]:
    return {}


def _no_closing(_: Any) -> Iterable[object]:
    return ()


@dataclass(frozen=True, kw_only=True)
class DomainModule(Generic[C]):
    """A domain's wiring.

    - ``name``: the attribute of the app container holding the domain's container (``container.<name>``);
    - ``container``: its ``DeclarativeContainer`` (``platform = providers.DependenciesContainer()``; SQL and memory
      variants side by side as ``providers.Selector(platform.profile, sql=..., memory=...)``);
    - ``tables``: the modules of ``adapters/db/tables`` holding its tables (checked by a test);
    - ``settings``: its :class:`~bootstrap.settings.Section` (``settings.section(kind)``), if it needs one;
      ``more_settings``: further sections it reads (mentorship: the payment providers' ``PaymentsSettings``);
    - ``controllers`` and ``dependencies(container)``: its Litestar controllers and the typed ``Provide`` of the
      services they inject by name;
    - ``subscribe(container, bus)``: its event handlers;
    - ``user_deletion_steps``: steps the accounts unit of work runs in the transaction deleting a user;
    - ``commands`` (top-level) and ``jobs`` (under ``careernexus jobs``): its click commands;
    - ``tasks``: its background task handlers by task name (``"mail.send"``), see ``bootstrap/tasks.py``;
    - ``schedules``: its scheduled jobs (each also ``careernexus jobs <name>``);
    - ``background``: long-running loops started with the app (by task name);
    - ``closing(container)``: clients to close at shutdown (``aclose()`` or ``close()``).
    """

    name: str
    container: type[C]
    tables: tuple[str, ...] = ()
    settings: type[Section] | None = None
    more_settings: tuple[type[Section], ...] = ()
    controllers: Sequence[ControllerRouterHandler] = ()
    dependencies: Callable[[C], Mapping[str, Provide]] = _nothing
    subscribe: Callable[[C, EventBus], None] | None = None
    user_deletion_steps: tuple[UserDeletionStep, ...] = ()
    commands: Sequence[click.Command] = ()
    jobs: Sequence[click.Command] = ()
    tasks: Mapping[str, TaskSpec] = field(default_factory=dict)
    schedules: Sequence[ScheduledJob] = ()
    background: Mapping[str, Callable[[C], Coroutine[Any, Any, None]]] = field(default_factory=dict)
    closing: Callable[[C], Iterable[object]] = _no_closing

    def of(self, app: containers.Container) -> C:
        """This domain's container inside the app container."""
        inner = getattr(app, self.name)()
        if getattr(inner, "declarative_parent", None) is not self.container:
            raise TypeError(f"container.{self.name} is not a {self.container.__name__}")
        return cast(C, inner)
