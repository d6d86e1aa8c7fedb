"""Résumé text extraction with the real libraries (pypdf, python-docx) on documents built for the tests: the
sample PDF and DOCX read, parse and score to the same asserted values every time; the bytes decide the type; a
broken, truncated, encrypted, hostile or huge file fails cleanly with ``UnreadableDocument`` and its reason."""

from __future__ import annotations

import asyncio
import io
import threading
import zipfile
from datetime import date
from decimal import Decimal
from fractions import Fraction

import docx
import pytest
from pypdf import PdfWriter

from adapters.documents import DocumentLimits, ThreadedDocumentText, extract, extract_text
from core.jobs.ats.scoring import Component, DegreeLevel, HiringCriteria, ScoreWeights, parse_resume, score_resume
from core.shared.media import DOCX, PDF
from ports.documents import DocumentText, UnreadableDocument, UnreadableReason
from tests.resume_samples import PDF_RESUME_PAGES, docx_bytes, pdf_bytes, resume_docx
from tests.samples import png_bytes

pytestmark = pytest.mark.anyio

TODAY = date(2026, 11, 30)


@pytest.fixture
def reader() -> DocumentText:
    return ThreadedDocumentText()


def _reason(data: bytes, limits: DocumentLimits | None = None) -> UnreadableReason:
    with pytest.raises(UnreadableDocument) as caught:
        extract_text(data, "application/octet-stream", limits)
    assert caught.value.body == {"resume": [caught.value.message]}
    return caught.value.reason


# ------------------------------------------------------------------------------------------------ the samples

PDF_CRITERIA = HiringCriteria(
    weights=ScoreWeights(4000, 3000, 1000, 1000, 1000),
    must_have_skills=("Python", "PostgreSQL", "Kubernetes", "Terraform"),
    skills=("FastAPI", "Docker", "Go"),
    min_experience_years=5,
    max_experience_years=12,
    title="Senior Backend Engineer",
    description="Bachelor's degree in computer science or similar.",
)


async def test_the_sample_pdf_reads_parses_and_scores_deterministically(reader: DocumentText) -> None:
    data = pdf_bytes(PDF_RESUME_PAGES)
    text = await reader.text_of(data, PDF)
    assert text.splitlines() == [line for page in PDF_RESUME_PAGES for line in page]
    assert "Mar 2021 – Present" in text  # WinAnsi en dash back as U+2013
    assert await reader.text_of(pdf_bytes(PDF_RESUME_PAGES, compress=True), PDF) == text

    parsed = parse_resume(text, TODAY)
    assert [s.name for s in parsed.skills] == ["Python", "PostgreSQL", "Docker", "Kubernetes", "REST APIs", "Go"]
    assert [e.heading for e in parsed.experience] == [
        "Senior Backend Engineer, Northwind Example Ltd",
        "Backend Engineer | Contoso Sample Inc",
    ]
    assert [e.months for e in parsed.experience] == [69, 60]
    assert parsed.experience_months == 119  # Jan 2017 – Nov 2026; 2021 counted once
    assert parsed.education_level is DegreeLevel.BACHELOR
    assert [p.title for p in parsed.projects] == [
        "Ledger - a double-entry ledger service in Python",
        "Trail Maps - a hiking map app",
    ]
    assert parsed.certifications == (
        "Certified Kubernetes Application Developer (CKAD)",
        "Example Cloud Practitioner",
    )

    result = score_resume(text, PDF_CRITERIA, TODAY)
    # skills: must-haves Python, PostgreSQL, Kubernetes (Terraform missing); others FastAPI, Docker, Go all there:
    # (2·3 + 3) / (2·4 + 3) = 9/11, times 3/4 → 27/44
    assert [c.fit for c in result.components] == [Fraction(27, 44), 1, Fraction(1, 2), 1, 1]
    assert [str(c.value) for c in result.components] == ["2.45", "3.00", "0.50", "1.00", "1.00"]
    assert result.overall == Decimal("7.95")
    assert result.skills_matched == ("Python", "PostgreSQL", "Kubernetes", "FastAPI", "Docker", "Go")
    assert result.must_have_missing == ("Terraform",)
    assert result.relevant_experience_months == 119
    assert result.reasons["skills"] == (
        "Matched 3 of 4 must-have skills (missing: Terraform) and 3 of 3 other job skills; fit 61%."
    )
    assert score_resume(await reader.text_of(data, PDF), PDF_CRITERIA, TODAY) == result


DOCX_CRITERIA = HiringCriteria(
    must_have_skills=("Spark", "Kafka", "SQL"),
    skills=("Airflow", "dbt", "AWS"),
    min_experience_years=3,
    description="Data engineer. A master's degree is a plus.",
)


