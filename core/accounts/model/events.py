"""Accounts events."""

from __future__ import annotations

from dataclasses import dataclass

from core.shared.events import DomainEvent

__all__ = ("AccountDeleted", "AccountRegistered", "MemberAdded", "PasswordChanged")


@dataclass(frozen=True, kw_only=True)
class AccountRegistered(DomainEvent):
    user_id: int
    email: str
    user_type: str


@dataclass(frozen=True, kw_only=True)
class PasswordChanged(DomainEvent):
    user_id: int


@dataclass(frozen=True, kw_only=True)
class AccountDeleted(DomainEvent):
    user_id: int


@dataclass(frozen=True, kw_only=True)
class MemberAdded(DomainEvent):
    organization_id: int
    member_id: int
