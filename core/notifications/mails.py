"""The e-mails a notification may bring when the recipient has ``email_notify`` on (behaviors §3.7, §8.2): a like
on a post ("Your Post Got a Like!!") and a reply to a comment. Plain text plus HTML, no external assets.
``bootstrap`` pairs them with event types, next to the presenters."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from core.notifications.model import Notice
from ports.email import EmailMessage

__all__ = ("NoticeMail", "comment_replied_mail", "post_liked_mail")

NoticeMail = Callable[[str, Notice], EmailMessage]

_HTML = """<!doctype html><html><body style="font-family:Arial,sans-serif;color:#1b1b1b">
<h2 style="color:#5b2a86">Career Nexus</h2><p>{body}</p>
<p style="color:#777;font-size:12px">You get these e-mails because e-mail notifications are on in your settings.</p>
</body></html>"""


def _mail(to: str, subject: str, notice: Notice) -> EmailMessage:
    text = f"{notice.text}\n\nOpen Career Nexus to see it."
    return EmailMessage(to=to, subject=subject, text=text, html=_HTML.format(body=escape(notice.text)))


def post_liked_mail(to: str, notice: Notice) -> EmailMessage:
    return _mail(to, "Your Post Got a Like!!", notice)


def comment_replied_mail(to: str, notice: Notice) -> EmailMessage:
    return _mail(to, "Your Comment Got a Reply", notice)
