"""Wire shapes of the accounts endpoints (spec: User Registeration … Remove Organization Member)."""

from __future__ import annotations

from typing import Annotated

import msgspec

from adapters.http.wire import NO_INVISIBLE, NO_NUL, WebUrl

__all__ = (
    "AccountCard",
    "CorporateProfileRead",
    "CorporateSignupForm",
    "CorporateVerifyBody",
    "CorporateVerifyRead",
    "DeleteUserBody",
    "ForgetPasswordBody",
    "ForgetPasswordRead",
    "GoogleCodeBody",
    "GoogleSigninRead",
    "GoogleSignupBody",
    "GoogleSignupRead",
    "HashVerifyBody",
    "HashVerifyRead",
    "LinkedAccountRead",
    "MemberBody",
    "MemberCard",
    "MemberRead",
    "OtpSentRead",
    "RefreshBody",
    "SigninBody",
    "SigninRead",
    "SignoutRead",
    "SignupBody",
    "SignupRead",
    "SwitchAccountBody",
    "SwitchAccountRead",
    "TokenPairRead",
)


Email = Annotated[
    str, msgspec.Meta(pattern=NO_INVISIBLE, max_length=320, description="E-mail address (no invisible characters)")
]
Password = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=200)]
Short = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=500)]
Code = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=20, description="The 6-digit code from the e-mail")]
Token = Annotated[str, msgspec.Meta(pattern=NO_NUL, max_length=4096)]
Id = Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)]


class _In(msgspec.Struct, kw_only=True):
    """Request bodies: unknown keys are ignored (the frontend sends extras such as ``resend``)."""


class _Out(msgspec.Struct, kw_only=True):
    pass


class SignupBody(_In):
    email: Email
    password1: Password
    password2: Password
    industry: Short | None = None
    otp: Code | None = None


class OtpSentRead(_Out):
    status: str = "Otp sent"


class SignupRead(_Out):
    refresh: str
    access: str
    user: str
    status: str = "Success"


class HashVerifyBody(_In):
    hash: Token


class HashVerifyRead(_Out):
    refresh: str
    access: str
    email: str
    status: str = "Success"


class SigninBody(_In):
    email: Email
    password: Password


class SigninRead(_Out):
    refresh: str
    access: str
    user_id: int
    user: str
    user_type: str


class RefreshBody(_In):
    refresh: Token


class SignoutRead(_Out):
    status: str = "Logged Out"


class TokenPairRead(_Out):
    access: str
    refresh: str


class ForgetPasswordBody(_In):
    email: Email | None = None
    otp: Code | None = None
    hash: Token | None = None
    password1: Password | None = None
    password2: Password | None = None
    reset_token: Token | None = None


class ForgetPasswordRead(_Out):
    status: str
    email: str
    reset_token: str | msgspec.UnsetType = msgspec.UNSET


class GoogleCodeBody(_In):
    code: Token | None = None


class GoogleSignupBody(_In):
    code: Token | None = None
    user_type: Short | None = None


class GoogleSignupRead(_Out):
    refresh: str
    access: str
    user: str
    email: str
    status: str = "Success"


class GoogleSigninRead(_Out):
    refresh: str
    access: str
    email: str
    user_type: str
    id: int


class DeleteUserBody(_In):
    email: Email | None = None


class CorporateSignupForm(_In):
    company_name: Annotated[str, msgspec.Meta(pattern=NO_NUL, min_length=1, max_length=500)]
    company_email: Email
    company_type: Short
    company_size: Short
    industry: Short
    website: WebUrl
    location: Short
    tagline: Short


class CorporateVerifyBody(_In):
    account: Id | None = None
    otp: Code | None = None


class CorporateVerifyRead(_Out):
    status: str
    email: str


class AccountCard(_Out):
    id: int
    name: str
    profile_photo: str
    extras: str | None


class CorporateProfileRead(_Out):
    id: int
    company_name: str | None
    company_type: str | None
    company_size: str | None
    country_code: str
    phone_number: str
    location: str
    website: str | None
    tagline: str | None
    logo: str
    cover_photo: str
    members: list[AccountCard]
    user_type: str
    industry: str


class LinkedAccountRead(_Out):
    account: AccountCard


class SwitchAccountBody(_In):
    account: Id


class SwitchAccountRead(_Out):
    refresh: str
    access: str
    user_id: int
    email: str
    user_type: str


class MemberBody(_In):
    member: Id
    organization: Id | None = None


class MemberRead(_Out):
    member: AccountCard


MemberCard = AccountCard