async def test_the_sample_docx_reads_parses_and_scores_deterministically(reader: DocumentText) -> None:
    data = resume_docx()
    text = await reader.text_of(data, DOCX)
    lines = text.splitlines()
    assert lines[:2] == ["Sam Placeholder", "sam.placeholder@example.com"]
    assert "Data\tApache Spark, Kafka, Airflow, Pandas" in lines  # a table row, cells tab-separated
    assert "Built Spark and Kafka pipelines on AWS" in lines

    parsed = parse_resume(text, TODAY)
    assert [s.name for s in parsed.skills] == [
        "Python", "SQL", "Scala", "Spark", "Kafka", "Airflow", "Pandas", "AWS", "Terraform",
    ]  # fmt: skip
    assert [e.months for e in parsed.experience] == [54, 32]
    assert parsed.experience_months == 83
    assert parsed.education_level is DegreeLevel.MASTER
    assert [p.title for p in parsed.projects] == ["Streaming metrics"]
    assert parsed.certifications == ("AWS Certified Data Analytics – Specialty",)

    result = score_resume(text, DOCX_CRITERIA, TODAY)
    # skills: all 3 must-haves, 2 of 3 others (dbt missing) → (6 + 2) / 9
    assert [c.fit for c in result.components] == [Fraction(8, 9), 1, Fraction(1, 2), 1, 1]
    assert [str(c.value) for c in result.components] == ["2.67", "3.00", "1.00", "1.00", "1.00"]
    assert result.overall == Decimal("8.67")
    assert result.component(Component.EDUCATION).reason == (
        "Highest education: master's degree; the job asks for a master's degree; fit 100%."
    )
    assert score_resume(await reader.text_of(resume_docx(), DOCX), DOCX_CRITERIA, TODAY) == result


async def test_the_bytes_decide_not_the_declared_type(reader: DocumentText) -> None:
    assert (await reader.text_of(resume_docx(), PDF)).startswith("Sam Placeholder")
    assert (await reader.text_of(pdf_bytes([["Hello"]]), "image/png")) == "Hello"
    with pytest.raises(UnreadableDocument) as caught:
        await reader.text_of(png_bytes(), PDF)
    assert caught.value.reason is UnreadableReason.UNSUPPORTED
    assert _reason(b"Plain text, Python, Go\n") is UnreadableReason.UNSUPPORTED
    assert _reason(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600) is UnreadableReason.UNSUPPORTED  # .doc


def test_docx_text_boxes_and_merged_cells_are_read_once() -> None:
    document = docx.Document()
    document.add_paragraph("Skills")
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "Python, Go"
    table.cell(1, 0).text, table.cell(1, 2).text = "Docker", "AWS"
    inner = table.cell(1, 1).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "Kafka"
    lines = extract_text(docx_bytes(document)).splitlines()
    assert lines == ["Skills", "Python, Go", "Kafka", "Docker\tAWS"]


# ---------------------------------------------------------------------------------------- what fails, cleanly


def test_truncated_and_malformed_pdfs_are_broken() -> None:
    data = pdf_bytes(PDF_RESUME_PAGES)
    for size in (5, 10, 100, len(data) // 2, len(data) - 40, len(data) - 8):
        assert _reason(data[:size]) is UnreadableReason.BROKEN, size
    assert _reason(b"%PDF-1.7\n" + b"\xff\x00garbage" * 200) is UnreadableReason.BROKEN
    looping = data.replace(b"/Kids [3 0 R 5 0 R]", b"/Kids [2 0 R 2 0 R]")
    assert looping != data
    assert _reason(looping) in (UnreadableReason.BROKEN, UnreadableReason.EMPTY)


def test_truncated_and_malformed_docx_are_broken() -> None:
    data = resume_docx()
    for size in (4, 100, len(data) // 2, len(data) - 30):
        assert _reason(data[:size]) is UnreadableReason.BROKEN, size
    not_word = io.BytesIO()
    with zipfile.ZipFile(not_word, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert _reason(not_word.getvalue()) is UnreadableReason.BROKEN
    bad_xml = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(bad_xml, "w") as archive:
        for item in source.infolist():
            body = source.read(item)
            archive.writestr(item, b"<w:document><unclosed>" if item.filename == "word/document.xml" else body)
    assert _reason(bad_xml.getvalue()) is UnreadableReason.BROKEN


def test_encrypted_documents() -> None:
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes([["Secret résumé"]])))
    writer.encrypt(user_password="letmein", owner_password="owner", algorithm="RC4-128")
    locked = io.BytesIO()
    writer.write(locked)
    assert _reason(locked.getvalue()) is UnreadableReason.ENCRYPTED

    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes([["Readable with no password"]])))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    open_to_all = io.BytesIO()
    writer.write(open_to_all)
    assert extract_text(open_to_all.getvalue()) == "Readable with no password"

    # A password-protected Word file is an OLE container holding an "EncryptedPackage" stream.
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64
    assert _reason(ole) is UnreadableReason.ENCRYPTED


