"""The public record of a user beyond the profile: experience, education, certifications, portfolio projects,
and the read objects of profile pages and user search."""

from __future__ import annotations

from dataclasses import dataclass

from core.shared.model import Entity

__all__ = ("Certification", "Education", "Experience", "Project", "SearchHit", "SocialStats")


@dataclass(eq=False, kw_only=True)
class Experience(Entity):
    user_id: int
    title: str
    organization: str
    start_date: str
    end_date: str = "Present"
    location: str = ""
    employment_type: str = ""
    detail: str = ""


@dataclass(eq=False, kw_only=True)
class Education(Entity):
    user_id: int
    course: str
    school: str
    start_date: str = ""
    end_date: str = "Present"
    location: str = ""
    detail: str = ""


@dataclass(eq=False, kw_only=True)
class Certification(Entity):
    user_id: int
    title: str
    school: str
    issue_date: str = ""
    cert_id: str = ""
    skills: str = ""


@dataclass(eq=False, kw_only=True)
class Project(Entity):
    """A portfolio item. ``image`` ``None`` = the default picture; ``download_material`` ``None`` = none."""

    user_id: int
    title: str
    description: str
    image: str | None = None
    download_material: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchHit:
    """One user-search result, before rendering (employers show their company name, tagline and logo)."""

    id: int
    user_type: str
    first_name: str
    last_name: str
    qualification: str
    profile_photo: str | None
    company_name: str | None
    tagline: str | None
    logo: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class SocialStats:
    """Follow and connection facts about ``user`` as seen by ``viewer``."""

    followers: int = 0
    followings: int = 0
    viewer_follows: bool = False
    connected: bool = False
