"""Users, e-mail challenges (OTP and link), organizations."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from core.shared.errors import InvalidInput
from core.shared.model import Entity

__all__ = (
    "INVISIBLE_EMAIL_MESSAGE",
    "ChallengePurpose",
    "CorporateClaim",
    "EmailChallenge",
    "MiniUser",
    "User",
    "UserType",
    "check_password_policy",
    "has_invisible_characters",
    "normalize_email",
)

_EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s.]{2,63}$")
MAX_EMAIL_LENGTH = 254
INVISIBLE_EMAIL_MESSAGE = "Enter a valid email address without invisible characters."
# Unicode categories that render as nothing (or as a box): format characters (soft hyphen, zero-width space,
# ZWJ/ZWNJ, BOM, bidi controls, tags…), controls, surrogates and private use.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Cs", "Co"})
# Default-ignorable code points outside those categories (combining grapheme joiner, Hangul fillers,
# Khmer vowel inherents, Mongolian and other variation selectors).
_INVISIBLE_EXTRA = frozenset(
    {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F, 0x3164, 0xFFA0}
    | set(range(0xFE00, 0xFE10))
    | set(range(0xE0100, 0xE01F0))
)


class UserType(StrEnum):
    LEARNER = "learner"
    MENTOR = "mentor"
    EMPLOYER = "employer"


def has_invisible_characters(text: str) -> bool:
    """Whether ``text`` holds a character that displays as nothing (``\\u00ad``, ``\\u200b``, ``\\ufeff``…)."""
    return any(unicodedata.category(c) in _INVISIBLE_CATEGORIES or ord(c) in _INVISIBLE_EXTRA for c in text)


def normalize_email(raw: str, *, field_name: str = "email") -> str:
    """Strip, NFKC-normalise and lower-case an address; reject what is not an address.

    Invisible characters are refused rather than dropped: ``ada\\u00ad@example.org`` would otherwise be an
    address of its own that looks exactly like ``ada@example.org``.
    """
    if has_invisible_characters(raw.strip()):
        raise InvalidInput.field(field_name, INVISIBLE_EMAIL_MESSAGE)
    email = unicodedata.normalize("NFKC", raw).strip().lower()
    if has_invisible_characters(email):
        raise InvalidInput.field(field_name, INVISIBLE_EMAIL_MESSAGE)
    if not email:
        raise InvalidInput.field(field_name, "This field may not be blank.")
    if len(email) > MAX_EMAIL_LENGTH or not _EMAIL_RE.match(email) or any(ord(c) < 32 for c in email):
        raise InvalidInput.field(field_name, "Enter a valid email address.")
    return email


def check_password_policy(password: str) -> None:
    """The original's policy (behaviors §1.1), answered as a non-field error."""
    if len(password) < 6:
        raise InvalidInput.non_field("Passwords cannot be less than 6 characters")
    if len(password) > 200:
        raise InvalidInput.non_field("Passwords cannot be more than 200 characters")
    if not any("A" <= c <= "Z" for c in password):
        raise InvalidInput.non_field("Password must contain upper case character")
    if not any("a" <= c <= "z" for c in password):
        raise InvalidInput.non_field("Password must contain lower case character")
    if not any(c.isdigit() for c in password):
        raise InvalidInput.non_field("Password must contain an Integer")


@dataclass(eq=False, kw_only=True)
class User(Entity):
    email: str
    password_hash: str | None = None
    user_type: UserType = UserType.LEARNER
    industry: str = "others"
    is_staff: bool = False
    is_active: bool = True
    email_verified: bool = False
    date_joined: datetime
    # Refresh tokens issued before this instant are void (set by a completed password reset).
    tokens_valid_after: datetime | None = None
    # Settings (behaviors §2.7).
    email_notify: bool = False
    push_notify: bool = True
    message_notify: bool = False
    weekly_summary: bool = False
    job_alerts: bool = True
    marketing: bool = False
    show_email: bool = False  # new accounts hide their address (issue 16 rule 7)
    show_activity: bool = False
    show_location: bool = False

    @property
    def has_usable_password(self) -> bool:
        return bool(self.password_hash)


class ChallengePurpose(StrEnum):
    SIGNUP = "signup"
    RESET = "reset"
    CORPORATE = "corporate"  # the code of a corporate claim (``CorporateClaim``), never an ``EmailChallenge``


@dataclass(eq=False, kw_only=True)
class EmailChallenge(Entity):
    """A one-time code and link sent to an address; stored only as keyed digests.

    Signup challenges keep what the account needs besides the password (the mentor ``industry``);
    the password itself is never stored before the account exists.
    """

    email: str
    purpose: ChallengePurpose
    code_digest: str
    link_digest: str
    created_at: datetime
    expires_at: datetime
    attempts: int = 0
    industry: str | None = None
    verified_at: datetime | None = None
    reset_token_digest: str | None = None

    def is_expired(self, now: datetime) -> bool:
        return now >= self.expires_at


@dataclass(eq=False, kw_only=True)
class CorporateClaim(Entity):
    """The company address a new corporate account asked for, waiting for the code e-mailed to it.

    Until the code comes back the address is not reserved: the corporate account has a placeholder address, the
    owner of the address can still sign up (which lapses every pending claim of it), and several claims of one
    address may wait side by side — the first to prove it wins. ``code_digest`` is empty once voided (too many
    wrong codes): a new code must be asked for.
    """

    user_id: int
    email: str
    code_digest: str
    created_at: datetime
    expires_at: datetime
    attempts: int = 0

    def is_expired(self, now: datetime) -> bool:
        return now >= self.expires_at


@dataclass(frozen=True, slots=True, kw_only=True)
class MiniUser:
    """The small card of a user shown in lists: ``{id, name, profile_photo, extras}``."""

    id: int
    name: str
    profile_photo: str | None
    extras: str | None
    user_type: UserType = field(default=UserType.LEARNER)
