"""JobHax ``/api/users/*``: sign-in with a registered OAuth client, register, tokens, Gmail link and mail sync.

Thin: decode, call the accounts or e-mail import services, answer the envelope. The token endpoints check
``client_id``/``client_secret`` against the clients of ``careernexus create-oauth-client``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import QueryParameter

from adapters.http.jobhax.envelope import (
    EMAIL_TAKEN,
    GOOGLE_TOKEN_EXPIRED,
    GOOGLE_TOKEN_UPDATE_FAILED,
    INVALID_CREDENTIALS,
    INVALID_PARAMETERS,
    LOGIN_FAILED,
    LOGOUT_FAILED,
    NOT_FOUND,
    PASSWORDS_DIFFER,
    PROFILE_NOT_FOUND,
    USERNAME_TAKEN,
    Envelope,
    JobhaxFailure,
    convert_body,
    envelope_handlers,
    guarded,
    ok,
)
from adapters.http.jobhax.schemas import (
    GmailTokenBody,
    LoginBody,
    LogoutBody,
    MailRead,
    RefreshBody,
    RegisterBody,
    SocialBody,
    SyncRead,
    SyncStartedRead,
    TokenRead,
    UploadForm,
)
from adapters.http.security import BEARER, Principal
from adapters.http.wire import NO_NUL, client_ip, read_body, to_upload
from core.accounts.google import GoogleAccountsService
from core.accounts.issuing import AuthResult
from core.accounts.registration import RegistrationService
from core.accounts.sessions import SessionsService
from core.jobs.jobhax.clients import JobhaxIdentity
from core.jobs.model.mail import MailSync
from core.jobs.tracker.mail.sync import MAX_UPLOAD_BYTES, MailImportService
from core.shared.errors import InvalidInput

__all__ = ("JobhaxConfig", "JobhaxUsersController")

_DIGITS = re.compile(r"[0-9]{1,19}")
Me = NamedDependency[Principal]
Identity = NamedDependency[JobhaxIdentity]
Sessions = NamedDependency[SessionsService]
Registration = NamedDependency[RegistrationService]
GoogleAccounts = NamedDependency[GoogleAccountsService]
Imports = NamedDependency[MailImportService]


@dataclass(frozen=True, slots=True)
class JobhaxConfig:
    """What the face says about its tokens: ``expires_in`` is the platform's access-token lifetime."""

    access_token_ttl: int


Config = NamedDependency[JobhaxConfig]
GOOGLE_PROVIDER = "google-oauth2"
EXISTING_EMAIL = {"email": ["Existing Email!"]}
ENVELOPE_NOTE = (
    " Answers the JobHax envelope `{success, error_code, error_message, data}`: handled failures are HTTP 200 with "
    "`success: false`, the documented `error_code` and `data: null`."
)
# The 202 operations' handled failures (HTTP 200, `success: false`).
FAILURE_RESPONSE = ResponseSpec(data_container=Envelope, description="A handled failure: `success: false`.")
TOKEN_NOTE = " `client_id`/`client_secret` must be a client registered with `careernexus create-oauth-client`."


def _token(result: AuthResult, config: JobhaxConfig) -> TokenRead:
    return TokenRead(
        access_token=result.tokens.access,
        expires_in=config.access_token_ttl,
        token_type="Bearer",
        scope="read write",
        refresh_token=result.tokens.refresh,
    )


def _when(at: datetime | None) -> str | None:
    return at.isoformat().replace("+00:00", "Z") if at is not None else None


def _sync(sync: MailSync) -> SyncRead:
    return SyncRead(
        task_id=sync.id,
        kind=sync.kind,
        status=sync.status,
        imported=sync.imported,
        skipped=sync.skipped,
        error=sync.error if sync.status != "queued" else "",
        created_at=_when(sync.created_at) or "",
        finished_at=_when(sync.finished_at),
    )


async def _client(identity: JobhaxIdentity, client_id: str, client_secret: str, code: int) -> None:
    if not await identity.client_ok(client_id, client_secret):
        raise JobhaxFailure(code)


