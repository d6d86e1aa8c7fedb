"""Link fields (a company's ``website``, a mentor's ``linkedin_url`` …): absolute ``http``/``https`` URLs only.

One rule for every link a user types, checked in the services and declared on the wire (the same pattern), so a
``javascript:``, ``data:`` or ``file:`` value, or one without a scheme, is refused with a field error instead of
being stored and later rendered as a clickable link by a frontend.
"""

from __future__ import annotations

import re

from core.shared.errors import InvalidInput

__all__ = ("WEB_URL_MAX", "WEB_URL_MESSAGE", "WEB_URL_PATTERN", "check_web_url")

WEB_URL_MAX = 500
WEB_URL_MESSAGE = "Enter a valid URL starting with http:// or https://."
# Scheme http or https (any case), a non-empty host part without spaces or control characters, then anything
# without spaces or control characters. The empty string is allowed: it clears an optional link.
WEB_URL_PATTERN = r"^$|^[Hh][Tt][Tt][Pp][Ss]?://[^\x00-\x20\x7f/?#\\]+(?:[/?#][^\x00-\x20\x7f]*)?$"
_WEB_URL = re.compile(WEB_URL_PATTERN)


def check_web_url(name: str, value: str, *, required: bool = False) -> str:
    """``value`` stripped, or a 400 ``{name: [WEB_URL_MESSAGE]}``; ``""`` only when not ``required``."""
    value = value.strip()
    if not value:
        if required:
            raise InvalidInput.field(name, "This field may not be blank.")
        return ""
    if len(value) > WEB_URL_MAX:
        raise InvalidInput.field(name, f"Ensure this field has no more than {WEB_URL_MAX} characters.")
    if not _WEB_URL.fullmatch(value):
        raise InvalidInput.field(name, WEB_URL_MESSAGE)
    return value
