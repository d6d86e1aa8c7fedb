"""The composition root scales by domain module: ``bootstrap/domains/__init__.py`` lists every module once, every
table module is loaded and owned, and a new domain plugs in through its own module alone (routes, typed
dependencies, event subscriptions, deletion steps, settings section, overrides) — no other file is edited."""

from __future__ import annotations

import importlib
import pkgutil
import typing
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, ClassVar

import msgspec
import pytest
from dependency_injector import containers, providers
from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.testing import AsyncTestClient
from sqlalchemy import Table

import bootstrap.domains
from adapters.db.tables import TABLE_MODULES, metadata
from adapters.system.clock import FrozenClock
from bootstrap.asgi import create_app
from bootstrap.container import AppContainer, build_container
from bootstrap.domain import DomainModule
from bootstrap.domains import DOMAINS, PLATFORM_TABLES
from bootstrap.settings import Section, load_settings, var
from core.accounts.model.events import AccountRegistered
from core.shared.events import EventBus
from ports.system import Clock
from tests.conftest import make_settings

pytestmark = pytest.mark.anyio


def test_every_domain_module_is_listed_once() -> None:
    modules = sorted(m.name for m in pkgutil.iter_modules(bootstrap.domains.__path__))
    listed = [d.container.__module__.rsplit(".", 1)[-1] for d in DOMAINS]
    assert sorted(listed) == modules, "a module in bootstrap/domains is missing from DOMAINS (or listed twice)"
    for name in modules:
        module = importlib.import_module(f"bootstrap.domains.{name}")
        assert module.DOMAIN in DOMAINS
    names = [d.name for d in DOMAINS]
    assert len(set(names)) == len(names)
    assert not set(names) & set(AppContainer.providers), "a domain name hides a provider of the app container"


def test_every_table_module_is_loaded_and_owned_by_one_domain_or_the_platform() -> None:
    files = sorted(p.stem for p in Path(importlib.import_module("adapters.db.tables").__path__[0]).glob("*.py"))
    assert sorted(TABLE_MODULES) == [f for f in files if f not in ("__init__", "base")]
    owners = [t for d in DOMAINS for t in d.tables] + list(PLATFORM_TABLES)
    assert sorted(owners) == sorted(TABLE_MODULES), "each table module belongs to exactly one domain (or the platform)"
    for name in TABLE_MODULES:
        module = importlib.import_module(f"adapters.db.tables.{name}")
        for table in (v for v in vars(module).values() if isinstance(v, Table)):
            assert metadata.tables[table.name] is table


def test_every_dependency_is_typed_with_a_real_type(tmp_path: Path) -> None:
    container = build_container(make_settings(tmp_path), "memory")
    for domain in DOMAINS:
        for name, provide in domain.dependencies(domain.of(container)).items():
            returns = typing.get_type_hints(provide.dependency).get("return")
            assert isinstance(returns, type) and returns is not object, f"{domain.name}: {name!r} is not typed"


# ------------------------------------------------------------------------ a new domain, from its module only


class NotesSettings(Section, frozen=True, kw_only=True):
    key: ClassVar[str] = "notes"

    greeting: Annotated[str, var("NOTES_GREETING", "test-only")] = "hello"


class NotesService:
    def __init__(self, *, clock: Clock, greeting: str) -> None:
        self.clock = clock
        self.greeting = greeting
        self.seen: list[int] = []


class NotesContainer(containers.DeclarativeContainer):
    platform = providers.DependenciesContainer()

    settings = providers.Callable(lambda s: s.section(NotesSettings), platform.settings)
    service = providers.Singleton(NotesService, clock=platform.clock, greeting=settings.provided.greeting)


class NotesController(Controller):
    path = "/notes-probe"

    @get("/", sync_to_thread=False)
    def probe(self, notes: NamedDependency[NotesService]) -> dict[str, str]:
        return {"greeting": notes.greeting, "now": notes.clock.now().isoformat()}


async def _forget_notes(uow: Any, user_id: int) -> None:
    return None


def _notes_dependencies(c: NotesContainer) -> dict[str, Provide]:
    def provide_notes() -> NotesService:
        return c.service()

    return {"notes": Provide(provide_notes, sync_to_thread=False)}


def _notes_subscribe(c: NotesContainer, bus: EventBus) -> None:
    async def remember(event: AccountRegistered) -> None:
        c.service().seen.append(event.user_id)

    bus.subscribe(AccountRegistered, remember)


NOTES = DomainModule(
    name="notes",
    container=NotesContainer,
    settings=NotesSettings,
    controllers=(NotesController,),
    dependencies=_notes_dependencies,
    subscribe=_notes_subscribe,
    user_deletion_steps=(_forget_notes,),
)


@pytest.mark.parametrize("profile", ["memory", "sql"])
async def test_a_new_domain_plugs_in_through_its_module_alone(tmp_path: Path, profile: Any) -> None:
    env = {"CAREERNEXUS_SECRET_KEY": "k" * 40, "CAREERNEXUS_NOTES_GREETING": "salut"}
    settings = load_settings(env, domain_sections=(NotesSettings,))
    assert settings.section(NotesSettings).greeting == "salut"
    settings = make_settings(tmp_path)
    settings = msgspec.structs.replace(settings, domains=(*settings.domains, NotesSettings(greeting="salut")))
    container = build_container(settings, profile, (*DOMAINS, NOTES))
    frozen = FrozenClock(datetime(2030, 1, 2, tzinfo=UTC))
    container.platform.clock.override(providers.Object(frozen))  # reaches the new domain's service too

    assert _forget_notes in container.platform.user_deletion_steps()
    registered = AccountRegistered(user_id=7, email="a@example.org", user_type="learner")
    await container.platform.event_bus().publish(registered)
    assert container.notes.service().seen == [7]
    async with AsyncTestClient(app=create_app(container), base_url="http://testserver.local") as client:
        response = await client.get("/notes-probe/")
    assert response.status_code == 200
    assert response.json() == {"greeting": "salut", "now": frozen.now().isoformat()}
