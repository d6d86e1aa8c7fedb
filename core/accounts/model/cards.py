"""The small card of a user shown in lists (members, linked accounts, search)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from core.accounts.model.profiles import Profile
from core.accounts.model.users import MiniUser, User, UserType

__all__ = ("cards_for",)


def cards_for(user_ids: Iterable[int], users: Mapping[int, User], profiles: Mapping[int, Profile]) -> list[MiniUser]:
    """Cards for ``user_ids`` in that order; ids without a user or profile are skipped.

    Employers show their company (name, logo, tagline), everyone else their name, photo and qualification.
    """
    cards: list[MiniUser] = []
    for uid in user_ids:
        user, profile = users.get(uid), profiles.get(uid)
        if user is None or profile is None:
            continue
        if user.user_type is UserType.EMPLOYER:
            cards.append(MiniUser(id=uid, name=profile.company_name or "", profile_photo=profile.logo,
                                  extras=profile.tagline, user_type=user.user_type))
        else:
            cards.append(MiniUser(id=uid, name=profile.full_name, profile_photo=profile.profile_photo,
                                  extras=profile.qualification, user_type=user.user_type))
    return cards
