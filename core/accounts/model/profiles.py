"""The public face of a user: one profile per user, created with the account."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ("Profile",)


@dataclass(kw_only=True)
class Profile:
    """Profile id is the user id (behaviors §0). Media fields hold a stored URL, ``None`` = the default."""

    user_id: int
    first_name: str = ""
    last_name: str = ""
    middle_name: str = "N/A"
    profile_photo: str | None = None
    cover_photo: str | None = None
    qualification: str = ""
    position: str = ""
    location: str = ""
    bio: str = ""
    intro_video: str = ""
    summary: str = ""
    resume: str = ""
    country_code: str = "+000"
    phone_number: str = "00000000000"
    timezone: str = "UTC"
    # Mentor fields.
    years_of_experience: int | None = None
    availability: str | None = None
    current_job: str | None = None
    areas_of_expertise: list[str] = field(default_factory=list)
    technical_skills: list[str] = field(default_factory=list)
    mentorship_styles: list[str] = field(default_factory=list)
    session_rate_minor: int = 0
    session_rate_currency: str = "USD"
    linkedin_url: str | None = None
    # Corporate fields.
    company_name: str | None = None
    company_type: str | None = None
    company_size: str | None = None
    website: str | None = None
    tagline: str | None = None
    logo: str | None = None

    @property
    def full_name(self) -> str:
        parts = [p for p in (self.first_name, self.middle_name, self.last_name) if p and p != "N/A"]
        return " ".join(parts)
