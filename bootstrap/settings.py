"""Typed, frozen settings in sections, read only from the environment (flat variables, prefix ``CAREERNEXUS_``).

Each field declares its variable with :func:`var` (name, meaning, and how the README shows its default). The
platform sections (``database``, ``auth``, ``mail``, ``storage``, ``http``, ``serve``, ``limits``, ``metrics``,
``cache``, ``tasks``, ``realtime``) are fields of :class:`Settings`; a domain that needs settings declares
its own :class:`Section` in its bootstrap module (``bootstrap/domains/<d>.py``), and
``settings.section(ThatSection)`` returns it. ``python -m bootstrap.settings`` prints the README's
configuration table; ``tests/unit/test_settings_table.py`` checks the README against it.
"""

from __future__ import annotations

import functools
import ipaddress
import os
import secrets
import sys
import typing
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, TypeVar

import msgspec

__all__ = (
    "PREFIX",
    "AuthSettings",
    "CacheSettings",
    "DatabaseSettings",
    "HttpSettings",
    "LimitsSettings",
    "MailSettings",
    "MetricsSettings",
    "RealtimeSettings",
    "Secret",
    "Section",
    "ServeSettings",
    "Settings",
    "SettingsError",
    "StorageSettings",
    "TasksSettings",
    "Variable",
    "load_settings",
    "markdown_table",
    "var",
    "variables",
)

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


def var(name: str, meaning: str, *, shown: str | None = None) -> msgspec.Meta:
    """The environment variable ``CAREERNEXUS_<name>`` of a field, its meaning and (optionally) how the README
    shows its default when the value itself would mislead (a generated or derived default)."""
    extra: dict[str, str] = {"env": name}
    if shown is not None:
        extra["shown"] = shown
    return msgspec.Meta(description=meaning, extra=extra)


class Section(msgspec.Struct, frozen=True, kw_only=True):
    """A group of settings; ``key`` names it in the README (``<key>.<field>``)."""

    key: ClassVar[str] = ""


# ----------------------------------------------------------------------------------------- platform sections


class DatabaseSettings(Section, frozen=True, kw_only=True):
    key: ClassVar[str] = "database"

    url: Annotated[
        str, var("DATABASE_URL", "or `postgresql+asyncpg://user:pw@host:5432/db`")
    ] = "sqlite+aiosqlite:///./var/careernexus.db"
    pool_size: Annotated[int, var("DB_POOL_SIZE", "PostgreSQL pool per worker")] = 10


class AuthSettings(Section, frozen=True, kw_only=True):
    key: ClassVar[str] = "auth"

    secret_key: Annotated[
        Secret,
        var(
            "SECRET_KEY",
            "JWT signing and code digests; **required** (≥32 chars) when `ENV=production`",
            shown="generated once into `./var/secret_key`",
        ),
    ] = Secret("")
    access_token_ttl: Annotated[int, var("ACCESS_TOKEN_TTL", "seconds an access token lives (the original's 6 h)")] = (
        21600
    )
    refresh_token_ttl: Annotated[
        int, var("REFRESH_TOKEN_TTL", "seconds a refresh token lives (the original's 1 day)")
    ] = 86400
    refresh_chain_max_age: Annotated[
        int,
        var(
            "REFRESH_CHAIN_MAX_AGE",
            "seconds (30 days) after a sign-in when its refresh chain ends: rotated refresh tokens of that "
            "session are refused afterwards (sign in again)",
        ),
    ] = 2_592_000
    password_hash: Annotated[Literal["argon2", "cheap"], var("PASSWORD_HASH", "`cheap` only for tests")] = "argon2"
    auth_cache_seconds: Annotated[
        float,
        var(
            "AUTH_CACHE_SECONDS",
            "how long a process trusts its last check of a token's account and session (sign-outs, resets and "
            "deletions reach other processes within it, at once with `REDIS_URL`; `0` checks every request)",
        ),
    ] = 2.0