def test_huge_files_and_bombs_are_refused() -> None:
    assert _reason(b"%PDF-1.4\n" + b" " * 10_000_000) is UnreadableReason.TOO_LARGE  # over 10 MB, not parsed
    assert _reason(pdf_bytes([["x"]]), DocumentLimits(max_bytes=100)) is UnreadableReason.TOO_LARGE
    assert _reason(b"") is UnreadableReason.EMPTY

    # A page whose content stream inflates to 5 MB.
    bomb = pdf_bytes([["x" * 5_000_000]], compress=True)
    assert len(bomb) < 200_000
    assert _reason(bomb) is UnreadableReason.TOO_LARGE

    # A DOCX whose archive declares 60 MB, or 1,001 entries.
    big = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(resume_docx())) as source, zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item, source.read(item))
        out.writestr("word/media/padding.bin", b"\x00" * 60_000_000)
    assert len(big.getvalue()) < 1_000_000
    assert _reason(big.getvalue()) is UnreadableReason.TOO_LARGE
    many = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(resume_docx())) as source, zipfile.ZipFile(many, "w") as out:
        for item in source.infolist():
            out.writestr(item, source.read(item))
        for i in range(1_001):
            out.writestr(f"extra/item{i}.xml", b"")
    assert _reason(many.getvalue()) is UnreadableReason.TOO_LARGE


def test_pages_and_characters_are_bounded() -> None:
    pages = [[f"Page {n}"] for n in range(1, 31)]
    assert extract_text(pdf_bytes(pages)).splitlines() == [f"Page {n}" for n in range(1, 21)]
    assert extract_text(pdf_bytes(pages), limits=DocumentLimits(max_pages=2)) == "Page 1\nPage 2"
    long = extract_text(pdf_bytes([["y" * 80] * 40]), limits=DocumentLimits(max_chars=500))
    assert len(long) <= 500


def test_a_document_without_text_is_empty() -> None:
    assert _reason(pdf_bytes([[]])) is UnreadableReason.EMPTY
    assert _reason(docx_bytes(docx.Document())) is UnreadableReason.EMPTY


def test_the_deadline_stops_the_work() -> None:
    assert _reason(pdf_bytes(PDF_RESUME_PAGES), DocumentLimits(max_seconds=0)) is UnreadableReason.TOO_LARGE
    assert _reason(resume_docx(), DocumentLimits(max_seconds=0)) is UnreadableReason.TOO_LARGE


async def test_a_stuck_extraction_times_out_and_does_not_hold_up_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    reader = ThreadedDocumentText(DocumentLimits(max_seconds=1), workers=1)
    release = threading.Event()
    real = extract.extract_text

    def stuck(data: bytes, content_type: str, limits: DocumentLimits | None = None) -> str:
        release.wait(10)  # a library call that does not return in time
        return "too late"

    monkeypatch.setattr(extract, "extract_text", stuck)
    try:
        with pytest.raises(UnreadableDocument) as caught:
            await reader.text_of(pdf_bytes([["late"]]), PDF)
        assert caught.value.reason is UnreadableReason.TOO_LARGE
        monkeypatch.setattr(extract, "extract_text", real)
        # The only slot was given back at the timeout although the stuck thread still runs.
        assert await reader.text_of(pdf_bytes([["next"]]), PDF) == "next"
    finally:
        release.set()


async def test_errors_reach_the_caller(reader: DocumentText) -> None:
    with pytest.raises(UnreadableDocument) as caught:
        await reader.text_of(pdf_bytes(PDF_RESUME_PAGES)[:200], PDF)
    assert caught.value.reason is UnreadableReason.BROKEN
    with pytest.raises(UnreadableDocument) as caught:
        await reader.text_of(b"%PDF-" + b" " * 10_000_001, PDF)
    assert caught.value.reason is UnreadableReason.TOO_LARGE


async def test_extraction_runs_off_the_event_loop() -> None:
    reader = ThreadedDocumentText()
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(ticker())
    try:
        text = await reader.text_of(pdf_bytes([[f"Line {i}" for i in range(40)] for _ in range(20)]), PDF)
    finally:
        task.cancel()
    assert text.startswith("Line 0")
    assert ticks > 1  # the loop kept running while the document was read