class JobhaxUsersController(Controller):
    path = "/api/users"
    tags = ["JobHax"]
    exception_handlers = envelope_handlers

    @post("/login", status_code=200, summary="JobHax: sign in", description=(
        "`username` is the account e-mail or its JobHax username. Data: the token object." + TOKEN_NOTE
        + ENVELOPE_NOTE + " Failure code 6."), opt={"form": (LoginBody, ())})
    async def login(
        self, request: Request[Any, Any, Any], jobhax_identity: Identity, sessions: Sessions, jobhax_config: Config
    ) -> Envelope:
        body = convert_body(LoginBody, (await read_body(request)).fields)
        await _client(jobhax_identity, body.client_id, body.client_secret, LOGIN_FAILED)
        email = await jobhax_identity.login_email(body.username)
        if email is None:
            raise JobhaxFailure(LOGIN_FAILED)
        result = await guarded(LOGIN_FAILED, sessions.signin(email, body.password, client_ip=client_ip(request)))
        return ok(_token(result, jobhax_config))

    @post("/refresh_token", status_code=200, summary="JobHax: refresh the tokens", description=(
        "Rotates the refresh token (the old one is revoked). Data: the token object." + TOKEN_NOTE + ENVELOPE_NOTE
        + " Failure code 1."), opt={"form": (RefreshBody, ())})
    async def refresh_token(
        self, request: Request[Any, Any, Any], jobhax_identity: Identity, sessions: Sessions, jobhax_config: Config
    ) -> Envelope:
        body = convert_body(RefreshBody, (await read_body(request)).fields)
        await _client(jobhax_identity, body.client_id, body.client_secret, INVALID_CREDENTIALS)
        result = await guarded(INVALID_CREDENTIALS, sessions.refresh(body.refresh_token))
        return ok(_token(result, jobhax_config))

    @post("/logout", status_code=200, summary="JobHax: sign out", description=(
        "`token` is the JobHax access token: its session ends (every token of it)." + TOKEN_NOTE + ENVELOPE_NOTE
        + " Failure code 5."), opt={"form": (LogoutBody, ())})
    async def logout(self, request: Request[Any, Any, Any], jobhax_identity: Identity, sessions: Sessions) -> Envelope:
        body = convert_body(LogoutBody, (await read_body(request)).fields)
        await _client(jobhax_identity, body.client_id, body.client_secret, LOGOUT_FAILED)
        await guarded(LOGOUT_FAILED, sessions.signout_access(body.token))
        return ok()

    @post("/auth_social_user", status_code=200, summary="JobHax: sign in with Google", description=(
        "`provider` must be `google-oauth2` (LinkedIn sign-in is not offered: code 1). `token` is verified "
        "through the platform's Google sign-in (the same identity check as `/user/google/signin/`); an address "
        "without an account gets one (verified by Google). Data: the token object." + TOKEN_NOTE + ENVELOPE_NOTE
        + " Failure code 1."), opt={"form": (SocialBody, ())})
    async def auth_social_user(
        self,
        request: Request[Any, Any, Any],
        jobhax_identity: Identity,
        google_accounts: GoogleAccounts,
        jobhax_config: Config,
    ) -> Envelope:
        body = convert_body(SocialBody, (await read_body(request)).fields)
        await _client(jobhax_identity, body.client_id, body.client_secret, INVALID_CREDENTIALS)
        if body.provider != GOOGLE_PROVIDER:
            raise JobhaxFailure(INVALID_CREDENTIALS)
        result = await guarded(INVALID_CREDENTIALS, google_accounts.google_sign_in_or_up(body.token))
        return ok(_token(result, jobhax_config))

    @post("/register", status_code=200, summary="JobHax: register", description=(
        "Creates a platform account that signs in at once (with its e-mail or `username`), but whose address is "
        "not verified: it never blocks the owner of the address, who can still sign up on the platform with the "
        "e-mailed code and so takes the account over (password replaced, sessions ended). Data: null."
        + ENVELOPE_NOTE + " Codes 7 (passwords differ, checked first), 8 (username taken), 9 (e-mail used), 10 "
        "(invalid e-mail, username or password policy)."), opt={"form": (RegisterBody, ())})
    async def register(
        self, request: Request[Any, Any, Any], jobhax_identity: Identity, registration: Registration
    ) -> Envelope:
        body = convert_body(RegisterBody, (await read_body(request)).fields)
        if body.password != body.password2:
            raise JobhaxFailure(PASSWORDS_DIFFER)
        if not await guarded(INVALID_PARAMETERS, jobhax_identity.username_free(body.username)):
            raise JobhaxFailure(USERNAME_TAKEN)
        user = await guarded_register(registration, body)
        await guarded(USERNAME_TAKEN, jobhax_identity.claim_username(user, body.username))
        return ok()

    @post("/update_gmail_token", status_code=200, security=BEARER, summary="JobHax: link Gmail", description=(
        "Stores the caller's Google access token (with the `gmail.readonly` scope) on the server — it is never "
        "returned — and queues a mail sync. Data: null." + ENVELOPE_NOTE + " Failure code 3."),
        opt={"form": (GmailTokenBody, ())})
    async def update_gmail_token(self, request: Request[Any, Any, Any], mail_import: Imports, me: Me) -> Envelope:
        fields = (await read_body(request)).fields
        token = fields.get("token")
        if not isinstance(token, str):
            raise JobhaxFailure(GOOGLE_TOKEN_UPDATE_FAILED)
        await guarded(GOOGLE_TOKEN_UPDATE_FAILED, mail_import.link_gmail(me.user_id, token))
        return ok()

    @get("/sync_user_emails", status_code=202, security=BEARER, summary="JobHax: sync Gmail", description=(
        "Queues a sync of the caller's linked Gmail (a task, never run inside the request) and answers 202 with "
        "`data: {task_id}`; `GET /api/users/sync_status?task_id=` tells how it went. A sync already queued or "
        "running is answered instead of a new one. Messages are imported once per owner and Gmail message id."
        + ENVELOPE_NOTE + " Code 4 when Gmail is not linked or refused the token (call update_gmail_token)."),
        responses={200: FAILURE_RESPONSE},
    )
    async def sync_user_emails(self, mail_import: Imports, me: Me) -> Response[Envelope]:
        sync = await guarded(GOOGLE_TOKEN_EXPIRED, mail_import.start_gmail_sync(me.user_id))
        return Response(ok(SyncStartedRead(task_id=sync.id)), status_code=202)

    @post("/upload_emails", status_code=202, security=BEARER, summary="JobHax: import an .eml or .mbox file",
          description=(
              "Multipart with `file` (`.eml` or `.mbox`, at most 5 MB): queued as a task like a Gmail sync (202, "
              "`data: {task_id}`). The same message uploaded twice is imported once." + ENVELOPE_NOTE
              + " Code 10 for a missing, empty, too large or other file."),
          request_max_body_size=MAX_UPLOAD_BYTES + 100_000, opt={"form": (UploadForm, ("file",))},
          responses={200: FAILURE_RESPONSE})
    async def upload_emails(self, request: Request[Any, Any, Any], mail_import: Imports, me: Me) -> Response[Envelope]:
        file = (await read_body(request)).files.get("file")
        if file is None:
            raise JobhaxFailure(INVALID_PARAMETERS)
        upload = await to_upload(file)
        sync = await guarded(INVALID_PARAMETERS, mail_import.start_upload(me.user_id, upload.filename, upload.data))
        return Response(ok(SyncStartedRead(task_id=sync.id)), status_code=202)

    @get("/sync_status", security=BEARER, summary="JobHax: a mail sync's status", description=(
        "`data: {task_id, kind, status, imported, skipped, error, created_at, finished_at}`; `status` is "
        "queued, running, done or failed." + ENVELOPE_NOTE + " Code 11 for an unknown task or another user's."))
    async def sync_status(
        self, mail_import: Imports, me: Me,
        task_id: Annotated[str | None, QueryParameter(name="task_id", max_length=20, pattern=NO_NUL)] = None,
    ) -> Envelope:
        if task_id is None or not _DIGITS.fullmatch(task_id) or not 1 <= int(task_id) <= 2**63 - 1:
            raise JobhaxFailure(INVALID_PARAMETERS)
        return ok(_sync(await guarded(NOT_FOUND, mail_import.status(me.user_id, int(task_id)))))

    @get("/get_user_google_mails", security=BEARER, summary="JobHax: imported e-mails", description=(
        "The caller's imported application e-mails, newest first (at most 500): `[{subject, body, date}]`, "
        "`date` in UTC (`YYYY-MM-DD HH:MM:SS+00:00`)." + ENVELOPE_NOTE))
    async def get_user_google_mails(self, mail_import: Imports, me: Me) -> Envelope:
        mails = await mail_import.emails(me.user_id)
        return ok([MailRead(subject=m.subject, body=m.body, date=m.received_at.isoformat(sep=" ")) for m in mails])

    @get("/get_linkedin_profile", security=BEARER, summary="JobHax: LinkedIn profile", description=(
        "LinkedIn sign-in is not offered, so no account has a LinkedIn profile: always code 2 (the original's "
        "answer for an account without one)." + ENVELOPE_NOTE))
    async def get_linkedin_profile(self, me: Me) -> Envelope:
        raise JobhaxFailure(PROFILE_NOT_FOUND)


async def guarded_register(registration: RegistrationService, body: RegisterBody) -> int:
    """The new account's id; an address in use is code 9, an invalid address or password code 10."""
    try:
        user = await registration.register_unverified(
            body.email, body.password, first_name=body.first_name, last_name=body.last_name
        )
    except InvalidInput as exc:
        raise JobhaxFailure(EMAIL_TAKEN if exc.body == EXISTING_EMAIL else INVALID_PARAMETERS) from None
    return user.id
