"""Corporate (employer) accounts: created by a person and linked to them, their company address claimed by an
e-mailed code until it is proved, and the list of accounts a person can switch to."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from core.accounts.challenges import CodeChallenges, new_code
from core.accounts.common import UserCreator, check_choice, commit_and_publish, mini_users
from core.accounts.config import AuthPolicy, MediaLimits
from core.accounts.limits import Limits
from core.accounts.mails import corporate_code_mail
from core.accounts.model.profiles import Profile
from core.accounts.model.users import ChallengePurpose, CorporateClaim, MiniUser, User, UserType, normalize_email
from core.accounts.policies import managed_organization
from core.shared.errors import Conflict, InvalidInput, NotFound
from core.shared.links import check_web_url
from core.shared.media import Upload, check_upload, new_key
from ports.accounts import AccountsUnitOfWork
from ports.choices import ChoiceCatalogue
from ports.email import EmailMessage
from ports.events import EventPublisher
from ports.storage import BlobStorage
from ports.system import Clock

__all__ = ("CorporateAccountsService", "CorporateEmailOutcome", "CorporateSignup")


@dataclass(frozen=True, slots=True, kw_only=True)
class CorporateSignup:
    company_name: str
    company_email: str
    company_type: str
    company_size: str
    industry: str
    website: str
    location: str
    tagline: str
    logo: Upload | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CorporateEmailOutcome:
    status: str
    email: str


def _placeholder_email() -> str:
    """The address of a corporate account until its company address is confirmed: unique, never deliverable
    (``.invalid`` is reserved, RFC 2606), never anybody's."""
    return f"pending-{secrets.token_hex(12)}@corporate.invalid"


