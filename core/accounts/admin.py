"""Staff accounts (the ``create-admin`` command) and plain account look-ups for operators."""

from __future__ import annotations

from collections.abc import Callable

from core.accounts.common import UserCreator, commit_and_publish
from core.accounts.model.users import User, UserType, check_password_policy, normalize_email
from core.shared.errors import NotFound
from ports.accounts import AccountsUnitOfWork, PasswordHasher
from ports.events import EventPublisher

__all__ = ("AccountsAdminService",)


class AccountsAdminService:
    __slots__ = ("_events", "_hasher", "_uow", "_users")

    def __init__(
        self,
        *,
        uow: Callable[[], AccountsUnitOfWork],
        events: EventPublisher,
        hasher: PasswordHasher,
        users: UserCreator,
    ) -> None:
        self._uow = uow
        self._events = events
        self._hasher = hasher
        self._users = users

    async def create_admin(self, email: str, password: str) -> User:
        """Create a staff account, or make an existing account staff (with this password)."""
        normalized = normalize_email(email)
        check_password_policy(password)
        password_hash = await self._hasher.hash(password)
        async with self._uow() as uow:
            user = await uow.users.by_email(normalized)
            if user is None:
                user = await self._users.create(
                    uow, email=normalized, password_hash=password_hash, user_type=UserType.LEARNER, industry="others"
                )
            user.is_staff = True
            user.password_hash = password_hash
            await uow.users.update(user)
            await commit_and_publish(uow, self._events)
        return user

    async def get_user(self, user_id: int) -> User:
        async with self._uow() as uow:
            user = await uow.users.get(user_id)
        if user is None:
            raise NotFound("User not found.")
        return user
