"""Domain events are facts: ids and what happened (who, to whom, which object, when), stored as plain values.
How a fact is told to someone (text, page, route…) belongs to the notifications presenters, not to the event."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import types
import typing
from datetime import date, datetime

import core
from core.shared.events import DomainEvent

PRESENTATION = {
    "text", "message", "title", "page", "route", "obj_id", "url", "link", "actor_name", "name",
    "first_name", "last_name", "notifies", "subject", "template",
}
FACT_TYPES: set[object] = {int, str, bool, datetime, date, type(None)}


def _all_events() -> set[type[DomainEvent]]:
    for module in pkgutil.walk_packages(core.__path__, "core."):
        importlib.import_module(module.name)
    found: set[type[DomainEvent]] = set()
    todo = [DomainEvent]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub.__module__.startswith("core.") and sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def test_every_domain_event_is_found() -> None:
    names = {kind.__name__ for kind in _all_events()}
    assert {"AccountRegistered", "AccountDeleted", "PostLiked", "CommentReplied", "ConnectionRejected"} <= names


def test_events_carry_no_presentation_fields() -> None:
    offenders = {
        kind.__qualname__: sorted({f.name for f in dataclasses.fields(kind)} & PRESENTATION)
        for kind in _all_events()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_events_derive_nothing_they_only_hold_values() -> None:
    """No properties or methods: a fact is what was stored when it happened, not a text computed from it."""
    derived = {
        kind.__qualname__: sorted(
            name
            for name, value in vars(kind).items()
            if not name.startswith("__") and (isinstance(value, property) or inspect.isfunction(value))
        )
        for kind in _all_events()
    }
    assert {k: v for k, v in derived.items() if v} == {}


def test_event_fields_are_ids_and_plain_values() -> None:
    odd: dict[str, dict[str, object]] = {}
    for kind in _all_events():
        for name, hint in typing.get_type_hints(kind).items():
            parts = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
            if not set(parts) <= FACT_TYPES:
                odd.setdefault(kind.__qualname__, {})[name] = hint
    assert odd == {}
    assert all(dataclasses.is_dataclass(kind) and kind.__dataclass_params__.frozen for kind in _all_events())
