"""Ports of the public profile: sub-records, portfolio, profile views, search, and what profiles need from other
domains (phone-code permissions, currencies, the social graph) expressed in plain types."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from core.accounts.model.portfolio import Certification, Education, Experience, Project, SearchHit, SocialStats
from core.accounts.model.profiles import Profile
from core.accounts.model.users import MiniUser, User
from core.shared.pagination import Page, PageRequest
from ports.accounts import AccountsUnitOfWork

__all__ = (
    "CertificationRepository",
    "CountryCodes",
    "CurrencyLookup",
    "EducationRepository",
    "ExperienceRepository",
    "ProfileSheet",
    "ProfileSheets",
    "ProfileViewRepository",
    "ProfilesUnitOfWork",
    "ProjectRepository",
    "SocialGraph",
    "UserSearch",
)


class ExperienceRepository(Protocol):
    async def list_for(self, user_id: int) -> list[Experience]:
        """Newest first: by ``start_date`` descending (ISO strings), then id descending."""
        ...

    async def get(self, item_id: int) -> Experience | None: ...
    async def add(self, item: Experience) -> Experience: ...
    async def update(self, item: Experience) -> None: ...

    async def lock_and_count(self, user_id: int) -> int:
        """How many records ``user_id`` holds, after locking that user's row until the transaction ends (so
        concurrent adds by one user count in turn and a per-profile cap holds)."""
        ...
    async def delete(self, item_id: int) -> None: ...


class EducationRepository(Protocol):
    async def list_for(self, user_id: int) -> list[Education]: ...
    async def get(self, item_id: int) -> Education | None: ...
    async def add(self, item: Education) -> Education: ...
    async def update(self, item: Education) -> None: ...

    async def lock_and_count(self, user_id: int) -> int:
        """How many records ``user_id`` holds, after locking that user's row until the transaction ends (so
        concurrent adds by one user count in turn and a per-profile cap holds)."""
        ...
    async def delete(self, item_id: int) -> None: ...


class CertificationRepository(Protocol):
    async def list_for(self, user_id: int) -> list[Certification]:
        """By ``issue_date`` descending, then id descending."""
        ...

    async def get(self, item_id: int) -> Certification | None: ...
    async def add(self, item: Certification) -> Certification: ...

    async def lock_and_count(self, user_id: int) -> int:
        """How many records ``user_id`` holds, after locking that user's row until the transaction ends (so
        concurrent adds by one user count in turn and a per-profile cap holds)."""
        ...
    async def delete(self, item_id: int) -> None: ...


class ProjectRepository(Protocol):
    async def list_for(self, user_id: int) -> list[Project]:
        """Oldest first (by id)."""
        ...

    async def get(self, item_id: int) -> Project | None: ...
    async def add(self, item: Project) -> Project: ...

    async def lock_and_count(self, user_id: int) -> int:
        """How many records ``user_id`` holds, after locking that user's row until the transaction ends (so
        concurrent adds by one user count in turn and a per-profile cap holds)."""
        ...
    async def delete(self, item_id: int) -> None: ...


class ProfileViewRepository(Protocol):
    async def record(self, viewer_id: int, viewed_id: int, day: date) -> None:
        """Count one view per viewer, viewed profile and day (a repeat is ignored)."""
        ...

    async def count_for(self, viewed_id: int) -> int: ...


class ProfilesUnitOfWork(AccountsUnitOfWork, Protocol):
    @property
    def experiences(self) -> ExperienceRepository: ...
    @property
    def educations(self) -> EducationRepository: ...
    @property
    def certifications(self) -> CertificationRepository: ...
    @property
    def projects(self) -> ProjectRepository: ...
    @property
    def views(self) -> ProfileViewRepository: ...


class UserSearch(Protocol):
    async def search(self, words: list[str], page: PageRequest) -> Page[SearchHit]:
        """Active users for whom every word starts a word of their name, qualification, bio, summary or company
        name (case-insensitive), by id. Backed by an index; two statements per page."""
        ...


class SocialGraph(Protocol):
    async def stats(self, user_id: int, viewer_id: int) -> SocialStats:
        """Follower counts of ``user_id`` and whether ``viewer_id`` follows it or is connected to it."""
        ...

    async def confirmed_connections(self, user_id: int) -> int: ...

    async def posts_count(self, user_id: int) -> int: ...


class CountryCodes(Protocol):
    async def is_permitted(self, code: str) -> bool:
        """Whether some country with this phone code is permitted on the platform."""
        ...


class CurrencyLookup(Protocol):
    async def currency_for(self, country_code: str) -> str | None:
        """The currency initials of the exchange rate set for a country with this phone code, if any."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class ProfileSheet:
    """Everything a profile page shows of ``user``, before privacy: the user, the profile, the sub-records (an
    employer's member cards instead), and the social facts as seen by one viewer."""

    user: User
    profile: Profile
    experiences: list[Experience] = field(default_factory=list)
    educations: list[Education] = field(default_factory=list)
    certifications: list[Certification] = field(default_factory=list)
    members: list[MiniUser] = field(default_factory=list)
    stats: SocialStats = field(default_factory=SocialStats)


class ProfileSheets(Protocol):
    async def sheet(self, user_id: int, viewer_id: int) -> ProfileSheet | None:
        """The sheet of ``user_id`` seen by ``viewer_id`` (``None`` when the user or profile is missing), in a
        constant number of statements (the SQL adapter: one)."""
        ...
