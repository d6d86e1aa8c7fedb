"""Typed, frozen settings read only from the environment (prefix ``CAREERNEXUS_``)."""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import msgspec

__all__ = ("PREFIX", "Secret", "Settings", "SettingsError", "load_settings")

PREFIX = "CAREERNEXUS_"


class SettingsError(RuntimeError):
    pass


class Secret:
    """A string whose repr never shows the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('**********')" if self._value else "Secret('')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    env: Literal["development", "production", "test"] = "development"
    database_url: str = "sqlite+aiosqlite:///./var/careernexus.db"
    secret_key: Secret = Secret("")
    public_url: str = "http://127.0.0.1:8000"
    frontend_url: str = "http://127.0.0.1:5173"
    cors_origins: tuple[str, ...] = ("http://127.0.0.1:5173", "http://localhost:5173")
    var_dir: str = "./var"
    log_level: str = "INFO"
    # E-mail.
    email_backend: Literal["console", "smtp", "memory"] = "console"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: Secret = Secret("")
    smtp_tls: Literal["none", "starttls", "ssl"] = "none"
    email_from: str = "Career Nexus <no-reply@career-nexus.local>"
    mail_retry_base_seconds: float = 2.0
    mail_poll_seconds: float = 5.0
    # Google sign-in.
    google_client_id: str = ""
    google_client_secret: Secret = Secret("")
    google_redirect_uri: str = "http://127.0.0.1:5173/auth/google/callback"
    google_redirect_uri_signup: str = ""
    google_token_url: str = "https://oauth2.googleapis.com/token"
    google_jwks_url: str = "https://www.googleapis.com/oauth2/v3/certs"
    # Tokens and passwords.
    access_token_ttl: int = 21600
    refresh_token_ttl: int = 86400
    # A refresh chain (one sign-in, rotated by /user/token/refresh/) is refused this long after it began.
    refresh_chain_max_age: int = 2_592_000
    password_hash: Literal["argon2", "cheap"] = "argon2"
    # Seconds a worker trusts its last check that a token's account exists (deletion and password resets
    # reach other workers within this time; 0 checks on every request).
    auth_cache_seconds: float = 2.0
    # Served workers freeze start-up objects out of the collector and collect less often (shorter GC pauses,
    # a shorter latency tail); `careernexus serve` turns it on.
    gc_tuning: bool = False
    # Infrastructure.
    redis_url: str = ""
    # Windows the in-process rate limiter holds at most (without REDIS_URL); the oldest go first above it.
    rate_limit_max_keys: int = 100_000
    # Proxies (IPs or CIDR networks) whose X-Forwarded-For/-Proto headers are believed; none by default.
    trusted_proxies: tuple[str, ...] = ()
    # `careernexus serve` (per worker): connections and tasks at once (more get 503), seconds an idle keep-alive
    # connection stays open, seconds a client has to send a request's headers, and their largest size in bytes.
    serve_limit_concurrency: int = 1000
    serve_timeout_keep_alive: int = 5
    serve_header_timeout: float = 10.0
    serve_max_header_bytes: int = 65_536
    db_pool_size: int = 10
    request_max_body_size: int = 12_000_000
    # Media storage.
    storage_backend: Literal["local", "s3", "memory"] = "local"
    media_root: str = "./var/media"
    media_url: str = ""
    s3_bucket: str = ""
    s3_endpoint_url: str = ""
    s3_region: str = "us-east-1"
    s3_public_url: str = ""
    s3_access_key_id: str = ""
    s3_secret_access_key: Secret = Secret("")
    max_image_bytes: int = 2_000_000
    max_portfolio_image_bytes: int = 1_000_000
    max_video_bytes: int = 5_000_000
    max_document_bytes: int = 5_000_000
    # Per-user budgets (429 with Retry-After when spent; 400 for a full profile).
    write_limit_per_minute: int = 30
    write_limit_per_day: int = 500
    profile_records_max: int = 100
    profile_reads_per_minute: int = 120

    def __repr__(self) -> str:  # secrets are Secret instances; the URL may carry a password
        fields = ", ".join(
            f"{name}={_safe(name, getattr(self, name))!r}" for name in self.__struct_fields__
        )
        return f"Settings({fields})"

    @property
    def public_media_url(self) -> str:
        return self.media_url or f"{self.public_url.rstrip('/')}/media"


def _safe(name: str, value: object) -> object:
    if name == "database_url" and isinstance(value, str) and "@" in value and ":" in value.split("@", 1)[0][10:]:
        scheme, rest = value.split("://", 1)
        creds, host = rest.split("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}:***@{host}"
    return value


_SECRET_FIELDS = {"secret_key", "smtp_password", "google_client_secret", "s3_secret_access_key"}
_TUPLE_FIELDS = {"cors_origins", "trusted_proxies"}


def _dev_secret(var_dir: str) -> str:
    path = Path(var_dir) / "secret_key"
    if path.exists():
        value = path.read_text().strip()
        if len(value) >= 32:
            return value
    if not path.parent.exists():
        path.parent.parent.mkdir(parents=True, exist_ok=True)
        path.parent.mkdir(mode=0o700, exist_ok=True)  # the var dir: secret, SQLite database, media
    value = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value)
    return value


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read ``CAREERNEXUS_*`` variables. Production refuses to start without a real ``SECRET_KEY``."""
    env = os.environ if environ is None else environ
    raw: dict[str, object] = {}
    for name in Settings.__struct_fields__:
        key = PREFIX + name.upper()
        if key not in env:
            continue
        value = env[key]
        if name in _SECRET_FIELDS:
            raw[name] = Secret(value)
        elif name in _TUPLE_FIELDS:
            raw[name] = tuple(v.strip() for v in value.split(",") if v.strip())
        else:
            raw[name] = value
    secrets_part = {k: raw.pop(k) for k in list(raw) if k in _SECRET_FIELDS}
    try:
        settings = msgspec.convert(raw, Settings, strict=False)
    except msgspec.ValidationError as exc:
        raise SettingsError(f"invalid setting: {exc}") from None
    settings = msgspec.structs.replace(settings, **secrets_part)
    for proxy in settings.trusted_proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise SettingsError(f"{PREFIX}TRUSTED_PROXIES: {proxy!r} is not an IP address or network") from None
    if len(settings.secret_key.get()) < 32:
        if settings.env == "production":
            raise SettingsError(f"{PREFIX}SECRET_KEY (at least 32 characters) is required when ENV=production")
        if settings.secret_key:
            raise SettingsError(f"{PREFIX}SECRET_KEY must be at least 32 characters")
        settings = msgspec.structs.replace(settings, secret_key=Secret(_dev_secret(settings.var_dir)))
    return settings
