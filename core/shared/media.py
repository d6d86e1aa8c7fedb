"""Upload policy: what a user may upload, judged by size and sniffed content, never by file name.

The HTTP layer hands services an :class:`Upload`; a service checks it against a :class:`MediaPolicy` with
:func:`check_upload`, which returns the sniffed content type and the extension to store it under, and picks a
random storage key with :func:`new_key`. Standard library only.
"""

from __future__ import annotations

import io
import re
import secrets
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from enum import Enum

from core.shared.errors import InvalidInput

__all__ = (
    "DOC",
    "DOCX",
    "EXTENSIONS",
    "GIF",
    "JPEG",
    "MAX_ARCHIVE_ENTRIES",
    "MAX_ARCHIVE_UNCOMPRESSED_BYTES",
    "MAX_IMAGE_PIXELS",
    "MAX_IMAGE_SIDE",
    "MP4",
    "PDF",
    "PNG",
    "QUICKTIME",
    "WEBM",
    "WEBP",
    "MediaKind",
    "MediaPolicy",
    "Upload",
    "check_filename",
    "check_upload",
    "image_size",
    "new_key",
    "sanitize_filename",
    "sniff",
)

PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
MP4 = "video/mp4"
QUICKTIME = "video/quicktime"
WEBM = "video/webm"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC = "application/msword"

EXTENSIONS: dict[str, str] = {
    PNG: "png",
    JPEG: "jpg",
    GIF: "gif",
    WEBP: "webp",
    MP4: "mp4",
    QUICKTIME: "mov",
    WEBM: "webm",
    PDF: "pdf",
    DOCX: "docx",
    DOC: "doc",
}

# Bounds that keep a decoder (a browser, a thumbnailer) from being handed a decompression bomb: a few kilobytes of
# PNG can declare 100,000 x 100,000 pixels, a small ZIP can unpack to gigabytes.
MAX_IMAGE_SIDE = 10_000
MAX_IMAGE_PIXELS = 40_000_000
MAX_ARCHIVE_ENTRIES = 1_000
MAX_ARCHIVE_UNCOMPRESSED_BYTES = 100_000_000

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EBML_SIGNATURE = b"\x1a\x45\xdf\xa3"
# ISO-BMFF brands that are still images or audio, not video.
_NON_VIDEO_BRANDS = frozenset(
    {b"avif", b"avis", b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"M4A ", b"M4B ", b"M4P "}
)


def _png_ok(data: bytes) -> bool:
    # Signature, then an IHDR chunk of 13 bytes with a valid CRC and a non-zero size.
    if len(data) < 33:
        return False
    length, chunk_type = struct.unpack(">I4s", data[8:16])
    if length != 13 or chunk_type != b"IHDR":
        return False
    body = data[16:29]
    (crc,) = struct.unpack(">I", data[29:33])
    width, height = struct.unpack(">II", body[:8])
    return bool(zlib.crc32(chunk_type + body) == crc and width > 0 and height > 0)


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return False

_JPEG_FRAMES = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
_JPEG_STANDALONE = frozenset({0x01, 0xD8, *range(0xD0, 0xD8)})
_JPEG_MAX_SEGMENTS = 1_000
_FILL = re.compile(rb"\xff+")
_MALFORMED = (-1, -1)


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """``(width, height)`` from the first frame header; ``None`` when the data ends before any frame (nothing to
    decode); ``_MALFORMED`` when the segments before the frame are not well formed (a lenient decoder could still
    find a frame there, so such a file is refused rather than trusted)."""
    i, end = 2, len(data)
    for _ in range(_JPEG_MAX_SEGMENTS):
        fill = _FILL.match(data, i)
        if fill is None:
            return _MALFORMED if i < end else None
        i = fill.end()
        if i >= end:
            return None
        marker = data[i]
        i += 1
        if marker in _JPEG_STANDALONE:
            continue
        if marker in (0xD9, 0xDA):  # end of image, or scan data before any frame header
            return None
        if i + 2 > end:
            return None
        length = int.from_bytes(data[i : i + 2], "big")
        if length < 2:
            return _MALFORMED
        if marker in _JPEG_FRAMES:
            if i + 7 > end:
                return None
            return int.from_bytes(data[i + 5 : i + 7], "big"), int.from_bytes(data[i + 3 : i + 5], "big")
        i += length
    return _MALFORMED


