"""Helpers for the click commands of ``careernexus`` and of the domain modules."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

import click

from bootstrap.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from bootstrap.container import AppContainer

__all__ = ("run_job", "settings_or_exit")

T = TypeVar("T")


def settings_or_exit() -> Settings:
    """The settings from the environment; an invalid one ends the command with its message."""
    try:
        return load_settings()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


def run_job(settings: Settings, work: Callable[[AppContainer], Awaitable[T]]) -> T:
    """Build the container and run one async job inside its runtime (no HTTP server, no background loops)."""
    from bootstrap.container import build_container
    from bootstrap.runtime import running

    async def go() -> T:
        container = build_container(settings)
        async with running(container, background=False):
            return await work(container)

    return asyncio.run(go())