class MailSettings(Section, frozen=True, kw_only=True):
    key: ClassVar[str] = "mail"

    backend: Annotated[
        Literal["console", "smtp", "memory"], var("EMAIL_BACKEND", "`console`, `smtp` or `memory`")
    ] = "console"
    smtp_host: Annotated[str, var("SMTP_HOST", "SMTP server")] = "127.0.0.1"
    smtp_port: Annotated[int, var("SMTP_PORT", "SMTP port")] = 25
    smtp_username: Annotated[str, var("SMTP_USERNAME", "SMTP user (none: no login)")] = ""
    smtp_password: Annotated[Secret, var("SMTP_PASSWORD", "SMTP password")] = Secret("")
    smtp_tls: Annotated[
        Literal["none", "starttls", "ssl"], var("SMTP_TLS", "`none`, `starttls` or `ssl`")
    ] = "none"
    sender: Annotated[str, var("EMAIL_FROM", "the From of every e-mail")] = "Career Nexus <no-reply@career-nexus.local>"
    retry_base_seconds: Annotated[
        float, var("MAIL_RETRY_BASE_SECONDS", "first retry delay of a failed `mail.send` task (doubles each time)")
    ] = 2.0
    poll_seconds: Annotated[
        float,
        var(
            "MAIL_POLL_SECONDS",
            "period of the scheduled `drain-outbox` job (sends mail whose `mail.send` task is missing or dead)",
        ),
    ] = 60.0


class StorageSettings(Section, frozen=True, kw_only=True):
    key: ClassVar[str] = "storage"

    backend: Annotated[
        Literal["local", "s3", "memory"], var("STORAGE_BACKEND", "`local`, `s3` or `memory`")
    ] = "local"
    media_root: Annotated[str, var("MEDIA_ROOT", "local media directory")] = "./var/media"
    media_url: Annotated[
        str, var("MEDIA_URL", "public base URL of media files", shown="`<PUBLIC_URL>/media`")
    ] = ""
    s3_bucket: Annotated[str, var("S3_BUCKET", "S3-compatible media: bucket")] = ""
    s3_endpoint_url: Annotated[str, var("S3_ENDPOINT_URL", "S3 endpoint (AWS when empty)")] = ""
    s3_region: Annotated[str, var("S3_REGION", "S3 region")] = "us-east-1"
    s3_public_url: Annotated[str, var("S3_PUBLIC_URL", "public base URL of the bucket's objects")] = ""
    s3_access_key_id: Annotated[str, var("S3_ACCESS_KEY_ID", "S3 access key (else the default chain)")] = ""
    s3_secret_access_key: Annotated[Secret, var("S3_SECRET_ACCESS_KEY", "S3 secret key")] = Secret("")


class HttpSettings(Section, frozen=True, kw_only=True):
    key: ClassVar[str] = "http"

    public_url: Annotated[str, var("PUBLIC_URL", "absolute links (pages, media, default images)")] = (
        "http://127.0.0.1:8000"
    )
    frontend_url: Annotated[str, var("FRONTEND_URL", "links in e-mails (`/verify/<hash>`)")] = (
        "http://127.0.0.1:5173"
    )
    cors_origins: Annotated[
        tuple[str, ...], var("CORS_ORIGINS", "comma-separated exact origins; credentials allowed")
    ] = ("http://127.0.0.1:5173", "http://localhost:5173")
    trusted_proxies: Annotated[
        tuple[str, ...],
        var(
            "TRUSTED_PROXIES",
            "comma-separated IPs/CIDR networks of reverse proxies whose `X-Forwarded-For` (and, in `serve`, "
            "`X-Forwarded-Proto`) is believed; the client is the right-most address not in the list. Rate limits "
            "count an IPv4 client per address and an IPv6 client per /64",
            shown="– (trust none)",
        ),
    ] = ()
    request_max_body_size: Annotated[int, var("REQUEST_MAX_BODY_SIZE", "bytes; larger bodies get 413")] = 12_000_000
    gc_tuning: Annotated[
        bool,
        var(
            "GC_TUNING",
            "freeze start-up objects out of the collector and collect less often (shorter GC pauses); "
            "`careernexus serve` turns it on",
        ),
    ] = False


