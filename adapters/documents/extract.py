"""PDF (pypdf) and DOCX (python-docx) text extraction, bounded and off the event loop.

The bytes decide the type (``core.shared.media.sniff``: ``%PDF-``, a ZIP holding ``word/document.xml``), not the
declared content type. Every limit of :class:`DocumentLimits` is checked before or while reading: the file size,
the DOCX archive's entry count and unpacked size (read from its directory, nothing decompressed), the pages read,
each page's content size, the characters kept and a deadline checked between pages and paragraphs (the waiting
coroutine gives up at the deadline in any case). A file the libraries choke on — truncated, malformed, hostile —
raises ``UnreadableDocument``, never anything else.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf import PasswordType, PdfReader

from core.shared.media import DOC, DOCX, MAX_ARCHIVE_ENTRIES, PDF, sniff
from ports.documents import UnreadableDocument, UnreadableReason

__all__ = ("DocumentLimits", "ThreadedDocumentText", "extract_text")

log = logging.getLogger(__name__)

_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # an OLE container holding an encrypted DOCX


@dataclass(frozen=True, slots=True)
class DocumentLimits:
    max_bytes: int = 10_000_000
    max_pages: int = 20  # later pages of a PDF are not read
    max_page_content_bytes: int = 4_000_000  # one page's decoded content stream
    max_chars: int = 100_000  # text beyond this is cut
    max_archive_entries: int = MAX_ARCHIVE_ENTRIES
    max_unpacked_bytes: int = 50_000_000  # a DOCX's declared uncompressed size
    max_seconds: float = 15.0


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self._at = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self._at:
            raise UnreadableDocument(UnreadableReason.TOO_LARGE, _TOO_SLOW)


_TOO_SLOW = "This document takes too long to read. Upload a simpler PDF or DOCX."
_BROKEN = "This document is damaged or incomplete and cannot be read. Upload a valid PDF or DOCX."
_ENCRYPTED = "This document is password-protected. Upload a copy without a password."
_UNSUPPORTED = "Upload the résumé as a PDF or DOCX file."
_EMPTY = "No text could be read from this document (is it a scanned image?). Upload a PDF or DOCX with text."


class _Text:
    """Collects lines up to ``max_chars``."""

    def __init__(self, max_chars: int) -> None:
        self.lines: list[str] = []
        self.left = max_chars

    @property
    def full(self) -> bool:
        return self.left <= 0

    def add(self, line: str) -> None:
        if self.left <= 0:
            return
        line = line.replace("\x00", "")[: self.left]
        self.lines.append(line)
        self.left -= len(line) + 1

    def result(self) -> str:
        text = "\n".join(self.lines).strip()
        if not text:
            raise UnreadableDocument(UnreadableReason.EMPTY, _EMPTY)
        return text


def _pdf_text(data: bytes, limits: DocumentLimits, deadline: _Deadline) -> str:
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        try:  # an owner password alone still lets anyone read it
            opened = reader.decrypt("")
        except Exception:
            opened = PasswordType.NOT_DECRYPTED
        if opened == PasswordType.NOT_DECRYPTED:
            raise UnreadableDocument(UnreadableReason.ENCRYPTED, _ENCRYPTED)
    text = _Text(limits.max_chars)
    for number, page in enumerate(reader.pages):
        if number >= limits.max_pages or text.full:
            break
        deadline.check()
        contents = page.get_contents()
        if contents is not None and len(contents.get_data()) > limits.max_page_content_bytes:
            raise UnreadableDocument(
                UnreadableReason.TOO_LARGE, "A page of this document is too large to read. Upload a simpler PDF."
            )
        for line in page.extract_text().splitlines():
            text.add(line.rstrip())
    return text.result()


def _check_archive(data: bytes, limits: DocumentLimits) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    if len(infos) > limits.max_archive_entries or sum(i.file_size for i in infos) > limits.max_unpacked_bytes:
        raise UnreadableDocument(
            UnreadableReason.TOO_LARGE, "This document unpacks to too much data to be a résumé. Upload a smaller file."
        )


def _docx_lines(data: bytes, deadline: _Deadline) -> Iterator[str]:
    document = docx.Document(io.BytesIO(data))
    for block in document.iter_inner_content():
        deadline.check()
        if isinstance(block, Paragraph):
            yield block.text
        elif isinstance(block, Table):
            yield from _table_lines(block, deadline, depth=0)
    # Text boxes (common in résumé templates) are outside the paragraph flow; their fallback copy is skipped.
    body = document.element.body
    fallback = _MC_FALLBACK
    for box in body.iter(qn("w:txbxContent")):
        deadline.check()
        if any(ancestor.tag == fallback for ancestor in box.iterancestors()):
            continue
        for paragraph in box.iter(qn("w:p")):
            yield "".join(t.text or "" for t in paragraph.iter(qn("w:t")))


def _table_lines(table: Table, deadline: _Deadline, depth: int) -> Iterator[str]:
    for row in table.rows:
        deadline.check()
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell) in seen:  # a merged cell is the same object once per grid column it spans
                continue
            seen.add(id(cell))
            cells.append(" ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
            if depth < 2:
                for inner in cell.tables:
                    yield from _table_lines(inner, deadline, depth + 1)
        line = "\t".join(c for c in cells if c)
        if line:
            yield line


def _docx_text(data: bytes, limits: DocumentLimits, deadline: _Deadline) -> str:
    _check_archive(data, limits)
    text = _Text(limits.max_chars)
    for line in _docx_lines(data, deadline):
        text.add(line.rstrip())
        if text.full:
            break
    return text.result()


def extract_text(data: bytes, content_type: str = "", limits: DocumentLimits | None = None) -> str:
    """The text of a PDF or DOCX, synchronously (CPU-bound: call it from a worker thread). ``content_type`` is
    ignored: the bytes decide. Raises ``UnreadableDocument``."""
    limits = limits or DocumentLimits()
    if not data:
        raise UnreadableDocument(UnreadableReason.EMPTY, "The submitted file is empty.")
    if len(data) > limits.max_bytes:
        raise UnreadableDocument(
            UnreadableReason.TOO_LARGE, f"The document is larger than {limits.max_bytes // 1_000_000} MB."
        )
    kind = sniff(data)
    if kind == DOC and _ENCRYPTED_PACKAGE in data:
        raise UnreadableDocument(UnreadableReason.ENCRYPTED, _ENCRYPTED)
    if kind not in (PDF, DOCX):
        if data.startswith(b"PK\x03\x04"):  # a ZIP that is not a Word document, or a truncated DOCX
            raise UnreadableDocument(UnreadableReason.BROKEN, _BROKEN)
        raise UnreadableDocument(UnreadableReason.UNSUPPORTED, _UNSUPPORTED)
    deadline = _Deadline(limits.max_seconds)
    try:
        return _pdf_text(data, limits, deadline) if kind == PDF else _docx_text(data, limits, deadline)
    except UnreadableDocument:
        raise
    except Exception as exc:
        log.info("unreadable %s: %s: %s", kind, type(exc).__name__, str(exc)[:200])
        raise UnreadableDocument(UnreadableReason.BROKEN, _BROKEN) from exc


class ThreadedDocumentText:
    """``DocumentText`` over :func:`extract_text`, each document read in a daemon thread of its own, at most
    ``workers`` at a time, so parsing never blocks the event loop.

    The caller waits at most twice ``max_seconds`` (queueing included), then gets ``UnreadableDocument``
    (``too_large``). The extraction checks the same deadline between pages and stops; should a library call
    never return, its thread is abandoned: it gives its slot back at the caller's timeout (later documents are not
    held up) and, being a daemon, does not keep the process from exiting.
    """

    def __init__(self, limits: DocumentLimits | None = None, *, workers: int = 2) -> None:
        self.limits = limits or DocumentLimits()
        self._slots = threading.BoundedSemaphore(workers)

    async def text_of(self, data: bytes, content_type: str) -> str:
        if len(data) > self.limits.max_bytes or not data:
            return extract_text(data, content_type, self.limits)  # refused before any parsing
        loop = asyncio.get_running_loop()
        done: asyncio.Future[str] = loop.create_future()
        slot = _Slot(self._slots)
        data = bytes(data)

        def deliver(text: str | None, error: Exception | None) -> None:
            if done.done():
                return
            if error is not None:
                done.set_exception(error)
            else:
                done.set_result(text or "")

        def post(text: str | None, error: Exception | None) -> None:
            with contextlib.suppress(RuntimeError):  # a closed loop: nobody is waiting any more
                loop.call_soon_threadsafe(deliver, text, error)

        def work() -> None:
            if not slot.take(timeout=2 * self.limits.max_seconds):
                return
            try:
                text = extract_text(data, content_type, self.limits)
            except Exception as exc:  # handed to the waiting coroutine
                post(None, exc)
            else:
                post(text, None)
            finally:
                slot.give_back()

        threading.Thread(target=work, name="document-text", daemon=True).start()
        try:
            return await asyncio.wait_for(done, timeout=2 * self.limits.max_seconds)
        except TimeoutError:
            raise UnreadableDocument(UnreadableReason.TOO_LARGE, _TOO_SLOW) from None
        finally:
            slot.abandon()

    def close(self) -> None:
        """Nothing to release: the threads are per document."""


class _Slot:
    """One document's claim on the semaphore: taken by its thread, given back once — by the thread when it
    finishes, or by the caller when it stops waiting — and never taken after the caller gave up."""

    def __init__(self, slots: threading.BoundedSemaphore) -> None:
        self._slots = slots
        self._lock = threading.Lock()
        self._held = False
        self._abandoned = False

    def take(self, timeout: float) -> bool:
        if not self._slots.acquire(timeout=timeout):
            return False
        with self._lock:
            if self._abandoned:
                self._slots.release()
                return False
            self._held = True
            return True

    def give_back(self) -> None:
        with self._lock:
            if self._held:
                self._held = False
                self._slots.release()

    def abandon(self) -> None:
        with self._lock:
            self._abandoned = True
        self.give_back()
