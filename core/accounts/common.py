"""Small helpers the accounts services share: creating a user, committing and publishing, walking the tree
of corporate accounts, account cards, choice checks."""

from __future__ import annotations

from core.accounts.model.cards import cards_for
from core.accounts.model.events import AccountRegistered
from core.accounts.model.profiles import Profile
from core.accounts.model.users import MiniUser, User, UserType
from core.shared.errors import Conflict, InvalidInput
from ports.accounts import AccountsUnitOfWork
from ports.choices import ChoiceCatalogue
from ports.events import EventPublisher
from ports.system import Clock

__all__ = ("UserCreator", "check_choice", "commit_and_publish", "created_tree", "mini_users")


async def commit_and_publish(uow: AccountsUnitOfWork, events: EventPublisher) -> None:
    """Commit, then publish what the transaction recorded (never before it is durable)."""
    await uow.commit()
    await events.publish(*uow.collect_events())


async def created_tree(uow: AccountsUnitOfWork, root: int) -> list[int]:
    """The corporate accounts ``root`` created, those they created, and so on: parents before children
    (one statement per level)."""
    found: list[int] = []
    seen = {root}
    level = [root]
    while level:
        children = [c for c in await uow.links.created_by(level) if c not in seen]
        employers = {u.id for u in await uow.users.get_many(children) if u.user_type is UserType.EMPLOYER}
        level = [c for c in dict.fromkeys(children) if c in employers]
        seen.update(level)
        found.extend(level)
    return found


async def mini_users(uow: AccountsUnitOfWork, user_ids: list[int]) -> list[MiniUser]:
    """Cards for ``user_ids`` in that order (two statements whatever the count)."""
    users = {u.id: u for u in await uow.users.get_many(user_ids)}
    profiles = {p.user_id: p for p in await uow.profiles.get_many(user_ids)}
    return cards_for(user_ids, users, profiles)


async def check_choice(catalogue: ChoiceCatalogue, category: str, value: str, field_name: str) -> None:
    if value not in await catalogue.values(category):
        raise InvalidInput.field(field_name, f'"{value}" is not a valid choice.')


class UserCreator:
    """Adds a new account with its profile, the one way every use case creates one."""

    __slots__ = ("_clock",)

    def __init__(self, *, clock: Clock) -> None:
        self._clock = clock

    async def create(
        self,
        uow: AccountsUnitOfWork,
        *,
        email: str,
        password_hash: str | None,
        user_type: UserType,
        industry: str,
        profile: Profile | None = None,
        verified: bool = True,
    ) -> User:
        user = User(
            email=email,
            password_hash=password_hash,
            user_type=user_type,
            industry=industry,
            date_joined=self._clock.now(),
            email_verified=verified,
        )
        try:
            await uow.users.add(user)
        except Conflict as exc:
            raise InvalidInput.field("email", "Existing Email!") from exc
        if verified:
            # The owner of the address has proved it: corporate accounts still waiting for it cannot take it.
            await uow.claims.lapse(email)
        new_profile = profile or Profile(user_id=user.id)
        new_profile.user_id = user.id
        await uow.profiles.add(new_profile)
        user.record(AccountRegistered(user_id=user.id, email=email, user_type=str(user_type)))
        return user