class ServeSettings(Section, frozen=True, kw_only=True):
    key: ClassVar[str] = "serve"

    limit_concurrency: Annotated[
        int,
        var(
            "SERVE_LIMIT_CONCURRENCY",
            "`serve`, per worker: connections + requests at once; more get 503 (`0` = no limit)",
        ),
    ] = 1000
    timeout_keep_alive: Annotated[
        int, var("SERVE_TIMEOUT_KEEP_ALIVE", "`serve`: seconds an idle keep-alive connection stays open")
    ] = 5
    header_timeout: Annotated[
        float,
        var(
            "SERVE_HEADER_TIMEOUT",
            "`serve`: seconds a client has to send a request's headers (from its first byte, or from "
            "connecting); else 408 and the connection is closed",
        ),
    ] = 10.0
    max_header_bytes: Annotated[
        int,
        var("SERVE_MAX_HEADER_BYTES", "`serve`: largest request head in bytes; else 431 and the connection is closed"),
    ] = 65_536


class LimitsSettings(Section, frozen=True, kw_only=True):
    key: ClassVar[str] = "limits"

    redis_url: Annotated[
        str,
        var(
            "REDIS_URL",
            "shared rate limits across processes and hosts, and the token-check caches' invalidation "
            "(in-process limits and the `AUTH_CACHE_SECONDS` bound without it; an unreachable Redis fails open "
            "onto those and is retried after 5 s); the fan-out of websocket frames (notifications, chat) "
            "across processes through pub/sub (within one process without it)",
        ),
    ] = ""
    rate_limit_max_keys: Annotated[
        int,
        var(
            "RATE_LIMIT_MAX_KEYS",
            "windows the in-process limiter keeps (O(1) per request; above it the window closest to its end is "
            "forgotten)",
        ),
    ] = 100_000
    write_limit_per_minute: Annotated[
        int,
        var(
            "WRITE_LIMIT_PER_MINUTE",
            "per user and kind: posts, comments (replies included), reposts, experience, education, "
            "certification, portfolio projects written (sub-record updates count too); past it 429 with "
            "`Retry-After`",
        ),
    ] = 30
    write_limit_per_day: Annotated[int, var("WRITE_LIMIT_PER_DAY", "the same budget per day")] = 500
    max_image_bytes: Annotated[
        int,
        var(
            "MAX_IMAGE_BYTES",
            "upload limit of an image; besides, an image may declare at most 10000 pixels per side and 40 "
            "megapixels (read from its header: decompression bombs are a 400)",
        ),
    ] = 2_000_000
    max_video_bytes: Annotated[int, var("MAX_VIDEO_BYTES", "upload limit of a video")] = 5_000_000
    max_document_bytes: Annotated[
        int,
        var(
            "MAX_DOCUMENT_BYTES",
            "upload limit of a document; a DOCX may hold at most 1000 archive entries and 100 MB unpacked "
            "(from its central directory)",
        ),
    ] = 5_000_000


class TasksSettings(Section, frozen=True, kw_only=True):
    key: ClassVar[str] = "tasks"

    queue: Annotated[
        Literal["inline", "saq"],
        var(
            "QUEUE",
            "`inline`: each `careernexus serve` process claims and runs background tasks itself; `saq`: web "
            "processes only enqueue (through SAQ on `REDIS_URL`, which it needs) and `careernexus worker` "
            "processes run tasks and scheduled jobs",
        ),
    ] = "inline"
    saq_queue: Annotated[str, var("SAQ_QUEUE", "`QUEUE=saq`: the SAQ queue's name in Redis")] = "careernexus"
    sweep_seconds: Annotated[
        int,
        var(
            "TASK_SWEEP_SECONDS",
            "`QUEUE=saq`: seconds (1-59) between worker sweeps re-dispatching due tasks Redis does not hold and "
            "tasks whose lease expired",
        ),
    ] = 5
    concurrency: Annotated[int, var("TASK_CONCURRENCY", "tasks a worker runs at once")] = 4
    lease_seconds: Annotated[
        float,
        var(
            "TASK_LEASE_SECONDS",
            "a claimed task is its worker's for this long; after it (the worker died) another worker runs it again",
        ),
    ] = 300.0
    timeout_seconds: Annotated[
        float, var("TASK_TIMEOUT_SECONDS", "a task's handler is stopped (and retried) after this long")
    ] = 240.0
    max_attempts: Annotated[int, var("TASK_MAX_ATTEMPTS", "attempts before a failing task is dead")] = 5
    backoff_base_seconds: Annotated[
        float, var("TASK_BACKOFF_BASE_SECONDS", "delay before the first retry (doubles each time, +0-10 % jitter)")
    ] = 2.0
    backoff_cap_seconds: Annotated[float, var("TASK_BACKOFF_CAP_SECONDS", "longest delay between retries")] = 3600.0
    poll_seconds: Annotated[
        float,
        var("TASK_POLL_SECONDS", "seconds between checks for due tasks and retries (commits wake the worker at once)"),
    ] = 1.0
    retention_days: Annotated[
        float, var("TASK_RETENTION_DAYS", "done tasks are pruned after this long (their dedupe keys are free again)")
    ] = 7.0
    schedule: Annotated[
        bool, var("TASK_SCHEDULER", "run the scheduled jobs (`careernexus jobs`) in this process's worker")
    ] = True


