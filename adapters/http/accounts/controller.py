"""Accounts endpoints. Thin: decode the wire shape, call one service method, encode the documented shape."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post
from litestar.datastructures import Cookie, ResponseHeader
from litestar.di import NamedDependency
from litestar.params import Body, JSONBody, QueryParameter

from adapters.http.accounts.schemas import (
    AccountCard,
    CorporateProfileRead,
    CorporateSignupForm,
    CorporateVerifyBody,
    CorporateVerifyRead,
    DeleteUserBody,
    ForgetPasswordBody,
    ForgetPasswordRead,
    GoogleCodeBody,
    GoogleSigninRead,
    GoogleSignupBody,
    GoogleSignupRead,
    HashVerifyBody,
    HashVerifyRead,
    LinkedAccountRead,
    MemberBody,
    MemberRead,
    OtpSentRead,
    RefreshBody,
    SigninBody,
    SigninRead,
    SignoutRead,
    SignupBody,
    SignupRead,
    SwitchAccountBody,
    SwitchAccountRead,
    TokenPairRead,
)
from adapters.http.security import BEARER, Principal
from adapters.http.wire import Site, client_ip, convert, read_body, to_upload
from core.accounts.corporate import CorporateAccountsService, CorporateSignup
from core.accounts.deletion import AccountDeletionService
from core.accounts.google import GoogleAccountsService
from core.accounts.issuing import Caller
from core.accounts.model.profiles import Profile
from core.accounts.model.users import MiniUser, User
from core.accounts.organizations import OrganizationsService
from core.accounts.registration import RegistrationService, SignUp
from core.accounts.reset import ForgetPassword, PasswordResetService, ResetOutcome
from core.accounts.sessions import SessionsService
from core.shared.errors import InvalidInput

__all__ = ("CHALLENGE_COOKIE", "PROOF_COOKIE", "RESET_PATH", "AccountsController", "card")

# Each handler names the one use-case service it calls (the dependency keys in bootstrap/asgi.py).
Registration = NamedDependency[RegistrationService]
Sessions = NamedDependency[SessionsService]
PasswordReset = NamedDependency[PasswordResetService]
GoogleAccounts = NamedDependency[GoogleAccountsService]
CorporateAccounts = NamedDependency[CorporateAccountsService]
Organizations = NamedDependency[OrganizationsService]
AccountDeletion = NamedDependency[AccountDeletionService]
Me = NamedDependency[Principal]
SiteDep = NamedDependency[Site]


# Responses that carry tokens (or a reset proof) must never be stored by a browser or a proxy.
NO_STORE = [
    ResponseHeader(name="Cache-Control", value="no-store", description="Carries credentials: never cached."),
    ResponseHeader(name="Pragma", value="no-cache", description="HTTP/1.0 caches: never cached."),
]

# The forget-password cookies: HttpOnly, SameSite=Lax, sent only to the reset endpoint, Secure on https.
RESET_PATH = "/user/forget-password/"
CHALLENGE_COOKIE = "careernexus_reset"  # stage 1 → 2: which address's challenge this browser asked for
PROOF_COOKIE = "careernexus_reset_proof"  # stage 2 → 3: the reset token of the client that verified


def _reset_cookie(site: Site, key: str, value: str, max_age: int) -> Cookie:
    return Cookie(
        key=key,
        value=value,
        path=RESET_PATH,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=site.public_url.lower().startswith("https://"),
    )


def _reset_cookies(site: Site, outcome: ResetOutcome, ttl: int) -> list[Cookie]:
    if outcome.finished:
        return [_reset_cookie(site, CHALLENGE_COOKIE, "", 0), _reset_cookie(site, PROOF_COOKIE, "", 0)]
    if outcome.reset_token is not None:
        return [
            _reset_cookie(site, PROOF_COOKIE, outcome.reset_token, ttl),
            _reset_cookie(site, CHALLENGE_COOKIE, "", 0),
        ]
    if outcome.challenge_cookie is not None:
        return [_reset_cookie(site, CHALLENGE_COOKIE, outcome.challenge_cookie, ttl)]
    return []


def card(site: Site, mini: MiniUser) -> AccountCard:
    photo = site.logo(mini.profile_photo) if mini.user_type == "employer" else site.photo(mini.profile_photo)
    return AccountCard(id=mini.id, name=mini.name, profile_photo=photo, extras=mini.extras)


def corporate_read(site: Site, user: User, profile: Profile, members: list[MiniUser]) -> CorporateProfileRead:
    return CorporateProfileRead(
        id=user.id,
        company_name=profile.company_name,
        company_type=profile.company_type,
        company_size=profile.company_size,
        country_code=profile.country_code,
        phone_number=profile.phone_number,
        location=profile.location,
        website=profile.website,
        tagline=profile.tagline,
        logo=site.logo(profile.logo),
        cover_photo=site.cover(profile.cover_photo),
        members=[card(site, m) for m in members],
        user_type=str(user.user_type),
        industry=user.industry,
    )


class AccountsController(Controller):
    path = "/user"
    tags = ["Accounts"]

    @post(
        "/signup/",
        status_code=201,
        summary="User Registeration",
        description=(
            "Two stages on one endpoint. Without `otp`: validates the payload and e-mails a 6-digit code (valid 5 "
            "minutes, 5 wrong attempts void it, a new request replaces it) → `{\"status\": \"Otp sent\"}`. With "
            "`otp`: the same payload plus the code creates the account (a mentor when `industry` is given) and "
            "signs it in. The password is never stored before the account exists."
        ),
        response_headers=NO_STORE,
    )
    async def signup(
        self, request: Request[Any, Any, Any], data: JSONBody[SignupBody], registration: Registration
    ) -> SignupRead | OtpSentRead:
        result = await registration.signup(
            SignUp(
                email=data.email,
                password1=data.password1,
                password2=data.password2,
                industry=data.industry,
                otp=data.otp,
                client_ip=client_ip(request),
            )
        )
        if result is None:
            return OtpSentRead()
        return SignupRead(refresh=result.tokens.refresh, access=result.tokens.access, user=result.user.email)

    @post(
        "/hash/verify/",
        status_code=201,
        summary="Verify Otp Hash",
        description=(
            "The alternative to the code: the link e-mailed at sign-up stage 1. The account is created without a "
            "password (sign in with Google or set one through forget-password)."
        ),
        response_headers=NO_STORE,
    )
    async def verify_hash(
        self, request: Request[Any, Any, Any], data: JSONBody[HashVerifyBody], registration: Registration
    ) -> HashVerifyRead:
        result = await registration.verify_link(data.hash, client_ip=client_ip(request))
        return HashVerifyRead(refresh=result.tokens.refresh, access=result.tokens.access, email=result.user.email)

    @post(
        "/signin/",
        status_code=200,
        summary="Login API",
        description=(
            "Failed attempts are limited per client IP and per (account, client IP); many failures on one account "
            "from everywhere slow sign-in down but never refuse the right password from a client that has not "
            "failed. Successful sign-ins are not counted. Each sign-in starts a session (tokens carry its `sid`)."
        ),
        response_headers=NO_STORE,
    )
    async def signin(
        self, request: Request[Any, Any, Any], data: JSONBody[SigninBody], sessions: Sessions
    ) -> SigninRead:
        result = await sessions.signin(data.email, data.password, client_ip=client_ip(request))
        return SigninRead(
            refresh=result.tokens.refresh,
            access=result.tokens.access,
            user_id=result.user.id,
            user=result.user.email,
            user_type=str(result.user.user_type),
        )

    @post(
        "/signout/",
        status_code=202,
        summary="LogOut",
        description=(
            "Ends the session of the given refresh token: the refresh token and every access token of that "
            "session stop working (202). Only a valid, live refresh token of the caller can be blacklisted: junk, "
            "someone else's, an access token, or a refresh token already revoked (signed out before, or rotated by "
            "`/user/token/refresh/`), of an ended session or from before a password reset → 400 "
            "`{\"non_field_errors\": [\"Invalid Token\"]}`, and nothing changes."
        ),
        security=BEARER,
    )
    async def signout(self, data: JSONBody[RefreshBody], sessions: Sessions, me: Me) -> SignoutRead:
        await sessions.signout(me.user_id, data.refresh)
        return SignoutRead()

    @post(
        "/token/refresh/",
        status_code=200,
        summary="Token refresh",
        description="Exchanges a refresh token for a new access token and a rotated refresh token; the old refresh "
        "token is revoked. Revoked, expired or access tokens are refused with 401. Replaying a rotated refresh token "
        "ends its whole session; a session's refresh chain ends `REFRESH_CHAIN_MAX_AGE` (30 days) after its sign-in.",
        response_headers=NO_STORE,
    )
    async def refresh(self, data: JSONBody[RefreshBody], sessions: Sessions) -> TokenPairRead:
        result = await sessions.refresh(data.refresh)
        return TokenPairRead(access=result.tokens.access, refresh=result.tokens.refresh)

    @post(
        "/forget-password/",
        status_code=200,
        summary="Forget Password",
        description=(
            "Three stages inferred from the payload. 1: `{email}` e-mails a code and sets an HttpOnly cookie "
            f"(`{CHALLENGE_COOKIE}`, path `{RESET_PATH}`) naming this browser's reset. 2: `{{otp}}` with that "
            "cookie, `{email, otp}`, or `{hash}` verifies it (5 wrong codes void it) and opens a single-use 5-minute "
            f"window; the answer carries a `reset_token` and sets it as the HttpOnly cookie `{PROOF_COOKIE}`. "
            "3: `{email, password1, password2}` with `reset_token` in the body or that cookie sets the password — "
            "without the proof it is refused — and ends every session of the account and of the corporate "
            "accounts it created. Failed attempts are rate-limited per client IP and per address."
        ),
        response_headers=NO_STORE,
    )
    async def forget_password(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[ForgetPasswordBody],
        password_reset: PasswordReset,
        site: SiteDep,
    ) -> Response[ForgetPasswordRead]:
        outcome = await password_reset.forget_password(
            ForgetPassword(
                email=data.email,
                otp=data.otp,
                hash=data.hash,
                password1=data.password1,
                password2=data.password2,
                reset_token=data.reset_token,
                client_ip=client_ip(request),
                challenge_cookie=request.cookies.get(CHALLENGE_COOKIE),
                proof_cookie=request.cookies.get(PROOF_COOKIE),
            )
        )
        if outcome.reset_token is None:
            body = ForgetPasswordRead(status=outcome.status, email=outcome.email)
        else:
            body = ForgetPasswordRead(status=outcome.status, email=outcome.email, reset_token=outcome.reset_token)
        cookies = _reset_cookies(site, outcome, password_reset.reset_cookie_seconds)
        return Response(body, status_code=200, cookies=cookies)

    @post("/google/signup/", status_code=201, summary="Signup with Google", response_headers=NO_STORE)
    async def google_signup(
        self, data: JSONBody[GoogleSignupBody], google_accounts: GoogleAccounts
    ) -> GoogleSignupRead:
        result = await google_accounts.google_signup(data.code, data.user_type)
        return GoogleSignupRead(
            refresh=result.tokens.refresh, access=result.tokens.access, user=result.user.email, email=result.user.email
        )

    @post("/google/signin/", status_code=200, summary="Google Signin", response_headers=NO_STORE)
    async def google_signin(self, data: JSONBody[GoogleCodeBody], google_accounts: GoogleAccounts) -> GoogleSigninRead:
        result = await google_accounts.google_signin(data.code)
        return GoogleSigninRead(
            refresh=result.tokens.refresh,
            access=result.tokens.access,
            email=result.user.email,
            user_type=str(result.user.user_type),
            id=result.user.id,
        )

    @delete(
        "/delete/",
        status_code=204,
        summary="Delete User",
        description="Deletes the caller's own account and everything it owns. Staff may pass another `email`.",
        security=BEARER,
    )
    async def delete_user(
        self, account_deletion: AccountDeletion, me: Me, data: Annotated[DeleteUserBody | None, Body()] = None
    ) -> None:
        await account_deletion.delete_user(me.user_id, data.email if data else None)

    @post(
        "/corporate/signup/",
        status_code=201,
        summary="Create Corporate Account",
        description=(
            "JSON or multipart (with an optional `logo` image, PNG or JPEG, at most 2 MB). The account exists at "
            "once (switch to it, add members), but `company_email` is only *claimed*: a 6-digit code is e-mailed "
            "to it and the address becomes the account's when the code comes back through "
            "`POST /user/corporate/verify/`. Until then the account's own address is a placeholder "
            "(`pending-…@corporate.invalid`) and the owner of the company address can still sign up with it, "
            "which lapses the claim. At most 20 corporate sign-ups per creator in 10 minutes (429)."
        ),
        security=BEARER,
        request_max_body_size=3_000_000,
        opt={"form": (CorporateSignupForm, ("logo",))},
    )
    async def corporate_signup(
        self, request: Request[Any, Any, Any], corporate_accounts: CorporateAccounts, me: Me, site: SiteDep
    ) -> CorporateProfileRead:
        body = await read_body(request)
        form = convert(body.fields, CorporateSignupForm)
        logo_file = body.files.get("logo")
        logo = await to_upload(logo_file) if logo_file is not None else None
        user, profile = await corporate_accounts.create_corporate(
            me.user_id,
            CorporateSignup(
                company_name=form.company_name,
                company_email=form.company_email,
                company_type=form.company_type,
                company_size=form.company_size,
                industry=form.industry,
                website=form.website,
                location=form.location,
                tagline=form.tagline,
                logo=logo,
            ),
        )
        return corporate_read(site, user, profile, [])

    @post(
        "/corporate/verify/",
        status_code=200,
        summary="Verify Corporate Email",
        description=(
            "Confirms the company e-mail of a corporate account, by the corporate account itself or by its creator "
            "(naming it in `account`). Without `otp`: e-mails a new code to the claimed address → "
            "`{\"status\": \"Otp sent\", \"email\"}` (5 per account in 10 minutes). With `otp`: the code from that "
            "e-mail (valid 24 hours, 5 wrong attempts void it) makes the address the account's → "
            "`{\"status\": \"Verified\", \"email\"}`. If the address was taken meanwhile (its owner signed up) the "
            "claim lapses: 400 `{\"company_email\": [...]}`."
        ),
        security=BEARER,
    )
    async def corporate_verify(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[CorporateVerifyBody],
        corporate_accounts: CorporateAccounts,
        me: Me,
    ) -> CorporateVerifyRead:
        outcome = await corporate_accounts.verify_corporate_email(
            me.user_id, data.account, data.otp, client_ip=client_ip(request)
        )
        return CorporateVerifyRead(status=outcome.status, email=outcome.email)

    @get("/linked-accounts/", summary="Retrieve Linked Accounts", security=BEARER)
    async def linked_accounts(
        self, corporate_accounts: CorporateAccounts, me: Me, site: SiteDep
    ) -> list[LinkedAccountRead]:
        linked = await corporate_accounts.linked_accounts(me.user_id)
        return [LinkedAccountRead(account=card(site, m)) for m in linked]

    @post(
        "/switch-account/",
        status_code=200,
        summary="Switch Account",
        description=(
            "Tokens of a linked account, in a new session. Refused (403) for a token issued before the last "
            "password reset of the target account or of its creator."
        ),
        security=BEARER,
        response_headers=NO_STORE,
    )
    async def switch_account(self, data: JSONBody[SwitchAccountBody], sessions: Sessions, me: Me) -> SwitchAccountRead:
        caller = Caller(user_id=me.user_id, session_id=me.session_id, issued_at=me.issued_at)
        result = await sessions.switch_account(caller, data.account)
        return SwitchAccountRead(
            refresh=result.tokens.refresh,
            access=result.tokens.access,
            user_id=result.user.id,
            email=result.user.email,
            user_type=str(result.user.user_type),
        )

    @post(
        "/organization-members/",
        status_code=201,
        summary="Add Organization Members",
        description=(
            "By the organization itself, or by its creator naming it in `organization`. The new member is told by "
            "e-mail which organization added them, and can leave it at any time."
        ),
        security=BEARER,
    )
    async def add_member(
        self, data: JSONBody[MemberBody], organizations: Organizations, me: Me, site: SiteDep
    ) -> MemberRead:
        mini = await organizations.add_member(me.user_id, data.member, data.organization)
        return MemberRead(member=card(site, mini))

    @get(
        "/organization-members/",
        summary="List Organization Members",
        description="The members of the caller's organization (or of `organization`, for its creator).",
        security=BEARER,
    )
    async def list_members(
        self,
        organizations: Organizations,
        me: Me,
        site: SiteDep,
        organization: Annotated[int | None, QueryParameter(name="organization", ge=1, le=2**63 - 1)] = None,
    ) -> list[AccountCard]:
        return [card(site, m) for m in await organizations.list_members(me.user_id, organization)]

    @delete(
        "/organization-members/",
        status_code=204,
        summary="Remove Organization Member",
        description=(
            "By the organization, or by its creator naming it in `organization`. A member may also remove "
            "themselves (`member_id` = their own id): they leave the organization named in `organization`, which "
            "may be omitted when they belong to only one."
        ),
        security=BEARER,
    )
    async def remove_member(
        self,
        organizations: Organizations,
        me: Me,
        member_id: Annotated[int | None, QueryParameter(name="member_id", ge=1, le=2**63 - 1)] = None,
        organization: Annotated[int | None, QueryParameter(name="organization", ge=1, le=2**63 - 1)] = None,
    ) -> None:
        if member_id is None:
            raise InvalidInput.error("A member_id is required for this request")
        await organizations.remove_member(me.user_id, member_id, organization)

