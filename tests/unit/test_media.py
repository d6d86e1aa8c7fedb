"""Upload policy: sniffing, size and type checks, file-name sanitising and random keys."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

import pytest

from core.shared.errors import InvalidInput
from core.shared.media import (
    DOC,
    DOCX,
    GIF,
    JPEG,
    MP4,
    PDF,
    PNG,
    QUICKTIME,
    WEBM,
    WEBP,
    MediaKind,
    MediaPolicy,
    Upload,
    check_upload,
    new_key,
    sanitize_filename,
    sniff,
)


def png_bytes(width: int = 1, height: int = 1) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def zip_bytes(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF_BYTES = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00;"
WEBP_BYTES = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
MP4_BYTES = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 16
MOV_BYTES = b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + b"\x00" * 16
HEIC_BYTES = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 16
WEBM_BYTES = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm"
MKV_BYTES = b"\x1a\x45\xdf\xa3\xa3\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x88matroska"
PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
DOC_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504

IMAGE_2MB = MediaPolicy(MediaKind.IMAGE, 2_000_000, frozenset({PNG, JPEG}))
VIDEO_5MB = MediaPolicy(MediaKind.VIDEO, 5_000_000)
DOCUMENT_5MB = MediaPolicy(MediaKind.DOCUMENT, 5_000_000)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (png_bytes(), PNG),
        (JPEG_BYTES, JPEG),
        (GIF_BYTES, GIF),
        (WEBP_BYTES, WEBP),
        (MP4_BYTES, MP4),
        (MOV_BYTES, QUICKTIME),
        (WEBM_BYTES, WEBM),
        (PDF_BYTES, PDF),
        (zip_bytes("[Content_Types].xml", "word/document.xml"), DOCX),
        (DOC_BYTES, DOC),
    ],
    ids=["png", "jpeg", "gif", "webp", "mp4", "mov", "webm", "pdf", "docx", "doc"],
)
def test_sniff_recognises_supported_types(data: bytes, expected: str) -> None:
    assert sniff(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"hello, I am text pretending to be a picture",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        png_bytes()[:20],  # truncated PNG
        png_bytes()[:29] + b"\x00\x00\x00\x00" + png_bytes()[33:],  # IHDR with a bad CRC
        zip_bytes("xl/workbook.xml"),  # a spreadsheet, not a Word document
        b"PK\x03\x04 not really a zip",
        HEIC_BYTES,
        MKV_BYTES,
        b"\xd0\xcf\x11\xe0",  # truncated OLE header
    ],
    ids=["empty", "text", "svg", "truncated-png", "bad-crc-png", "xlsx", "fake-zip", "heic", "mkv", "short-ole"],
)
def test_sniff_rejects_unknown_or_malformed_content(data: bytes) -> None:
    assert sniff(data) is None


def test_check_upload_trusts_bytes_not_the_name_png_renamed_pdf_is_a_png() -> None:
    upload = Upload("holiday.pdf", png_bytes(), "application/pdf")

    assert check_upload(upload, IMAGE_2MB, "profile_photo") == (PNG, "png")


def test_check_upload_rejects_a_png_sent_as_a_document() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_upload(Upload("cv.pdf", png_bytes(), "application/pdf"), DOCUMENT_5MB, "resume")

    assert caught.value.body == {
        "resume": ["Upload a valid document. The file you uploaded was either not a document or a corrupted document."]
    }


def test_check_upload_rejects_a_text_file_named_png() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_upload(Upload("photo.png", b"just some text\n", "image/png"), IMAGE_2MB, "profile_photo")

    assert caught.value.body == {
        "profile_photo": ["Upload a valid image. The file you uploaded was either not an image or a corrupted image."]
    }


def test_check_upload_rejects_a_text_file_named_mp4_as_video() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_upload(Upload("clip.mp4", b"not a video", "video/mp4"), VIDEO_5MB, "video")

    assert caught.value.body == {
        "video": ["Upload a valid video. The file you uploaded was either not a video or a corrupted video."]
    }


def test_check_upload_rejects_an_image_type_outside_the_allowed_list() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_upload(Upload("a.gif", GIF_BYTES, "image/gif"), IMAGE_2MB, "logo")

    assert caught.value.body == {"logo": ["Unsupported image type (GIF). Allowed: JPG, PNG."]}


def test_check_upload_rejects_an_empty_file() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_upload(Upload("a.png", b"", "image/png"), IMAGE_2MB, "profile_photo")

    assert caught.value.body == {"profile_photo": ["The submitted file is empty."]}


def test_check_upload_rejects_an_oversized_file_before_sniffing() -> None:
    big = png_bytes() + b"\x00" * 2_000_000

    with pytest.raises(InvalidInput) as caught:
        check_upload(Upload("a.png", big, "image/png"), IMAGE_2MB, "profile_photo")

    assert caught.value.body == {"profile_photo": ["File too large. Maximum size is 2 MB."]}


def test_check_upload_accepts_a_file_of_exactly_the_maximum_size() -> None:
    data = png_bytes()
    policy = MediaPolicy(MediaKind.IMAGE, len(data))

    assert check_upload(Upload("a.png", data), policy, "pic1") == (PNG, "png")


@pytest.mark.parametrize(
    ("max_bytes", "text"), [(1_000_000, "1 MB"), (1_500_000, "1.5 MB"), (500_000, "500 KB"), (10, "10 bytes")]
)
def test_size_message_is_human_readable(max_bytes: int, text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_upload(Upload("a.png", png_bytes() * 40_000), MediaPolicy(MediaKind.IMAGE, max_bytes), "pic1")

    assert caught.value.body == {"pic1": [f"File too large. Maximum size is {text}."]}


def test_policy_defaults_to_every_type_of_its_kind_and_refuses_foreign_types() -> None:
    assert MediaPolicy(MediaKind.VIDEO, 1).allowed == frozenset({MP4, QUICKTIME, WEBM})
    with pytest.raises(ValueError):
        MediaPolicy(MediaKind.IMAGE, 1, frozenset({PDF}))
    with pytest.raises(ValueError):
        MediaPolicy(MediaKind.IMAGE, 0)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("photo.png", "photo.png"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\evil.exe", "evil.exe"),
        ("/abs/path/cv.pdf", "cv.pdf"),
        ("..", "file"),
        ("", "file"),
        ("   ", "file"),
        ("a\x00b\r\nc.png", "abc.png"),
        ("my holiday (1).jpg", "my_holiday_1_.jpg"),
        ("Résumé final.docx", "Resume_final.docx"),
        (".htaccess", "htaccess"),
        ("a...b..png", "a.b.png"),
        ("日本語.png", "png"),
    ],
)
def test_sanitize_filename(name: str, expected: str) -> None:
    assert sanitize_filename(name) == expected


def test_sanitize_filename_caps_length_and_keeps_the_extension() -> None:
    name = sanitize_filename("x" * 300 + ".jpeg")

    assert len(name) == 100
    assert name.endswith(".jpeg")
    assert len(sanitize_filename("y" * 300)) == 100


def test_new_key_is_random_prefixed_and_ends_in_the_sniffed_extension() -> None:
    first = new_key("profile_pictures", "../../holiday.pdf", "png")
    second = new_key("profile_pictures", "../../holiday.pdf", "png")

    assert first != second
    assert re.fullmatch(r"profile_pictures/[0-9a-f]{32}-holiday\.png", first)


@pytest.mark.parametrize(
    ("filename", "stem"),
    [("shell.php.png", "shell_php"), ("", "file"), ("...", "file"), ("noext", "noext"), ("a\x00/../b.gif", "b")],
)
def test_new_key_flattens_inner_dots_and_never_has_an_empty_stem(filename: str, stem: str) -> None:
    key = new_key("posts/pic", filename, "jpg")

    assert re.fullmatch(rf"posts/pic/[0-9a-f]{{32}}-{re.escape(stem)}\.jpg", key)
    assert len(key.rsplit("/", 1)[1]) <= 100 + 33


@pytest.mark.parametrize(("prefix", "extension"), [("../up", "png"), ("a//b", "png"), ("ok", "p/ng"), ("ok", "")])
def test_new_key_refuses_unsafe_prefixes_and_extensions(prefix: str, extension: str) -> None:
    with pytest.raises(ValueError):
        new_key(prefix, "a.png", extension)


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.png", "..\\boot.png", "a\x00b.png", "a\r\nb.png", "\u202egnp.exe", "..", "x" * 256]
)
def test_check_filename_refuses_paths_and_hidden_characters(name: str) -> None:
    from core.shared.media import check_filename

    with pytest.raises(InvalidInput) as caught:
        check_filename(name, "pic1")
    assert "Invalid file name" in str(caught.value.body["pic1"])


@pytest.mark.parametrize("name", ["photo.png", "my photo (1).PNG", "résumé.pdf", "", "a;b|c.png"])
def test_check_filename_accepts_plain_names(name: str) -> None:
    from core.shared.media import check_filename

    check_filename(name, "pic1")


# ------------------------------------------------------------------------ decompression bombs (issue 16)

ANY_IMAGE = MediaPolicy(MediaKind.IMAGE, 2_000_000)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` x ``height`` pixels in a few bytes (the IDAT would inflate to gigabytes)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(
        b"IEND", b""
    )


def jpeg_with_frame(width: int, height: int, *, prefix: bytes = b"") -> bytes:
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0\x00\x11\x08" + struct.pack(">HH", height, width) + b"\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    return b"\xff\xd8" + prefix + app0 + b"\xff\xff" + sof0 + b"\xff\xda\x00\x02" + b"\x00" * 16 + b"\xff\xd9"


def webp_vp8x(width: int, height: int) -> bytes:
    body = b"\x00\x00\x00\x00" + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return b"RIFF" + struct.pack("<I", 4 + 8 + len(body)) + b"WEBPVP8X" + struct.pack("<I", len(body)) + body


@pytest.mark.parametrize(
    ("data", "size"),
    [
        (png_header_only(640, 480), (640, 480)),
        (jpeg_with_frame(640, 480), (640, 480)),
        (GIF_BYTES, (1, 1)),
        (WEBP_BYTES, (1, 1)),
        (webp_vp8x(300, 200), (300, 200)),
    ],
    ids=["png", "jpeg", "gif", "webp-lossless", "webp-extended"],
)
def test_image_size_reads_the_header(data: bytes, size: tuple[int, int]) -> None:
    from core.shared.media import image_size

    content_type = sniff(data)
    assert content_type is not None
    assert image_size(data, content_type) == size


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (png_header_only(100_000, 100_000), "a.png"),
        (png_header_only(10_001, 10), "a.png"),
        (png_header_only(8_000, 8_000), "a.png"),  # each side fine, 64 megapixels in total
        (jpeg_with_frame(60_000, 60_000), "a.jpg"),
        (b"GIF89a\xff\xff\xff\xff\x80\x00\x00" + b"\x00" * 16, "a.gif"),
        (webp_vp8x(16_000_000, 16_000_000), "a.webp"),
    ],
    ids=["png-huge", "png-wide", "png-megapixels", "jpeg-huge", "gif-huge", "webp-huge"],
)
def test_decompression_bomb_images_are_refused_by_their_header(data: bytes, name: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_upload(Upload(name, data), ANY_IMAGE, "profile_photo")
    message = caught.value.body["profile_photo"][0]
    assert message.startswith("Image too large") and "10000 pixels per side" in message


def test_images_at_the_bounds_are_accepted() -> None:
    assert check_upload(Upload("a.png", png_header_only(10_000, 4_000)), ANY_IMAGE, "p") == (PNG, "png")
    assert check_upload(Upload("a.jpg", jpeg_with_frame(6_000, 6_000)), ANY_IMAGE, "p") == (JPEG, "jpg")
    assert check_upload(Upload("a.jpg", JPEG_BYTES), ANY_IMAGE, "p") == (JPEG, "jpg")  # no frame: nothing to decode


def test_a_jpeg_hiding_its_frame_behind_garbage_is_refused() -> None:
    # A lenient decoder skips junk between segments and would still find the frame of a bomb.
    hidden = jpeg_with_frame(60_000, 60_000, prefix=b"junk")
    with pytest.raises(InvalidInput) as caught:
        check_upload(Upload("a.jpg", hidden), ANY_IMAGE, "photo")
    assert caught.value.body == {"photo": [MediaKind.IMAGE.invalid_message]}


def test_jpeg_parsing_is_linear_in_hostile_input() -> None:
    import contextlib
    import time

    fill = b"\xff\xd8" + b"\xff" * 1_900_000 + b"\xc0\x00"  # truncated: accepted, nothing to decode
    tiny_segments = b"\xff\xd8" + b"\xff\xfe\x00\x02" * 450_000  # refused after 1000 segments
    for data in (fill, tiny_segments):
        started = time.perf_counter()
        with contextlib.suppress(InvalidInput):
            check_upload(Upload("a.jpg", data), ANY_IMAGE, "photo")
        assert time.perf_counter() - started < 0.5
    with pytest.raises(InvalidInput):
        check_upload(Upload("a.jpg", tiny_segments), ANY_IMAGE, "photo")


def docx_bytes(*, entries: int = 2, unpacked_mb: int = 0) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        with archive.open("word/document.xml", "w") as document:
            document.write(b"<w:document/>")
            megabyte = b"\x00" * 1_000_000
            for _ in range(unpacked_mb):
                document.write(megabyte)
        for i in range(entries - 2):
            archive.writestr(f"word/media/{i}.xml", "")
    return buffer.getvalue()


def test_a_normal_docx_is_accepted() -> None:
    assert check_upload(Upload("cv.docx", docx_bytes(entries=40, unpacked_mb=2)), DOCUMENT_5MB, "resume") == (
        DOCX,
        "docx",
    )


def test_a_zip_bomb_document_is_refused() -> None:
    bomb = docx_bytes(unpacked_mb=101)
    assert len(bomb) < 1_000_000  # small on the wire
    with pytest.raises(InvalidInput) as caught:
        check_upload(Upload("cv.docx", bomb), DOCUMENT_5MB, "resume")
    assert caught.value.body == {"resume": ["Document refused: it unpacks to more than 100 MB."]}


def test_a_document_of_too_many_entries_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_upload(Upload("cv.docx", docx_bytes(entries=1_001)), DOCUMENT_5MB, "resume")
    assert "more than 1000 entries" in caught.value.body["resume"][0]
