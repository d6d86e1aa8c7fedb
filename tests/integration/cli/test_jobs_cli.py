"""``careernexus close-expired-jobs`` (and ``careernexus jobs close-expired-jobs``, the scheduled job run once) with
click's CliRunner on a real, migrated SQLite database: closes what is past its deadline, reports it, and a second
run closes nothing."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import insert, select

from adapters.db.engine import make_engine
from adapters.db.jobs import SqlJobsUnitOfWork
from adapters.db.migrate import upgrade
from adapters.db.tables.accounts import users
from adapters.db.tables.jobs import jobs
from bootstrap.cli import cli
from core.jobs.model.board import Job, JobStatus
from core.jobs.model.kernel import EmploymentType, ExperienceLevel, WorkType

pytestmark = pytest.mark.integration


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path}/jobs.db"
    for name, value in {
        "DATABASE_URL": url,
        "VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PASSWORD_HASH": "cheap",
        "EMAIL_BACKEND": "memory",
    }.items():
        monkeypatch.setenv(f"CAREERNEXUS_{name}", value)
    upgrade(url)
    return url


def seed(url: str, deadlines: list[tuple[date, JobStatus]]) -> None:
    async def go() -> None:
        engine = make_engine(url)
        now = datetime.now(UTC)
        try:
            async with engine.begin() as conn:
                poster = (await conn.execute(insert(users).values(
                    email="corp@example.com", user_type="employer", industry="technology", date_joined=now,
                ).returning(users.c.id))).scalar_one()
            async with SqlJobsUnitOfWork(engine) as uow:
                for deadline, status in deadlines:
                    await uow.jobs.add(Job(
                        poster_id=poster, title="Engineer", organization="Acme",
                        employment_type=EmploymentType.FULL_TIME,
                        work_type=WorkType.REMOTE, country="Nigeria", salary="1", overview="o", description="d",
                        experience_level=ExperienceLevel.MID, application_deadline=deadline, created_at=now,
                        updated_at=now, status=status,
                    ))
                await uow.commit()
        finally:
            await engine.dispose()

    asyncio.run(go())


def statuses(url: str) -> list[str]:
    async def go() -> list[str]:
        engine = make_engine(url)
        try:
            async with engine.connect() as conn:
                return [r[0] for r in (await conn.execute(select(jobs.c.status).order_by(jobs.c.id))).all()]
        finally:
            await engine.dispose()

    return asyncio.run(go())


def test_close_expired_jobs_reports_and_is_idempotent(db: str) -> None:
    today = datetime.now(UTC).date()
    seed(db, [
        (today - timedelta(days=3), JobStatus.ACTIVE),
        (today - timedelta(days=1), JobStatus.ACTIVE),
        (today, JobStatus.ACTIVE),  # applying on the deadline day is still allowed
        (today - timedelta(days=9), JobStatus.DRAFT),
    ])
    first = CliRunner().invoke(cli, ["close-expired-jobs"])
    assert first.exit_code == 0, first.output
    assert "closed 2 expired job(s)" in first.output
    assert statuses(db) == ["closed", "closed", "active", "draft"]
    again = CliRunner().invoke(cli, ["jobs", "close-expired-jobs"])
    assert again.exit_code == 0, again.output
    assert "closed 0 expired job(s)" in again.output
    assert statuses(db) == ["closed", "closed", "active", "draft"]
