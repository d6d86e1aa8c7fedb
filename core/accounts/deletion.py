"""Deleting an account: the caller's own, or (staff only) anyone's, with the corporate accounts it created."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from core.accounts.auth_cache import AuthCache
from core.accounts.common import commit_and_publish, created_tree
from core.accounts.model.events import AccountDeleted
from core.accounts.model.profiles import Profile
from core.accounts.model.users import normalize_email
from core.accounts.policies import require_staff
from core.shared.errors import InvalidInput, NotFound
from ports.accounts import AccountsUnitOfWork
from ports.events import EventPublisher
from ports.storage import BlobStorage

__all__ = ("AccountDeletionService",)


class AccountDeletionService:
    __slots__ = ("_cache", "_events", "_storage", "_uow")

    def __init__(
        self,
        *,
        uow: Callable[[], AccountsUnitOfWork],
        events: EventPublisher,
        storage: BlobStorage,
        cache: AuthCache,
    ) -> None:
        self._uow = uow
        self._events = events
        self._storage = storage
        self._cache = cache

    async def delete_user(self, actor_id: int, email: str | None = None) -> None:
        """Delete the caller, or (staff only) the account with ``email``. Everything it owns goes with it."""
        async with self._uow() as uow:
            actor = await uow.users.get(actor_id)
            if actor is None:
                raise NotFound("User not found.")
            target = actor
            if email is not None and normalize_email(email) != actor.email:
                require_staff(actor)
                found = await uow.users.by_email(normalize_email(email))
                if found is None:
                    raise InvalidInput.field("email", "Unregistered User")
                target = found
            # The corporate accounts the user created are reachable only through it: they go with it, and so do
            # the ones those created, down the whole tree. Deepest first; each delete runs the deletion steps.
            tree = await created_tree(uow, target.id)
            media = [self._media_of(p) for p in await uow.profiles.get_many([target.id, *tree])]
            children = {u.id: u for u in await uow.users.get_many(tree)}
            for child_id in reversed(tree):
                child = children[child_id]
                await uow.users.delete(child.id)
                child.record(AccountDeleted(user_id=child.id))
                uow.track(child)
            await uow.users.delete(target.id)
            target.record(AccountDeleted(user_id=target.id))
            uow.track(target)
            # A deleted account's posts, comments and profile must not be served from anyone's cache.
            uow.views_changed(actor_id, everyone=True)
            await commit_and_publish(uow, self._events)
        # After commit (before it, a concurrent check here or in a peer could cache the account again).
        await self._cache.forget_users([target.id, *tree])
        # After commit: the profile media (photos, logos, covers, videos, résumés) of every deleted account.
        for key in (k for keys in media for k in keys):
            with contextlib.suppress(Exception):  # an orphan object is harmless; the deletion succeeded
                await self._storage.delete(key)

    def _media_of(self, profile: Profile) -> list[str]:
        urls = (profile.profile_photo, profile.cover_photo, profile.logo, profile.intro_video, profile.resume)
        # Only URLs this storage produced (every one of these fields is set from an upload, never from text).
        keys = [self._storage.key_of(url) for url in urls if url and "://" in url]
        return [k for k in keys if k]
