"""Reading the text of an uploaded document (a résumé): PDF and DOCX.

The adapter judges the file by its bytes (magic numbers and structure), not by the declared content type, bounds
the work (size, pages, characters, time) and runs it off the event loop. A file it cannot read — an unsupported
type, a broken, truncated or encrypted file, one over the limits — raises :class:`UnreadableDocument`, an
``InvalidInput`` (400) whose ``reason`` says which.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from core.shared.errors import InvalidInput

__all__ = ("DocumentText", "UnreadableDocument", "UnreadableReason")


class UnreadableReason(StrEnum):
    UNSUPPORTED = "unsupported"  # not a PDF or DOCX (by content), e.g. an image or a Word 97-2003 .doc
    BROKEN = "broken"  # malformed or truncated
    ENCRYPTED = "encrypted"  # password-protected
    TOO_LARGE = "too_large"  # over the size, page or unpacked-size limits, or took too long
    EMPTY = "empty"  # readable, but no text in it (a scanned image)


class UnreadableDocument(InvalidInput):
    """The document's text cannot be read. ``message`` is fit to show the uploader; ``body`` is
    ``{field: [message]}`` so it answers 400 when raised during a request."""

    def __init__(self, reason: UnreadableReason, message: str, *, field: str = "resume") -> None:
        super().__init__({field: [message]})
        self.reason = reason
        self.message = message


class DocumentText(Protocol):
    """Plain text of a document, paragraphs as lines (tables as tab-separated rows)."""

    async def text_of(self, data: bytes, content_type: str) -> str:
        """The text of ``data``; ``content_type`` is what the uploader declared and only a hint — the content
        decides. Raises :class:`UnreadableDocument`."""
        ...