class MetricsSettings(Section, frozen=True, kw_only=True):
    key: ClassVar[str] = "metrics"

    enabled: Annotated[
        bool,
        var(
            "METRICS_ENABLED",
            "serve Prometheus metrics at `/metrics` (404 when off); with `serve --workers N` the workers share "
            "`<VAR_DIR>/prometheus`, emptied at start",
        ),
    ] = False
    token: Annotated[
        Secret, var("METRICS_TOKEN", "when set, `/metrics` needs `Authorization: Bearer <token>` (else 401)")
    ] = Secret("")


class CacheSettings(Section, frozen=True, kw_only=True):
    key: ClassVar[str] = "cache"

    staleness_seconds: Annotated[
        float,
        var(
            "READ_CACHE_STALENESS_SECONDS",
            "how late other people's writes may appear in the cached hot reads (post lists, profiles, follow and "
            "connection counts, recommendations); one's own writes show on the very next read; `0` turns the "
            "read cache off. With `REDIS_URL` the cache and its versions are shared by every worker",
        ),
    ] = 2.0
    max_bytes: Annotated[
        int,
        var(
            "READ_CACHE_MAX_BYTES",
            "memory per worker for cached answers (keys, encoded bodies and a fixed overhead per entry; least "
            "recently used out first)",
        ),
    ] = 32_000_000


class RealtimeSettings(Section, frozen=True, kw_only=True):
    """The websockets of notifications and chat, fanned out through Redis pub/sub when ``REDIS_URL`` is set
    (else within one process)."""

    key: ClassVar[str] = "realtime"

    queue_size: Annotated[
        int,
        var(
            "REALTIME_QUEUE_SIZE",
            "frames a websocket may have unsent; a client that falls further behind is closed (4429)",
        ),
    ] = 100
    heartbeat_seconds: Annotated[
        float,
        var(
            "REALTIME_HEARTBEAT_SECONDS",
            "a websocket that sends nothing for this long is closed (4408); the frontend pings every 30 s",
        ),
    ] = 90.0
    channel_prefix: Annotated[
        str, var("REALTIME_CHANNEL_PREFIX", "namespace of the Redis pub/sub channels (shared by every database)")
    ] = "careernexus"


