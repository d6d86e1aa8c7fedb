"""The e-mails the accounts domain sends: plain text plus HTML, no external assets."""

from __future__ import annotations

from html import escape

from ports.email import EmailMessage

__all__ = ("password_changed_mail", "reset_code_mail", "settings_changed_mail", "signup_code_mail", "welcome_mail")

_HTML = """<!doctype html><html><body style="font-family:Arial,sans-serif;color:#1b1b1b">
<h2 style="color:#5b2a86">Career Nexus</h2>{body}
<p style="color:#777;font-size:12px">If you did not ask for this e-mail, you can ignore it.</p>
</body></html>"""


def _html(*paragraphs: str) -> str:
    return _HTML.format(body="".join(f"<p>{p}</p>" for p in paragraphs))


def signup_code_mail(email: str, code: str, link: str, minutes: int) -> EmailMessage:
    text = (
        f"Welcome to Career Nexus!\n\nYour verification code is {code}.\n"
        f"You can also verify your address with this link: {link}\n\n"
        f"This code will expire in {minutes} minutes."
    )
    html = _html(
        "Welcome to Career Nexus!",
        f'Your verification code is <strong style="font-size:20px">{escape(code)}</strong>.',
        f'Or <a href="{escape(link, quote=True)}">verify your address with this link</a>.',
        f"This code will expire in {minutes} minutes.",
    )
    return EmailMessage(to=email, subject="Verify your Email", text=text, html=html)


def reset_code_mail(email: str, code: str, link: str, minutes: int) -> EmailMessage:
    text = (
        f"We received a request to reset your Career Nexus password.\n\nYour reset code is {code}.\n"
        f"You can also use this link: {link}\n\nThis code will expire in {minutes} minutes."
    )
    html = _html(
        "We received a request to reset your Career Nexus password.",
        f'Your reset code is <strong style="font-size:20px">{escape(code)}</strong>.',
        f'Or <a href="{escape(link, quote=True)}">use this link</a>.',
        f"This code will expire in {minutes} minutes.",
    )
    return EmailMessage(to=email, subject="Password Reset Request", text=text, html=html)


def welcome_mail(email: str) -> EmailMessage:
    text = "Your Career Nexus account is ready. Complete your profile to get the most out of it."
    return EmailMessage(to=email, subject="Welcome to Career Nexus", text=text, html=_html(escape(text)))


def password_changed_mail(email: str) -> EmailMessage:
    text = (
        "The password of your Career Nexus account was changed and every other session was signed out. "
        "If this was not you, reset your password now."
    )
    return EmailMessage(to=email, subject="Your password was changed", text=text, html=_html(escape(text)))


def settings_changed_mail(email: str) -> EmailMessage:
    text = (
        "Your Career Nexus account settings were updated. You receive this because e-mail notifications are on; "
        "you can turn them off in your settings."
    )
    return EmailMessage(to=email, subject="Account Settings", text=text, html=_html(escape(text)))
