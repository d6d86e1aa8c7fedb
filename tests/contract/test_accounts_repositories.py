"""The accounts unit of work and the mail outbox store: one contract over the in-memory and SQL adapters."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from adapters.db.accounts import InMemoryAccountsUnitOfWork, SqlAccountsUnitOfWork
from adapters.db.engine import make_engine, write_engine
from adapters.db.memory import InMemoryStore
from adapters.db.outbox import InMemoryMailOutboxStore, SqlMailOutboxStore
from core.accounts.model.profiles import Profile
from core.accounts.model.sessions import LoginSession, TokenStanding
from core.accounts.model.users import ChallengePurpose, CorporateClaim, EmailChallenge, User, UserType
from core.shared.errors import Conflict, NotFound
from ports.accounts import AccountsUnitOfWork
from ports.email import EmailMessage, MailOutboxStore

pytestmark = pytest.mark.anyio

NOW = datetime(2030, 5, 1, 10, 0, tzinfo=UTC)


@dataclass
class Backend:
    uow: Callable[[], AccountsUnitOfWork]
    outbox: MailOutboxStore


@pytest.fixture(params=["memory", pytest.param("sql", marks=pytest.mark.db)])
def backend_url(request: pytest.FixtureRequest) -> str | None:
    """``None`` for the in-memory adapters, else a migrated empty database (SQLite, or PostgreSQL in CI)."""
    if request.param == "memory":
        return None
    url: str = request.getfixturevalue("database_url")  # sync: the fixture migrates with asyncio.run
    return url


@pytest.fixture
async def backend(backend_url: str | None) -> AsyncIterator[Backend]:
    if backend_url is None:
        store = InMemoryStore()
        yield Backend(uow=lambda: InMemoryAccountsUnitOfWork(store), outbox=InMemoryMailOutboxStore(store))
        return
    url = backend_url
    engine = make_engine(url)
    writer = write_engine(engine)
    try:
        yield Backend(uow=lambda: SqlAccountsUnitOfWork(writer, clock=lambda: NOW),
                      outbox=SqlMailOutboxStore(engine))
    finally:
        await engine.dispose()


def new_user(email: str, **fields: Any) -> User:
    return User(email=email, date_joined=NOW, password_hash="$argon2id$x", **fields)


async def add_users(backend: Backend, *emails: str) -> list[int]:
    async with backend.uow() as uow:
        ids = []
        for email in emails:
            user = await uow.users.add(new_user(email))
            await uow.profiles.add(Profile(user_id=user.id, first_name=email.split("@")[0]))
            ids.append(user.id)
        await uow.commit()
    return ids


def challenge(email: str, purpose: ChallengePurpose = ChallengePurpose.SIGNUP, *, code: str = "c1",
              link: str | None = None) -> EmailChallenge:
    return EmailChallenge(email=email, purpose=purpose, code_digest=code, link_digest=link or f"link-{email}-{purpose}",
                          created_at=NOW, expires_at=NOW + timedelta(minutes=5))


# ------------------------------------------------------------------------------------------- users


async def test_add_get_by_email_update_delete(backend: Backend) -> None:
    async with backend.uow() as uow:
        user = await uow.users.add(new_user("ada@example.org", user_type=UserType.MENTOR, industry="health"))
        assert user.id > 0
        await uow.profiles.add(Profile(user_id=user.id, first_name="Ada", areas_of_expertise=["math", "engines"]))
        await uow.commit()
    async with backend.uow() as uow:
        got = await uow.users.get(user.id)
        assert got is not None
        assert (got.email, got.user_type, got.industry, got.date_joined) == (
            "ada@example.org", UserType.MENTOR, "health", NOW)
        assert got.tokens_valid_after is None and got.is_active and not got.is_staff
        assert (await uow.users.by_email("ada@example.org")) == got
        assert await uow.users.by_email("ADA@example.org") is None  # callers normalise
        assert await uow.users.get(user.id + 1000) is None
        profile = await uow.profiles.get(user.id)
        assert profile is not None and profile.first_name == "Ada" and profile.areas_of_expertise == ["math", "engines"]
        got.is_staff = True
        got.tokens_valid_after = NOW + timedelta(seconds=1.5)
        await uow.users.update(got)
        await uow.commit()
    async with backend.uow() as uow:
        again = await uow.users.get(user.id)
        assert again is not None and again.is_staff and again.tokens_valid_after == NOW + timedelta(seconds=1.5)
        await uow.users.delete(user.id)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.users.get(user.id) is None
        assert await uow.profiles.get(user.id) is None


async def test_get_many_skips_unknown_ids(backend: Backend) -> None:
    a, b = await add_users(backend, "a@example.org", "b@example.org")
    async with backend.uow() as uow:
        assert sorted(u.id for u in await uow.users.get_many([b, a, 999_999, a])) == [a, b]
        assert sorted(p.user_id for p in await uow.profiles.get_many([a, 999_999])) == [a]
        assert await uow.users.get_many([]) == []
        assert await uow.profiles.get_many([]) == []


async def test_revoke_tokens_sets_the_cut_off_of_those_users_only(backend: Backend) -> None:
    a, b, c = await add_users(backend, "a@example.org", "b@example.org", "c@example.org")
    async with backend.uow() as uow:
        await uow.users.revoke_tokens([a, b, 999_999, a], NOW)
        await uow.users.revoke_tokens([], NOW + timedelta(days=1))
        await uow.commit()
    async with backend.uow() as uow:
        got = {u.id: u.tokens_valid_after for u in await uow.users.get_many([a, b, c])}
        assert got == {a: NOW, b: NOW, c: None}


async def test_unique_email_is_a_conflict(backend: Backend) -> None:
    await add_users(backend, "ada@example.org")
    async with backend.uow() as uow:
        with pytest.raises(Conflict):
            await uow.users.add(new_user("ada@example.org"))
    async with backend.uow() as uow:
        assert len(await uow.users.get_many(list(range(1, 10)))) == 1


async def test_uncommitted_changes_are_discarded(backend: Backend) -> None:
    [ada] = await add_users(backend, "ada@example.org")
    async with backend.uow() as uow:
        await uow.users.add(new_user("ghost@example.org"))
        user = await uow.users.get(ada)
        assert user is not None
        user.industry = "banking"
        await uow.users.update(user)
        await uow.challenges.put(challenge("ghost@example.org"))
        await uow.users.delete(ada)
        uow.outbox.add(EmailMessage(to="ghost@example.org", subject="s", text="t", html="h"))
        # no commit
    async with backend.uow() as uow:
        assert await uow.users.by_email("ghost@example.org") is None
        kept = await uow.users.get(ada)
        assert kept is not None and kept.industry == "others"
        assert await uow.profiles.get(ada) is not None
        assert await uow.challenges.for_email("ghost@example.org", ChallengePurpose.SIGNUP) is None
    assert await backend.outbox.due(NOW + timedelta(days=3650), 10) == []


async def test_an_exception_discards_the_unit_of_work(backend: Backend) -> None:
    with pytest.raises(RuntimeError):
        async with backend.uow() as uow:
            await uow.users.add(new_user("ghost@example.org"))
            raise RuntimeError("boom")
    async with backend.uow() as uow:
        assert await uow.users.by_email("ghost@example.org") is None


async def test_mutating_a_read_object_without_update_changes_nothing(backend: Backend) -> None:
    [ada] = await add_users(backend, "ada@example.org")
    async with backend.uow() as uow:
        user = await uow.users.get(ada)
        profile = await uow.profiles.get(ada)
        assert user is not None and profile is not None
        user.industry = "banking"
        profile.first_name = "Changed"
        profile.areas_of_expertise.append("x")
        reread = await uow.users.get(ada)
        reprofile = await uow.profiles.get(ada)
        assert reread is not None and reread.industry == "others"
        assert reprofile is not None and reprofile.first_name == "ada" and reprofile.areas_of_expertise == []
        # An explicit update is visible inside the unit of work, and gone without commit.
        await uow.profiles.update(profile)
        seen = await uow.profiles.get(ada)
        assert seen is not None and seen.first_name == "Changed"
    async with backend.uow() as uow:
        fresh = await uow.profiles.get(ada)
        assert fresh is not None and fresh.first_name == "ada"


async def test_added_entities_are_tracked_for_events(backend: Backend) -> None:
    from core.accounts.model.events import AccountRegistered

    async with backend.uow() as uow:
        user = new_user("ada@example.org")
        await uow.users.add(user)
        user.record(AccountRegistered(user_id=user.id, email=user.email, user_type="learner"))
        await uow.commit()
        events = uow.collect_events()
        assert events == [AccountRegistered(user_id=user.id, email="ada@example.org", user_type="learner")]
        assert uow.collect_events() == []


# -------------------------------------------------------------------------------------- challenges


async def test_challenges_put_replaces_per_email_and_purpose(backend: Backend) -> None:
    async with backend.uow() as uow:
        first = await uow.challenges.put(challenge("ada@example.org", code="one", link="l1"))
        reset = await uow.challenges.put(challenge("ada@example.org", ChallengePurpose.RESET, code="one", link="l2"))
        bob = await uow.challenges.put(challenge("bob@example.org", code="one", link="l3"))
        second = await uow.challenges.put(challenge("ada@example.org", code="two", link="l4"))
        await uow.commit()
    assert len({first.id, reset.id, bob.id}) == 3
    assert second.id == first.id  # replaced in place (an upsert on email + purpose)
    async with backend.uow() as uow:
        live = await uow.challenges.for_email("ada@example.org", ChallengePurpose.SIGNUP)
        assert live is not None and live.id == second.id and live.code_digest == "two"
        assert await uow.challenges.by_link("l1", ChallengePurpose.SIGNUP) is None
        found = await uow.challenges.by_link("l4", ChallengePurpose.SIGNUP)
        assert found is not None and found.email == "ada@example.org"
        assert await uow.challenges.by_link("l4", ChallengePurpose.RESET) is None
        # No lookup by code: a code is only ever checked against the challenge of a named address.
        assert not hasattr(uow.challenges, "by_code")


async def test_challenge_update_and_delete(backend: Backend) -> None:
    async with backend.uow() as uow:
        ch = await uow.challenges.put(challenge("ada@example.org", ChallengePurpose.RESET))
        await uow.commit()
    async with backend.uow() as uow:
        got = await uow.challenges.for_email("ada@example.org", ChallengePurpose.RESET)
        assert got is not None and got.attempts == 0 and got.verified_at is None
        assert got.expires_at == NOW + timedelta(minutes=5)
        got.attempts = 3
        got.verified_at = NOW
        got.reset_token_digest = "digest"
        got.industry = "health"
        await uow.challenges.update(got)
        await uow.commit()
    async with backend.uow() as uow:
        got = await uow.challenges.for_email("ada@example.org", ChallengePurpose.RESET)
        assert got is not None
        assert (got.attempts, got.verified_at, got.reset_token_digest, got.industry) == (3, NOW, "digest", "health")
        await uow.challenges.delete(ch.id)
        await uow.challenges.delete(ch.id + 1000)  # unknown: no error
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.challenges.for_email("ada@example.org", ChallengePurpose.RESET) is None


# -------------------------------------------------------------------------------- revoked tokens


async def test_revoked_tokens_are_idempotent(backend: Backend) -> None:
    [ada] = await add_users(backend, "ada@example.org")
    async with backend.uow() as uow:
        assert not await uow.revoked_tokens.is_revoked("jti-1")
        assert await uow.revoked_tokens.revoke("jti-1", ada, NOW + timedelta(days=1))
        assert not await uow.revoked_tokens.revoke("jti-1", ada, NOW + timedelta(days=1))
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.revoked_tokens.is_revoked("jti-1")
        assert not await uow.revoked_tokens.revoke("jti-1", ada, NOW + timedelta(days=1))
        assert not await uow.revoked_tokens.is_revoked("jti-2")


async def test_concurrent_revocations_of_one_token_leave_one_winner(backend: Backend) -> None:
    """Two refreshes racing with the same token: exactly one rotates; the loser's transaction stays usable."""
    [ada] = await add_users(backend, "ada@example.org")
    async with backend.uow() as uow:
        await uow.sessions.add(LoginSession(id="s-race", user_id=ada, created_at=NOW))
        await uow.commit()
    async with backend.uow() as first:
        assert await first.revoked_tokens.revoke("jti-race", ada, NOW + timedelta(days=1))
        await first.commit()
    async with backend.uow() as second:
        assert not await second.revoked_tokens.revoke("jti-race", ada, NOW + timedelta(days=1))
        await second.sessions.revoke("s-race", NOW)  # still possible in the same transaction
        await second.commit()
    async with backend.uow() as uow:
        found = await uow.sessions.get("s-race")
        assert found is not None and found.revoked_at == NOW