S = TypeVar("S", bound=Section)


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    env: Annotated[
        Literal["development", "production", "test"],
        var("ENV", "`development`, `production` or `test`"),
    ] = "development"
    var_dir: Annotated[str, var("VAR_DIR", "the generated secret key, the SQLite database and media by default")] = (
        "./var"
    )
    log_level: Annotated[str, var("LOG_LEVEL", "`DEBUG`, `INFO`, `WARNING`…")] = "INFO"
    database: DatabaseSettings = msgspec.field(default_factory=DatabaseSettings)
    auth: AuthSettings = msgspec.field(default_factory=AuthSettings)
    mail: MailSettings = msgspec.field(default_factory=MailSettings)
    storage: StorageSettings = msgspec.field(default_factory=StorageSettings)
    http: HttpSettings = msgspec.field(default_factory=HttpSettings)
    serve: ServeSettings = msgspec.field(default_factory=ServeSettings)
    limits: LimitsSettings = msgspec.field(default_factory=LimitsSettings)
    metrics: MetricsSettings = msgspec.field(default_factory=MetricsSettings)
    cache: CacheSettings = msgspec.field(default_factory=CacheSettings)
    tasks: TasksSettings = msgspec.field(default_factory=TasksSettings)
    realtime: RealtimeSettings = msgspec.field(default_factory=RealtimeSettings)
    # The sections of the domains (``bootstrap/domains``); read them with :meth:`section`.
    domains: tuple[Section, ...] = ()

    def __repr__(self) -> str:  # secrets are Secret instances; the URL may carry a password
        fields = ", ".join(f"{name}={_safe(name, getattr(self, name))!r}" for name in self.__struct_fields__)
        return f"Settings({fields})"

    def section(self, kind: type[S]) -> S:
        """A domain's section (its defaults when these settings were built without it)."""
        for section in self.domains:
            if type(section) is kind:
                return section
        return kind()

    @property
    def public_media_url(self) -> str:
        return self.storage.media_url or f"{self.http.public_url.rstrip('/')}/media"

    def with_values(self, **values: Any) -> Settings:
        """A copy with some variables replaced, by variable name without the prefix (case-insensitive, typed
        values: ``settings.with_values(db_pool_size=25, trusted_proxies=("127.0.0.0/8",))``). For tests."""
        wanted = {name.upper(): value for name, value in values.items()}

        def take(kind: type[msgspec.Struct]) -> dict[str, Any]:  # the wanted values of kind's fields, by field
            return {f: wanted.pop(v.env) for f, v in _fields(kind).items() if v.env in wanted}

        sections: dict[str, Section] = {}
        for attr, kind in _platform_sections():
            if changed := take(kind):
                sections[attr] = msgspec.structs.replace(getattr(self, attr), **changed)
        top = take(Settings)
        domains = list(self.domains)
        for kind in _known_domain_sections(self):
            if changed := take(kind):
                current = self.section(kind)
                domains = [s for s in domains if type(s) is not kind]
                domains.append(msgspec.structs.replace(current, **changed))
        if wanted:
            raise KeyError(f"unknown setting(s): {', '.join(sorted(wanted))}")
        return msgspec.structs.replace(self, **top, **sections, domains=tuple(domains))


