"""Per-source parsers of application e-mails: pure functions from a :class:`MailMessage` to the applied job
(title, company) or ``None``. Behaviour follows the originals (behaviors §2.6) with their defects fixed: the
sender decides the source (exact address or domain, not a substring), patterns are anchored on whole phrases
(no "at" found inside a word), entities are decoded and whitespace collapsed, and a message missing either the
title or the company is not an application.

``SOURCES`` is data: the name shown as an application's source, the senders it is recognized by, and the Gmail
search query of each source (the original's, narrowed to the inbox: no spam, no trash).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from core.jobs.tracker.mail.message import MailMessage, text_of

__all__ = ("SOURCES", "MailSource", "ParsedApplication", "parse", "source_of")

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedApplication:
    source: str
    job_title: str
    company: str


def _clean(value: str | None, limit: int = 200) -> str:
    if not value:
        return ""
    return _SPACES.sub(" ", text_of(value)).strip(" ,:;!-–|")[:limit]


def _first(pattern: str, text: str, flags: int = re.I | re.S) -> str:
    found = re.search(pattern, text, flags)
    return _clean(found.group(1)) if found else ""


# ------------------------------------------------------------------------------------------- parsers


def linkedin(msg: MailMessage) -> tuple[str, str]:
    """Subject "You applied for <title> at <company>": split at the last whole word " at " (the original cut
    at the first "at " anywhere, inside words too)."""
    found = re.match(r"\s*You applied for (.+) at (.+?)\s*$", msg.subject, re.I)
    if not found:
        return "", ""
    return _clean(found.group(1)), _clean(found.group(2))


def hired(msg: MailMessage) -> tuple[str, str]:
    """Subject "Interview Request: <title> at <company> ($salary)"."""
    found = re.search(r"Interview Request:\s*(.+) at (.+?)(?:\s*\(\$.*)?$", msg.subject, re.I)
    if not found:
        return "", ""
    return _clean(found.group(1)), _clean(found.group(2))


def indeed(msg: MailMessage) -> tuple[str, str]:
    """Subject "Indeed Application: <title>"; company from the body's "updates from <company>"."""
    title = _first(r"Indeed Application:\s*(.+)$", msg.subject)
    company = _first(r"updates from\s+(.+?)(?:\.|\s+about|\s+on your|$)", text_of(msg.html) or msg.text)
    return title, company


def vettery(msg: MailMessage) -> tuple[str, str]:
    """Body "Role: <title>" (up to "Salary") and "interview with <company>. Interested?" (or "Our take on
    <company>:")."""
    text = text_of(msg.html) if msg.html else msg.text
    title = _first(r"Role:\s*(.+?)\s*Salary", text)
    company = _first(r"interview with\s+(.+?)\.\s*Interested\?", text) or _first(r"Our take on\s+(.+?):", text)
    return title, company


def glassdoor(msg: MailMessage) -> tuple[str, str]:
    """Subject "Your application on to <company> completed."; title = the text of the job listing's link."""
    company = _first(r"on to (.+?) completed", msg.subject)
    title = _first(r"<a[^>]+href=\"[^\"]*(?:job-listing|jobListing)[^\"]*\"[^>]*>(.+?)</a>", msg.html)
    return title, company


def lever(msg: MailMessage) -> tuple[str, str]:
    """Company = the sender's display name (Lever sends as "<Company> <no-reply@hire.lever.co>"); title from
    "application for (the) <title> (position|role) at", "applying for (the) <title> (position|role)"."""
    text = text_of(msg.html) if msg.html else msg.text
    title = _first(
        r"(?:application for|applying for|applying to)\s+(?:the\s+)?(.+?)(?:\s+(?:position|role|opening))?"
        r"(?:\s+at\s|\s+with\s|[.!,])",
        text,
    )
    return title, _clean(msg.sender_name)


def smartrecruiters(msg: MailMessage) -> tuple[str, str]:
    """Subject "Thank you for applying to <company>" (after its last "applying to "); title from the body's
    "for the <title> position" / "position of <title>"."""
    found = re.findall(r"applying to\s+(.+?)\s*[!.]?$", msg.subject, re.I)
    company = _clean(found[-1]) if found else ""
    text = text_of(msg.html) if msg.html else msg.text
    title = _first(r"position of\s+(.+?)(?:[.!,]|\s+at\s)", text) or _first(
        r"for the\s+(.+?)\s+(?:position|role)", text
    )
    return title, company


def ziprecruiter(msg: MailMessage) -> tuple[str, str]:
    """Exactly two bold elements in the body: the title, then the company."""
    bold = re.findall(r"<(b|strong)\b[^>]*>(.+?)</\1>", msg.html, re.I | re.S)
    if len(bold) != 2:
        return "", ""
    return _clean(bold[0][1]), _clean(bold[1][1])


# ------------------------------------------------------------------------------------------- sources


@dataclass(frozen=True, slots=True, kw_only=True)
class MailSource:
    name: str
    senders: tuple[str, ...]  # exact addresses, or "@domain" for any address of that domain (and its subdomains)
    query: str
    parse: Callable[[MailMessage], tuple[str, str]]

    def sent(self, address: str) -> bool:
        domain = address.rpartition("@")[2]
        for sender in self.senders:
            if sender.startswith("@"):
                if domain == sender[1:] or domain.endswith("." + sender[1:]):
                    return True
            elif address == sender:
                return True
        return False


SOURCES: tuple[MailSource, ...] = (
    MailSource(
        name="LinkedIn",
        senders=("jobs-listings@linkedin.com", "jobs-noreply@linkedin.com"),
        query='from:(jobs-listings@linkedin.com OR jobs-noreply@linkedin.com) subject:"You applied for"',
        parse=linkedin,
    ),
    MailSource(
        name="Hired.com",
        senders=("reply@hired.com",),
        query='from:reply@hired.com subject:"Interview Request"',
        parse=hired,
    ),
    MailSource(
        name="Indeed",
        senders=("indeedapply@indeed.com",),
        query='from:indeedapply@indeed.com subject:"Indeed Application"',
        parse=indeed,
    ),
    MailSource(
        name="Vettery",
        senders=("@connect.vettery.com",),
        query='from:@connect.vettery.com subject:"Interview Request"',
        parse=vettery,
    ),
    MailSource(
        name="Glassdoor",
        senders=("@glassdoor.com",),
        query='from:@glassdoor.com subject:"completed"',
        parse=glassdoor,
    ),
    MailSource(
        name="Lever",
        senders=("no-reply@hire.lever.co", "@hire.lever.co"),
        query="from:@hire.lever.co subject:Thank",
        parse=lever,
    ),
    MailSource(
        name="SmartRecruiters",
        senders=("@smartrecruiters.com",),
        query='from:@smartrecruiters.com subject:"Thank you for applying to"',
        parse=smartrecruiters,
    ),
    MailSource(
        name="ZipRecruiter",
        senders=("@ziprecruiter.com",),
        query="from:@ziprecruiter.com",
        parse=ziprecruiter,
    ),
)


def source_of(msg: MailMessage) -> MailSource | None:
    """The source whose senders include the message's sender."""
    return next((s for s in SOURCES if s.sent(msg.sender)), None)


def parse(msg: MailMessage) -> ParsedApplication | None:
    """The application a message announces, or ``None`` (unknown sender, or title or company not found)."""
    source = source_of(msg)
    if source is None:
        return None
    title, company = source.parse(msg)
    if not title or not company:
        return None
    return ParsedApplication(source=source.name, job_title=title, company=company)