def image_size(data: bytes, content_type: str) -> tuple[int, int] | None:
    """The pixel size ``(width, height)`` an image declares in its header, read without decoding it.

    ``None`` when the header declares none (a JPEG without a frame). ``(-1, -1)`` for a JPEG whose segments are
    malformed before its frame header.
    """
    if content_type == PNG and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if content_type == JPEG:
        return _jpeg_size(data)
    if content_type == GIF and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if content_type == WEBP and len(data) >= 30:
        chunk = data[12:16]
        if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
            width, height = struct.unpack("<HH", data[26:30])
            return int(width) & 0x3FFF, int(height) & 0x3FFF
        if chunk == b"VP8L" and data[20] == 0x2F:
            bits = int.from_bytes(data[21:25], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        if chunk == b"VP8X":
            return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    return None


def _check_image_size(data: bytes, content_type: str, kind: MediaKind, field: str) -> None:
    size = image_size(data, content_type)
    if size is None:
        return
    width, height = size
    if size == _MALFORMED:
        raise InvalidInput.field(field, kind.invalid_message)
    if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
        raise InvalidInput.field(
            field,
            f"Image too large: {width}x{height} pixels. The maximum is {MAX_IMAGE_SIDE} pixels per side and "
            f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels.",
        )


_EOCD = b"PK\x05\x06"


def _check_archive(data: bytes, field: str) -> None:
    """A ZIP-based document (DOCX) must list a sane number of entries and unpack to a sane size.

    The entry count comes from the end-of-central-directory record before anything is parsed; the sizes are the
    ones the central directory declares (``zipfile`` reads only the directory, nothing is decompressed).
    """
    too_many = InvalidInput.field(
        field, f"Document refused: an archive of more than {MAX_ARCHIVE_ENTRIES} entries is not a plausible document."
    )
    eocd = data.rfind(_EOCD, max(0, len(data) - 65_557))
    if eocd >= 0 and len(data) >= eocd + 12:
        (entries,) = struct.unpack("<H", data[eocd + 10 : eocd + 12])
        if entries > MAX_ARCHIVE_ENTRIES:
            raise too_many
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return  # not a readable archive: sniffing refuses it
    if len(infos) > MAX_ARCHIVE_ENTRIES:
        raise too_many
    if sum(info.file_size for info in infos) > MAX_ARCHIVE_UNCOMPRESSED_BYTES:
        raise InvalidInput.field(
            field,
            f"Document refused: it unpacks to more than {MAX_ARCHIVE_UNCOMPRESSED_BYTES // 1_000_000} MB.",
        )


def sniff(data: bytes) -> str | None:
    """The content type of ``data`` judged by its magic numbers, or ``None`` when unknown or malformed."""
    if data.startswith(_PNG_SIGNATURE):
        return PNG if _png_ok(data) else None
    if data.startswith(b"\xff\xd8\xff") and len(data) > 4:
        return JPEG
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 13:
        return GIF
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP" and data[12:15] == b"VP8" and len(data) >= 20:
        return WEBP
    if data[4:8] == b"ftyp" and len(data) >= 12:
        brand = data[8:12]
        if brand == b"qt  ":
            return QUICKTIME
        return None if brand in _NON_VIDEO_BRANDS else MP4
    if data.startswith(_EBML_SIGNATURE):
        return WEBM if b"\x42\x82\x84webm" in data[:64] else None
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return DOCX if _is_docx(data) else None
    if data.startswith(_OLE_SIGNATURE) and len(data) >= 512:
        return DOC
    return None


class MediaKind(Enum):
    """A family of uploads; ``types`` are the content types it may hold."""

    IMAGE = "image"
    VIDEO = "video"
    DOCUMENT = "document"

    @property
    def types(self) -> frozenset[str]:
        return _KIND_TYPES[self]

    @property
    def invalid_message(self) -> str:
        noun = self.value
        article = "an" if noun[0] in "aeiou" else "a"
        return f"Upload a valid {noun}. The file you uploaded was either not {article} {noun} or a corrupted {noun}."


_KIND_TYPES: dict[MediaKind, frozenset[str]] = {
    MediaKind.IMAGE: frozenset({PNG, JPEG, GIF, WEBP}),
    MediaKind.VIDEO: frozenset({MP4, QUICKTIME, WEBM}),
    MediaKind.DOCUMENT: frozenset({PDF, DOCX, DOC}),
}


@dataclass(frozen=True, slots=True)
class MediaPolicy:
    """What one upload field accepts. An empty ``allowed`` means every type of ``kind``."""

    kind: MediaKind
    max_bytes: int
    allowed: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.max_bytes <= 0:
            raise ValueError("max_bytes must be positive")
        if not self.allowed:
            object.__setattr__(self, "allowed", self.kind.types)
        elif not self.allowed <= self.kind.types:
            raise ValueError(f"{sorted(self.allowed - self.kind.types)} are not {self.kind.value} types")


@dataclass(frozen=True, slots=True)
class Upload:
    """A file as the HTTP layer received it. ``filename`` and ``declared_type`` come from the client."""

    filename: str
    data: bytes
    declared_type: str = "application/octet-stream"


def _human_size(size: int) -> str:
    # Decimal units, as the original service counted (size / 1,000,000).
    for unit, scale in (("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000)):
        if size >= scale:
            return f"{size / scale:g} {unit}"
    return f"{size} bytes"


_NAME_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs"}


def check_filename(name: str, field: str) -> None:
    """Refuse file names that try to be paths or hide characters: ``InvalidInput`` on ``field``."""
    if (
        "/" in name
        or "\\" in name
        or name.strip() in (".", "..")
        or len(name) > 255
        or any(unicodedata.category(ch) in _NAME_CATEGORIES for ch in name)
    ):
        raise InvalidInput.field(
            field, "Invalid file name: send the plain file name, without a path or control characters."
        )


def check_upload(upload: Upload, policy: MediaPolicy, field: str) -> tuple[str, str]:
    """Return ``(content_type, extension)`` of an acceptable upload; else raise ``InvalidInput`` on ``field``.

    The declared content type is ignored: only the size and the sniffed bytes count. The file name only has to
    be a plain name (a browser sends the base name): one with a path, control or bidi-override characters is
    refused rather than silently rewritten.
    """
    check_filename(upload.filename, field)
    size = len(upload.data)
    if size == 0:
        raise InvalidInput.field(field, "The submitted file is empty.")
    if size > policy.max_bytes:
        raise InvalidInput.field(field, f"File too large. Maximum size is {_human_size(policy.max_bytes)}.")
    if policy.kind is MediaKind.DOCUMENT and upload.data.startswith(b"PK\x03\x04"):
        _check_archive(upload.data, field)
    content_type = sniff(upload.data)
    if content_type is None or content_type not in policy.kind.types:
        raise InvalidInput.field(field, policy.kind.invalid_message)
    if content_type not in policy.allowed:
        allowed = ", ".join(sorted({EXTENSIONS[t].upper() for t in policy.allowed}))
        raise InvalidInput.field(
            field, f"Unsupported {policy.kind.value} type ({EXTENSIONS[content_type].upper()}). Allowed: {allowed}."
        )
    if policy.kind is MediaKind.IMAGE:
        _check_image_size(upload.data, content_type, policy.kind, field)
    return content_type, EXTENSIONS[content_type]


_MAX_NAME = 100
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_PREFIX = re.compile(r"[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*")


def sanitize_filename(name: str) -> str:
    """A safe base name: no directories or control characters, only ``[A-Za-z0-9._-]``, at most 100 chars."""
    base = re.split(r"[/\\]", name)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    base = _UNSAFE.sub("_", base)
    base = re.sub(r"\.{2,}", ".", base)
    base = re.sub(r"_{2,}", "_", base)
    base = base.strip("._-")
    if len(base) > _MAX_NAME:
        stem, dot, ext = base.rpartition(".")
        if dot and 0 < len(ext) <= 10 and stem:
            base = stem[: _MAX_NAME - len(ext) - 1].rstrip("._-") + "." + ext
        else:
            base = base[:_MAX_NAME].rstrip("._-")
    return base or "file"


def new_key(prefix: str, filename: str, extension: str) -> str:
    """A fresh random key ``<prefix>/<32 hex>-<sanitised stem>.<extension>``.

    The client's extension is dropped (and inner dots flattened) so the key always ends in the sniffed one.
    """
    prefix = prefix.strip("/")
    if not _PREFIX.fullmatch(prefix):
        raise ValueError(f"invalid key prefix {prefix!r}")
    if not re.fullmatch(r"[a-z0-9]{1,10}", extension):
        raise ValueError(f"invalid extension {extension!r}")
    stem = sanitize_filename(filename)
    head, dot, _ = stem.rpartition(".")
    if dot and head:
        stem = head
    stem = stem.replace(".", "_").strip("._-")[: _MAX_NAME - len(extension) - 1] or "file"
    return f"{prefix}/{secrets.token_hex(16)}-{stem}.{extension}"