def _safe(name: str, value: object) -> object:
    if name == "database" and isinstance(value, DatabaseSettings):
        return msgspec.structs.replace(value, url=str(_safe("url", value.url)))
    if name == "url" and isinstance(value, str) and "@" in value and ":" in value.split("@", 1)[0][10:]:
        scheme, rest = value.split("://", 1)
        creds, host = rest.split("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}:***@{host}"
    return value


# ------------------------------------------------------------------------------------------ introspection


class Variable(msgspec.Struct, frozen=True):
    """One environment variable: ``env`` (without the prefix), the field it fills, its type and meaning."""

    env: str
    path: str
    field: str
    type: Any
    meaning: str
    shown: str | None
    default: Any


@functools.cache
def _fields(kind: type[msgspec.Struct]) -> dict[str, Variable]:
    """The fields of ``kind`` that read a variable, by field name."""
    hints = typing.get_type_hints(kind, include_extras=True)
    defaults = {f.name: f.default for f in msgspec.structs.fields(kind)}
    found: dict[str, Variable] = {}
    for name, hint in hints.items():
        if typing.get_origin(hint) is not Annotated:
            continue
        base, *extras = typing.get_args(hint)
        for meta in extras:
            if isinstance(meta, msgspec.Meta) and meta.extra and "env" in meta.extra:
                key = getattr(kind, "key", "")
                found[name] = Variable(
                    env=meta.extra["env"],
                    path=f"{key}.{name}" if key else name,
                    field=name,
                    type=base,
                    meaning=meta.description or "",
                    shown=meta.extra.get("shown"),
                    default=defaults.get(name),
                )
    return found


@functools.cache
def _platform_sections() -> tuple[tuple[str, type[Section]], ...]:
    hints = typing.get_type_hints(Settings)
    return tuple(
        (name, hint) for name, hint in hints.items() if isinstance(hint, type) and issubclass(hint, Section)
    )


def _domain_sections() -> tuple[type[Section], ...]:
    # Imported when called: the domain modules import this module.
    from bootstrap.domains import DOMAINS

    return tuple(
        kind for d in DOMAINS for kind in ((d.settings,) if d.settings is not None else ()) + d.more_settings
    )


def _known_domain_sections(settings: Settings) -> tuple[type[Section], ...]:
    kinds = list(_domain_sections())
    kinds.extend(type(s) for s in settings.domains if type(s) not in kinds)
    return tuple(kinds)


def variables(domain_sections: Sequence[type[Section]] | None = None) -> Iterator[Variable]:
    """Every variable, in the order of the README table: top-level, platform sections, then domains'."""
    yield from _fields(Settings).values()
    for _, kind in _platform_sections():
        yield from _fields(kind).values()
    for kind in _domain_sections() if domain_sections is None else domain_sections:
        yield from _fields(kind).values()


def _shown(variable: Variable) -> str:
    if variable.shown is not None:
        return variable.shown
    value = variable.default
    if isinstance(value, Secret):
        value = value.get()
    if isinstance(value, tuple):
        value = ",".join(value)
    if isinstance(value, bool):
        value = "true" if value else "false"
    if value == "":
        return "–"
    return f"`{value}`"


def markdown_table(domain_sections: Sequence[type[Section]] | None = None) -> str:
    """The README's configuration table (one row per variable)."""
    lines = ["| variable | setting | default | meaning |", "|---|---|---|---|"]
    for v in variables(domain_sections):
        lines.append(f"| `{v.env}` | `{v.path}` | {_shown(v)} | {v.meaning} |")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------- loading


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


def _read(kind: type[msgspec.Struct], env: Mapping[str, str]) -> dict[str, Any]:
    """The fields of ``kind`` whose variable is set, as raw values msgspec converts (secrets kept apart)."""
    raw: dict[str, Any] = {}
    for name, variable in _fields(kind).items():
        key = PREFIX + variable.env
        if key not in env:
            continue
        value = env[key]
        if variable.type is Secret:
            raw[name] = Secret(value)
        elif typing.get_origin(variable.type) is tuple:
            raw[name] = tuple(v.strip() for v in value.split(",") if v.strip())
        else:
            raw[name] = value
    return raw


def _convert(kind: type[msgspec.Struct], raw: dict[str, Any]) -> Any:
    secret_values = {k: raw.pop(k) for k in list(raw) if isinstance(raw[k], Secret)}
    try:
        value = msgspec.convert(raw, kind, strict=False)
    except msgspec.ValidationError as exc:
        raise SettingsError(f"invalid setting: {exc}") from None
    return msgspec.structs.replace(value, **secret_values) if secret_values else value


def load_settings(
    environ: Mapping[str, str] | None = None, domain_sections: Sequence[type[Section]] | None = None
) -> Settings:
    """Read ``CAREERNEXUS_*`` variables. Production refuses to start without a real ``SECRET_KEY``."""
    env = os.environ if environ is None else environ
    top = _read(Settings, env)
    sections = {attr: _convert(kind, _read(kind, env)) for attr, kind in _platform_sections()}
    kinds = _domain_sections() if domain_sections is None else domain_sections
    domains = tuple(_convert(kind, _read(kind, env)) for kind in kinds)
    settings: Settings = _convert(Settings, top)
    settings = msgspec.structs.replace(settings, **sections, domains=domains)
    for proxy in settings.http.trusted_proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise SettingsError(f"{PREFIX}TRUSTED_PROXIES: {proxy!r} is not an IP address or network") from None
    if settings.tasks.queue == "saq" and not settings.limits.redis_url:
        raise SettingsError(f"{PREFIX}QUEUE=saq needs {PREFIX}REDIS_URL")
    if not 1 <= settings.tasks.sweep_seconds <= 59:
        raise SettingsError(f"{PREFIX}TASK_SWEEP_SECONDS must be 1 to 59")
    if len(settings.auth.secret_key.get()) < 32:
        if settings.env == "production":
            raise SettingsError(f"{PREFIX}SECRET_KEY (at least 32 characters) is required when ENV=production")
        if settings.auth.secret_key:
            raise SettingsError(f"{PREFIX}SECRET_KEY must be at least 32 characters")
        auth = msgspec.structs.replace(settings.auth, secret_key=Secret(_dev_secret(settings.var_dir)))
        settings = msgspec.structs.replace(settings, auth=auth)
    return settings


if __name__ == "__main__":  # pragma: no cover - ``python -m bootstrap.settings`` prints the README table
    # Through the imported module: the domain sections' ``Secret`` is ``bootstrap.settings.Secret``, not this
    # ``__main__`` copy's (whose defaults would print as ``Secret('')``).
    from bootstrap import settings as _imported

    sys.stdout.write(_imported.markdown_table())