class CorporateAccountsService:
    __slots__ = ("_catalogue", "_challenges", "_clock", "_events", "_limits", "_media", "_policy", "_storage",
                 "_uow", "_users")

    def __init__(
        self,
        *,
        uow: Callable[[], AccountsUnitOfWork],
        events: EventPublisher,
        clock: Clock,
        catalogue: ChoiceCatalogue,
        storage: BlobStorage,
        challenges: CodeChallenges,
        limits: Limits,
        users: UserCreator,
        policy: AuthPolicy | None = None,
        media: MediaLimits | None = None,
    ) -> None:
        self._uow = uow
        self._events = events
        self._clock = clock
        self._catalogue = catalogue
        self._storage = storage
        self._challenges = challenges
        self._limits = limits
        self._users = users
        self._policy = policy or AuthPolicy()
        self._media = media or MediaLimits()

    async def create_corporate(self, actor_id: int, cmd: CorporateSignup) -> tuple[User, Profile]:
        """A corporate (employer) account linked to its creator; reachable only through switch-account.

        The company address is not the account's until the code e-mailed to it comes back
        (``verify_corporate_email``): meanwhile the account has a placeholder address, and the owner of the
        company address can still sign up with it (the claim then lapses).
        """
        company_email = normalize_email(cmd.company_email, field_name="company_email")
        for name in ("company_name", "website", "location", "tagline"):
            if "\x00" in getattr(cmd, name):  # PostgreSQL text cannot hold NUL
                raise InvalidInput.field(name, "Null characters are not allowed.")
        website = check_web_url("website", cmd.website)
        await check_choice(self._catalogue, "company_type", cmd.company_type, "company_type")
        await check_choice(self._catalogue, "company_size", cmd.company_size, "company_size")
        await check_choice(self._catalogue, "industry", cmd.industry, "industry")
        logo_key: str | None = None
        if cmd.logo is not None:
            content_type, extension = check_upload(cmd.logo, self._media.logo, "logo")
            logo_key = new_key("profile_photo/company_logo", cmd.logo.filename, extension)
        profile = Profile(
            user_id=0,
            company_name=cmd.company_name,
            company_type=cmd.company_type,
            company_size=cmd.company_size,
            website=website,
            location=cmd.location,
            tagline=cmd.tagline,
        )
        async with self._uow() as uow:
            if await uow.users.get(actor_id) is None:
                raise NotFound("User not found.")
            if await uow.users.by_email(company_email) is not None:
                raise InvalidInput.field("company_email", "An account with this email already exists.")
        # Every corporate sign-up mails a stranger's address: bounded per creator.
        await self._limits.count(f"corporate-send:user:{actor_id}", self._policy.code_send_per_ip)
        if logo_key is not None and cmd.logo is not None:
            profile.logo = await self._storage.put(logo_key, cmd.logo.data, content_type)
        try:
            async with self._uow() as uow:
                user = await self._users.create(
                    uow,
                    email=_placeholder_email(),
                    password_hash=None,
                    user_type=UserType.EMPLOYER,
                    industry=cmd.industry,
                    profile=profile,
                    verified=False,
                )
                await uow.links.link(actor_id, user.id)
                code = await self._new_claim(uow, user.id, company_email)
                uow.outbox.add(self._claim_mail(company_email, cmd.company_name, code))
                await commit_and_publish(uow, self._events)
        except BaseException:
            if logo_key is not None:
                await self._storage.delete(logo_key)
            raise
        return user, profile

    def _claim_mail(self, email: str, company_name: str, code: str) -> EmailMessage:
        return corporate_code_mail(email, company_name, code, self._policy.corporate_code_ttl_seconds // 60)

    def _claim_digest(self, user_id: int, code: str) -> str:
        return self._challenges.digest(ChallengePurpose.CORPORATE, f"{user_id}:{code}")

    async def _new_claim(self, uow: AccountsUnitOfWork, user_id: int, email: str) -> str:
        """Put (or replace) the claim of ``user_id`` on ``email`` with a fresh code; returns the code."""
        now = self._clock.now()
        code = new_code()
        await uow.claims.put(
            CorporateClaim(
                user_id=user_id,
                email=email,
                code_digest=self._claim_digest(user_id, code),
                created_at=now,
                expires_at=now + timedelta(seconds=self._policy.corporate_code_ttl_seconds),
            )
        )
        return code

    async def _pending_claim(self, uow: AccountsUnitOfWork, organization_id: int) -> CorporateClaim:
        claim = await uow.claims.for_account(organization_id)
        if claim is not None:
            if await uow.users.by_email(claim.email) is None:
                return claim
            # Someone proved the address first (its owner signed up, or another claim was confirmed).
            await uow.claims.delete(claim.id)
            await uow.commit()
            raise InvalidInput.field("company_email", "An account with this email already exists.")
        organization = await uow.users.get(organization_id)
        if organization is not None and organization.email_verified:
            raise InvalidInput.error("The company e-mail is already verified.")
        # No claim left on an unverified account: it lapsed when someone proved the address first.
        raise InvalidInput.field("company_email", "An account with this email already exists.")

    async def verify_corporate_email(
        self, actor_id: int, account_id: int | None = None, otp: str | None = None, *, client_ip: str = ""
    ) -> CorporateEmailOutcome:
        """``POST /user/corporate/verify/``: without ``otp`` e-mail a new code to the pending company address;
        with it, make the address the corporate account's. By the corporate account itself or its creator."""
        policy = self._policy
        if otp is None:
            await self._limits.count(f"code-send:ip:{client_ip}", policy.code_send_per_ip)
            async with self._uow() as uow:
                org_id = await managed_organization(uow, actor_id, account_id)
                claim = await self._pending_claim(uow, org_id)
                await self._limits.count(f"corporate-send:account:{org_id}", policy.code_send_per_email)
                profile = await uow.profiles.get(org_id)
                code = await self._new_claim(uow, org_id, claim.email)
                uow.outbox.add(self._claim_mail(claim.email, (profile.company_name if profile else None) or "", code))
                await uow.commit()
            return CorporateEmailOutcome(status="Otp sent", email=claim.email)

        await self._limits.count(f"code-check:ip:{client_ip}", policy.code_check_per_ip)
        now = self._clock.now()
        async with self._uow() as uow:
            org_id = await managed_organization(uow, actor_id, account_id)
            claim = await self._pending_claim(uow, org_id)
            digest = self._claim_digest(org_id, otp.strip())
            if not claim.code_digest or claim.is_expired(now):
                raise InvalidInput({"OTP Error": "Expired OTP"})
            if not hmac.compare_digest(claim.code_digest, digest):
                claim.attempts += 1
                if claim.attempts >= policy.max_code_attempts:
                    claim.code_digest = ""  # void: a new code must be asked for
                await uow.claims.update(claim)
                await uow.commit()
                raise InvalidInput({"OTP Error": "Invalid OTP"})
            organization = await uow.users.get(org_id)
            if organization is None:
                raise NotFound("Invalid organization.")
            organization.email = claim.email
            organization.email_verified = True
            await uow.claims.delete(claim.id)
            try:
                await uow.users.update(organization)
            except Conflict:  # proved by someone else a moment ago
                raise InvalidInput.field("company_email", "An account with this email already exists.") from None
            await commit_and_publish(uow, self._events)
        return CorporateEmailOutcome(status="Verified", email=claim.email)

    async def linked_accounts(self, actor_id: int) -> list[MiniUser]:
        """The accounts ``actor_id`` can switch to."""
        async with self._uow() as uow:
            return await mini_users(uow, await uow.links.linked_to(actor_id))
