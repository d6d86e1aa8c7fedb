"""Ports of the JobHax face and of e-mail import (jobs domain, tracker module): OAuth clients, username aliases,
mail links, imported e-mails, sync runs, in one unit of work."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol, Self

from core.jobs.model.mail import InboundEmail, MailLink, MailSync, OAuthClient
from ports.tasks import TaskQueue

__all__ = (
    "ApplicationRecorder",
    "InboundEmailRepository",
    "JobhaxUnitOfWork",
    "MailLinkRepository",
    "MailSyncRepository",
    "OAuthClientRepository",
    "UsernameRepository",
)


class OAuthClientRepository(Protocol):
    async def add(self, client: OAuthClient) -> OAuthClient:
        """Raises ``Conflict`` when the client id is taken."""
        ...

    async def by_client_id(self, client_id: str) -> OAuthClient | None: ...


class UsernameRepository(Protocol):
    async def add(self, user_id: int, username: str) -> None:
        """``username`` lower-cased by the caller; raises ``Conflict`` when taken (or the account has one)."""
        ...

    async def taken(self, username: str) -> bool: ...

    async def email_of(self, username: str) -> str | None:
        """The address of the active account holding the alias."""
        ...


class MailLinkRepository(Protocol):
    async def get(self, user_id: int) -> MailLink | None: ...

    async def put(self, link: MailLink) -> None:
        """Insert or replace the user's link."""
        ...


class InboundEmailRepository(Protocol):
    async def known(self, owner_id: int, message_ids: Collection[str]) -> set[str]:
        """Which of ``message_ids`` the owner has imported already (one statement)."""
        ...

    async def add(self, mail: InboundEmail) -> bool:
        """Insert; ``False`` when the owner has that message already (also under concurrent syncs)."""
        ...

    async def newest(self, owner_id: int, limit: int) -> list[InboundEmail]:
        """The owner's imported e-mails, newest first (one statement)."""
        ...


class MailSyncRepository(Protocol):
    async def add(self, sync: MailSync) -> MailSync: ...

    async def get(self, sync_id: int) -> MailSync | None: ...

    async def update(self, sync: MailSync) -> None: ...

    async def pending_for(self, owner_id: int, kind: str) -> MailSync | None:
        """The owner's queued or running sync of that kind, if any."""
        ...


class ApplicationRecorder(Protocol):
    """The tracker, as e-mail import sees it: record the application a message announces."""

    async def record(
        self, owner_id: int, *, source: str, job_title: str, company: str, applied_at: datetime, message_id: str
    ) -> int | None:
        """Create the owner's tracked application (status APPLIED, the source's name), or link the one that
        exists for the same job (a platform job the owner applied to, or the same message); its id (``None``
        when the owner deleted the item this message made before)."""
        ...


class JobhaxUnitOfWork(Protocol):
    @property
    def clients(self) -> OAuthClientRepository: ...

    @property
    def usernames(self) -> UsernameRepository: ...

    @property
    def links(self) -> MailLinkRepository: ...

    @property
    def emails(self) -> InboundEmailRepository: ...

    @property
    def syncs(self) -> MailSyncRepository: ...

    @property
    def tasks(self) -> TaskQueue: ...

    def views_changed(self, *viewer_ids: int, everyone: bool = False) -> None: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(self, *exc: object) -> None: ...

    async def commit(self) -> None: ...
