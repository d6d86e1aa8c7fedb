"""The accounts settings the services read: rate limits, code lifetimes, the token-check cache, upload sizes."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.shared.media import JPEG, PNG, MediaKind, MediaPolicy

__all__ = ("AuthPolicy", "Limit", "MediaLimits")


@dataclass(frozen=True, slots=True, kw_only=True)
class Limit:
    attempts: int
    window_seconds: int


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthPolicy:
    code_ttl_seconds: int = 300
    max_code_attempts: int = 5
    reset_window_seconds: int = 300
    # The code that confirms a corporate account's company address (its mailbox may be read by someone else).
    corporate_code_ttl_seconds: int = 86_400
    frontend_url: str = "http://127.0.0.1:5173"
    # Sign-in counts failures, never successes: per client IP, per (account, client IP), and per account.
    signin_per_ip: Limit = field(default_factory=lambda: Limit(attempts=30, window_seconds=300))
    signin_per_email: Limit = field(default_factory=lambda: Limit(attempts=10, window_seconds=300))
    # Past this many failures on an account (from anywhere), a client that has failed on it is refused and a
    # client that has not is slowed by ``signin_backoff_seconds`` — never refused.
    signin_per_account: Limit = field(default_factory=lambda: Limit(attempts=20, window_seconds=300))
    signin_backoff_seconds: float = 1.0
    # Code e-mails (sign-up and reset): per client IP, per (address, client IP), and a larger per-address cap
    # that refuses only clients which already asked for this address in the window.
    code_send_per_ip: Limit = field(default_factory=lambda: Limit(attempts=20, window_seconds=600))
    code_send_per_email: Limit = field(default_factory=lambda: Limit(attempts=5, window_seconds=600))
    code_send_per_address: Limit = field(default_factory=lambda: Limit(attempts=15, window_seconds=600))
    # Wrong codes and links per client IP (each wrong code also counts on its challenge).
    code_check_per_ip: Limit = field(default_factory=lambda: Limit(attempts=30, window_seconds=600))
    # Reset stage 3 failures (no or wrong proof): per client IP, per (address, IP), per address.
    reset_set_per_ip: Limit = field(default_factory=lambda: Limit(attempts=20, window_seconds=600))
    reset_set_per_email: Limit = field(default_factory=lambda: Limit(attempts=10, window_seconds=600))
    reset_set_per_address: Limit = field(default_factory=lambda: Limit(attempts=30, window_seconds=600))
    # How long one worker trusts its last look at an account when checking tokens (0 = always look).
    auth_cache_seconds: float = 0.0
    # A refresh chain (a session) is refused this long after the sign-in that began it.
    refresh_chain_max_age_seconds: int = 2_592_000


@dataclass(frozen=True, slots=True, kw_only=True)
class MediaLimits:
    """Upload size limits in bytes (settings ``MAX_IMAGE_BYTES`` …)."""

    image_bytes: int = 2_000_000
    video_bytes: int = 5_000_000
    document_bytes: int = 5_000_000

    @property
    def logo(self) -> MediaPolicy:
        return MediaPolicy(MediaKind.IMAGE, self.image_bytes, frozenset({PNG, JPEG}))