# ---------------------------------------------------------------------------------------- sessions


async def test_sessions_add_get_revoke(backend: Backend) -> None:
    ada, bob = await add_users(backend, "ada@example.org", "bob@example.org")
    async with backend.uow() as uow:
        await uow.sessions.add(LoginSession(id="s-ada-1", user_id=ada, created_at=NOW))
        await uow.sessions.add(LoginSession(id="s-ada-2", user_id=ada, created_at=NOW - timedelta(days=2)))
        await uow.sessions.add(LoginSession(id="s-bob-1", user_id=bob, created_at=NOW))
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.sessions.get("s-ada-2") == LoginSession(
            id="s-ada-2", user_id=ada, created_at=NOW - timedelta(days=2)
        )
        assert await uow.sessions.get("nope") is None
        await uow.sessions.revoke("s-ada-1", NOW)
        await uow.sessions.revoke("nope", NOW)  # unknown: no error
        await uow.commit()
    async with backend.uow() as uow:
        await uow.sessions.revoke("s-ada-1", NOW + timedelta(hours=1))  # already ended: keeps its time
        await uow.commit()
    async with backend.uow() as uow:
        first = await uow.sessions.get("s-ada-1")
        assert first is not None and first.revoked_at == NOW
        later = NOW + timedelta(minutes=5)
        await uow.sessions.revoke_users([ada], later)
        await uow.sessions.revoke_users([], later)
        await uow.commit()
    async with backend.uow() as uow:
        ended = {sid: s.revoked_at for sid in ("s-ada-1", "s-ada-2", "s-bob-1")
                 if (s := await uow.sessions.get(sid)) is not None}
        assert ended == {"s-ada-1": NOW, "s-ada-2": NOW + timedelta(minutes=5), "s-bob-1": None}


