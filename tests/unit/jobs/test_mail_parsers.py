"""The per-source parsers on sample messages (``tests/mail_samples.py``: at least two per source), the Date
header's time zone, and the upload formats."""

from __future__ import annotations

import mailbox
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.jobs.tracker.mail.message import read_message, split_upload
from core.jobs.tracker.mail.parsers import SOURCES, parse
from tests.mail_samples import SAMPLES, Sample, raw_mail

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_every_source_has_at_least_two_samples() -> None:
    counts = Counter(s.source for s in SAMPLES)
    assert {s.name for s in SOURCES} == set(counts)
    assert min(counts.values()) >= 2


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: f"{s.source}:{s.title}")
def test_a_sample_parses_to_its_title_company_and_source(sample: Sample) -> None:
    parsed = parse(read_message(sample.raw, fallback_date=NOW))
    assert parsed is not None
    assert (parsed.source, parsed.job_title, parsed.company) == (sample.source, sample.title, sample.company)


@pytest.mark.parametrize(
    ("sender", "subject", "html"),
    [
        # right subject, wrong sender: a look-alike address is not LinkedIn
        ("jobs-listings@linkedin.com.evil.example", "You applied for Developer at Acme", "<p></p>"),
        ("friend@example.org", "You applied for Developer at Acme", "<p></p>"),
        # the right sender, but not an application (no title or no company)
        ("jobs-listings@linkedin.com", "New jobs for you", "<p></p>"),
        ("indeedapply@indeed.com", "Indeed Application: Cook", "<p>no company here</p>"),
        ("alerts@ziprecruiter.com", "Jobs", "<b>one</b><b>two</b><b>three</b>"),
        ("reply@hired.com", "Your weekly digest", "<p></p>"),
    ],
)
def test_messages_that_are_not_applications_parse_to_nothing(sender: str, subject: str, html: str) -> None:
    assert parse(read_message(raw_mail(sender, subject, html), fallback_date=NOW)) is None


def test_the_date_header_time_zone_is_honoured() -> None:
    msg = read_message(
        raw_mail("jobs-listings@linkedin.com", "You applied for A at B", "<p></p>",
                 date="Tue, 02 Jan 2024 23:30:00 -0800"),
        fallback_date=NOW,
    )
    # 23:30 in UTC-8 is 07:30 the next day in UTC (the original assumed UTC and kept the wrong day)
    assert msg.received_at == datetime(2024, 1, 3, 7, 30, tzinfo=UTC)
    assert msg.utc_offset_minutes == -480
    east = read_message(raw_mail("a@b.example", "s", date="Mon, 01 Jan 2024 01:00:00 +0530"), fallback_date=NOW)
    assert east.received_at == datetime(2023, 12, 31, 19, 30, tzinfo=UTC) and east.utc_offset_minutes == 330


def test_a_missing_or_broken_date_falls_back() -> None:
    missing = read_message(raw_mail("a@b.example", "s", date=""), fallback_date=NOW)
    broken = read_message(raw_mail("a@b.example", "s", date="yesterday-ish"), fallback_date=NOW)
    assert missing.received_at == NOW == broken.received_at


def test_message_ids_come_from_the_provider_the_header_or_the_bytes() -> None:
    raw = raw_mail("a@b.example", "s", message_id="abc@mail.example")
    assert read_message(raw, message_id="gmail-1", fallback_date=NOW).message_id == "gmail-1"
    assert read_message(raw, fallback_date=NOW).message_id == "abc@mail.example"
    anonymous = raw_mail("a@b.example", "s")
    first, again = (read_message(anonymous, fallback_date=NOW) for _ in range(2))
    assert first.message_id == again.message_id and len(first.message_id) == 64


def test_an_mbox_upload_splits_into_its_messages(tmp_path: Path) -> None:
    path = tmp_path / "box.mbox"
    box = mailbox.mbox(str(path))
    for sample in SAMPLES[:3]:
        box.add(sample.raw)
    box.flush()
    box.close()
    messages = split_upload("Box.MBOX", path.read_bytes())
    assert len(messages) == 3
    parsed = [parse(read_message(m, fallback_date=NOW)) for m in messages]
    assert [p.job_title for p in parsed if p] == [s.title for s in SAMPLES[:3]]
    assert split_upload("one.eml", SAMPLES[0].raw) == [SAMPLES[0].raw]


def test_a_date_past_the_last_year_and_nul_characters_never_break_reading() -> None:
    """A message a sync cannot store would be fetched and fail again on every sync: its Date falls back to the
    fetch time when it cannot be moved into UTC, and NUL characters (refused by PostgreSQL text) are dropped."""
    raw = (b"From: jobs-noreply@linkedin.com\r\nSubject: Applied\x00 to Engineer\r\n"
           b"Date: Fri, 31 Dec 9999 23:59:59 -1000\r\nMessage-ID: <a\x00b@example.org>\r\n"
           b"Content-Type: text/html; charset=utf-8\r\n\r\n<p>x\x00y</p>\r\n")
    message = read_message(raw, fallback_date=NOW)
    assert message.received_at == NOW and message.utc_offset_minutes == 0
    assert all("\x00" not in value for value in (message.subject, message.html, message.text, message.message_id))
