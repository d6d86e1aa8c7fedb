"""The e-mails the accounts domain sends: plain text plus HTML, no external assets."""

from __future__ import annotations

from html import escape

from ports.email import EmailMessage

__all__ = (
    "corporate_code_mail",
    "member_added_mail",
    "password_changed_mail",
    "reset_code_mail",
    "settings_changed_mail",
    "signup_code_mail",
    "welcome_mail",
)

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


def _short(name: str, limit: int = 100) -> str:
    """A client-chosen name as shown in a mail: one line, bounded."""
    flat = " ".join(name.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def corporate_code_mail(email: str, company_name: str, code: str, minutes: int) -> EmailMessage:
    name = _short(company_name)
    text = (
        f"A Career Nexus user created the corporate account \"{name}\" and gave this address as its company "
        f"e-mail.\n\nYour verification code is {code}.\nGive it to them only if this is your company's account.\n\n"
        f"This code will expire in {minutes} minutes. Until it is used this address stays free: "
        "you can still sign up with it yourself."
    )
    html = _html(
        f"A Career Nexus user created the corporate account &ldquo;{escape(name)}&rdquo; and gave this address as "
        "its company e-mail.",
        f'Your verification code is <strong style="font-size:20px">{escape(code)}</strong>.',
        "Give it to them only if this is your company&rsquo;s account.",
        f"This code will expire in {minutes} minutes. Until it is used this address stays free: you can still sign "
        "up with it yourself.",
    )
    return EmailMessage(to=email, subject="Confirm your company e-mail", text=text, html=html)


def member_added_mail(email: str, organization_name: str) -> EmailMessage:
    name = _short(organization_name)
    text = (
        f"You were added as a member of the organization \"{name}\" on Career Nexus. Its members are shown on "
        "its profile. You can leave it at any time."
    )
    html = _html(
        f"You were added as a member of the organization &ldquo;{escape(name)}&rdquo; on Career Nexus.",
        "Its members are shown on its profile. You can leave it at any time.",
    )
    return EmailMessage(to=email, subject="You were added to an organization", text=text, html=html)