async def test_session_standing_is_one_lookup_of_user_and_session(backend: Backend) -> None:
    ada, bob = await add_users(backend, "ada@example.org", "bob@example.org")
    async with backend.uow() as uow:
        await uow.sessions.add(LoginSession(id="s-ada", user_id=ada, created_at=NOW))
        await uow.sessions.add(LoginSession(id="s-bob", user_id=bob, created_at=NOW, revoked_at=NOW))
        user = await uow.users.get(ada)
        assert user is not None
        user.tokens_valid_after = NOW
        await uow.users.update(user)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.sessions.standing(ada, "s-ada") == TokenStanding(
            user_id=ada, is_active=True, tokens_valid_after=NOW, session_found=True, session_revoked=False
        )
        # Another user's session is no session of this user.
        assert await uow.sessions.standing(ada, "s-bob") == TokenStanding(
            user_id=ada, is_active=True, tokens_valid_after=NOW, session_found=False, session_revoked=False
        )
        assert await uow.sessions.standing(bob, "s-bob") == TokenStanding(
            user_id=bob, is_active=True, tokens_valid_after=None, session_found=True, session_revoked=True
        )
        assert await uow.sessions.standing(10**9, "s-ada") is None


async def test_sessions_need_their_user_and_go_with_it(backend: Backend) -> None:
    [ada] = await add_users(backend, "ada@example.org")
    with pytest.raises(NotFound):
        async with backend.uow() as uow:
            await uow.sessions.add(LoginSession(id="s-ghost", user_id=10**9, created_at=NOW))
    async with backend.uow() as uow:
        await uow.sessions.add(LoginSession(id="s-ada", user_id=ada, created_at=NOW))
        await uow.commit()
    async with backend.uow() as uow:
        await uow.users.delete(ada)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.sessions.get("s-ada") is None


# -------------------------------------------------------------------------------- links, members


async def test_links_work_in_both_directions_oldest_first(backend: Backend) -> None:
    a, b, c, d = await add_users(backend, "a@example.org", "b@example.org", "c@example.org", "d@example.org")
    async with backend.uow() as uow:
        await uow.links.link(a, c)
        await uow.links.link(b, a)
        await uow.links.link(a, d)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.links.linked_to(a) == [c, b, d]
        assert await uow.links.linked_to(c) == [a]
        assert await uow.links.linked_to(b) == [a]
        assert await uow.links.main_of(c) == a
        assert await uow.links.main_of(a) == b
        assert await uow.links.main_of(b) is None


async def test_members_add_remove_list_in_order(backend: Backend) -> None:
    org, x, y, z = await add_users(backend, "org@example.org", "x@example.org", "y@example.org", "z@example.org")
    async with backend.uow() as uow:
        assert await uow.members.add(org, z)
        assert await uow.members.add(org, x)
        assert not await uow.members.add(org, z)
        assert await uow.members.add(org, y)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.members.members_of(org) == [z, x, y]
        assert await uow.members.members_of(x) == []
        assert await uow.members.remove(org, x)
        assert not await uow.members.remove(org, x)
        assert not await uow.members.remove(x, org)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.members.members_of(org) == [z, y]
        assert await uow.members.add(org, x)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.members.members_of(org) == [z, y, x]


async def test_deleting_a_user_cascades(backend: Backend) -> None:
    ada, bob, org, org2 = await add_users(backend, "ada@example.org", "bob@example.org", "org@example.org",
                                          "org2@example.org")
    async with backend.uow() as uow:
        await uow.links.link(ada, org)
        await uow.links.link(bob, ada)
        await uow.links.link(bob, org2)
        await uow.members.add(org, ada)
        await uow.members.add(org, bob)
        await uow.members.add(ada, bob)  # as if ada were an organization
        await uow.revoked_tokens.revoke("ada-jti", ada, NOW)
        await uow.revoked_tokens.revoke("bob-jti", bob, NOW)
        await uow.commit()
    async with backend.uow() as uow:
        await uow.users.delete(ada)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.users.get(ada) is None and await uow.profiles.get(ada) is None
        assert not await uow.revoked_tokens.is_revoked("ada-jti")
        assert await uow.revoked_tokens.is_revoked("bob-jti")
        assert await uow.links.linked_to(bob) == [org2]
        assert await uow.links.linked_to(org) == []
        assert await uow.members.members_of(org) == [bob]
        assert await uow.members.members_of(ada) == []
        assert await uow.users.get(bob) is not None and await uow.profiles.get(org) is not None


async def test_links_created_by_many_accounts_oldest_first(backend: Backend) -> None:
    a, b, c, d, e = await add_users(backend, *(f"{n}@example.org" for n in "abcde"))
    async with backend.uow() as uow:
        await uow.links.link(a, c)
        await uow.links.link(b, d)
        await uow.links.link(c, e)
        await uow.links.link(a, b)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.links.created_by([a]) == [c, b]
        assert await uow.links.created_by([c, b]) == [d, e]
        assert await uow.links.created_by([e]) == [] and await uow.links.created_by([]) == []


async def test_organizations_of_a_member_in_joining_order(backend: Backend) -> None:
    o1, o2, o3, x = await add_users(backend, "o1@example.org", "o2@example.org", "o3@example.org", "x@example.org")
    async with backend.uow() as uow:
        await uow.members.add(o2, x)
        await uow.members.add(o1, x)
        await uow.members.add(o3, o1)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.members.organizations_of(x) == [o2, o1]
        assert await uow.members.organizations_of(o2) == []
        await uow.members.remove(o2, x)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.members.organizations_of(x) == [o1]


def claim(user_id: int, email: str, code: str = "d1") -> CorporateClaim:
    return CorporateClaim(user_id=user_id, email=email, code_digest=code, created_at=NOW,
                          expires_at=NOW + timedelta(days=1))


async def test_corporate_claims_put_update_lapse_and_cascade(backend: Backend) -> None:
    org, org2, org3 = await add_users(backend, "p1@corporate.invalid", "p2@corporate.invalid", "p3@corporate.invalid")
    async with backend.uow() as uow:
        first = await uow.claims.put(claim(org, "hr@acme.example"))
        await uow.claims.put(claim(org2, "hr@acme.example"))  # two claims of one address may wait side by side
        await uow.claims.put(claim(org3, "jobs@acme.example"))
        await uow.commit()
    async with backend.uow() as uow:
        found = await uow.claims.for_account(org)
        assert found is not None and (found.id, found.email, found.code_digest, found.attempts) == (
            first.id, "hr@acme.example", "d1", 0)
        assert found.expires_at == NOW + timedelta(days=1)
        # A new code replaces the claim of that account, keeping one row.
        again = await uow.claims.put(claim(org, "hr@acme.example", code="d2"))
        assert again.id == first.id
        again.attempts = 3
        again.code_digest = ""
        await uow.claims.update(again)
        await uow.commit()
    async with backend.uow() as uow:
        found = await uow.claims.for_account(org)
        assert found is not None and (found.code_digest, found.attempts) == ("", 3)
        # Its owner proved the address: every pending claim of it lapses, the others stay.
        assert await uow.claims.lapse("hr@acme.example") == 2
        assert await uow.claims.lapse("nobody@acme.example") == 0
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.claims.for_account(org) is None and await uow.claims.for_account(org2) is None
        remaining = await uow.claims.for_account(org3)
        assert remaining is not None
        await uow.claims.delete(remaining.id)
        await uow.claims.put(claim(org3, "jobs@acme.example"))
        await uow.commit()
    async with backend.uow() as uow:
        await uow.users.delete(org3)  # the claim goes with its account
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.claims.for_account(org3) is None
        assert await uow.claims.lapse("jobs@acme.example") == 0


async def test_updating_a_user_to_a_taken_email_is_a_conflict(backend: Backend) -> None:
    a, _ = await add_users(backend, "a@example.org", "b@example.org")
    async with backend.uow() as uow:
        user = await uow.users.get(a)
        assert user is not None
        user.email = "b@example.org"
        with pytest.raises(Conflict):
            await uow.users.update(user)
    async with backend.uow() as uow:
        user = await uow.users.get(a)
        assert user is not None and user.email == "a@example.org"
        user.email = "c@example.org"
        await uow.users.update(user)
        await uow.commit()
    async with backend.uow() as uow:
        assert (await uow.users.by_email("c@example.org")) is not None


# ------------------------------------------------------------------------------------ mail outbox


def message(n: int) -> EmailMessage:
    return EmailMessage(to=f"u{n}@example.org", subject=f"s{n}", text=f"text {n}", html=f"<p>{n}</p>")


async def stage(backend: Backend, *numbers: int) -> None:
    async with backend.uow() as uow:
        for n in numbers:
            uow.outbox.add(message(n))
        await uow.commit()


LATER = NOW + timedelta(days=3650)


async def test_outbox_due_in_order_with_limit(backend: Backend) -> None:
    await stage(backend, 1, 2)
    await stage(backend, 3)
    due = await backend.outbox.due(LATER, 10)
    assert [e.message.subject for e in due] == ["s1", "s2", "s3"]
    assert all(e.attempts == 0 and e.message.message_id for e in due)
    assert len({e.message.message_id for e in due}) == 3
    assert due[0].message.to == "u1@example.org" and due[0].message.html == "<p>1</p>"
    # Claimed messages are leased: another relay does not get them until the lease runs out.
    assert await backend.outbox.due(LATER, 10) == []
    after_lease = LATER + timedelta(seconds=121)
    assert [e.message.subject for e in await backend.outbox.due(after_lease, 2)] == ["s1", "s2"]
    assert [e.message.subject for e in await backend.outbox.due(after_lease, 10)] == ["s3"]


async def test_outbox_mark_sent_and_failed(backend: Backend) -> None:
    await stage(backend, 1, 2, 3)
    first, second, third = await backend.outbox.due(LATER, 10)
    await backend.outbox.mark_sent(first.id, LATER)
    retry_at = LATER + timedelta(minutes=1)
    await backend.outbox.mark_failed(second.id, LATER, retry_at, "421 try later")
    await backend.outbox.mark_failed(third.id, LATER, None, "550 no such user")
    assert await backend.outbox.due(LATER, 10) == []
    assert await backend.outbox.due(retry_at - timedelta(seconds=1), 10) == []
    [again] = await backend.outbox.due(retry_at, 10)
    assert again.id == second.id and again.attempts == 1
    await backend.outbox.mark_failed(second.id, retry_at, retry_at + timedelta(minutes=2), "421 again")
    [third_try] = await backend.outbox.due(retry_at + timedelta(minutes=2), 10)
    assert third_try.attempts == 2
    await backend.outbox.mark_sent(second.id, retry_at + timedelta(minutes=2))
    assert await backend.outbox.due(LATER + timedelta(days=1), 10) == []


async def test_outbox_message_ids_survive(backend: Backend) -> None:
    async with backend.uow() as uow:
        uow.outbox.add(EmailMessage(to="a@example.org", subject="s", text="t", html="h", message_id="<fixed@x>"))
        await uow.commit()
    [entry] = await backend.outbox.due(LATER, 10)
    assert entry.message.message_id == "<fixed@x>"


async def test_outbox_claims_are_disjoint_across_relays(backend: Backend) -> None:
    """Two relays (two workers) claiming at once never get the same message."""
    await stage(backend, *range(1, 21))
    claims = await asyncio.gather(*(backend.outbox.due(LATER, 8) for _ in range(3)))
    ids = [entry.id for claim in claims for entry in claim]
    assert len(ids) == len(set(ids)) == 20
