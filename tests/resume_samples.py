"""Résumés written for the tests (fictional people, example.com addresses), and documents built from them in code:
a small valid PDF with a text content stream written by hand, and a DOCX made with python-docx."""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from typing import Any

__all__ = ("PDF_RESUME_PAGES", "docx_bytes", "pdf_bytes", "resume_docx")

# Two pages; the en dashes are written in WinAnsi (octal 226) to check the text comes back as "–".
PDF_RESUME_PAGES: tuple[tuple[str, ...], ...] = (
    (
        "Alex Sample",
        "alex.sample@example.com | +00 000 000 000",
        "SUMMARY",
        "Backend engineer building reliable web services.",
        "SKILLS",
        "Python, PostgreSQL, Docker, k8s, REST APIs, Golang",
        "WORK EXPERIENCE",
        "Senior Backend Engineer, Northwind Example Ltd",
        "Mar 2021 – Present",
        "- Designed REST APIs in Python and FastAPI over PostgreSQL",
        "Backend Engineer | Contoso Sample Inc | 2017 – 2021",
        "- Maintained Java and Python services on Kubernetes",
    ),
    (
        "PROJECTS",
        "Ledger - a double-entry ledger service in Python",
        "- PostgreSQL, Docker",
        "Trail Maps - a hiking map app",
        "- Flutter front end",
        "EDUCATION",
        "B.Sc. Computer Science, Example University, 2013 – 2017",
        "CERTIFICATIONS",
        "Certified Kubernetes Application Developer (CKAD)",
        "Example Cloud Practitioner",
    ),
)


def _pdf_string(text: str) -> bytes:
    if text.isascii() and text.isprintable() and not any(c in text for c in "()\\"):
        return b"(" + text.encode("ascii") + b")"
    out = bytearray(b"(")
    for byte in text.encode("cp1252"):
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif byte < 32 or byte > 126:
            out += b"\\%03o" % byte
        else:
            out.append(byte)
    return bytes(out + b")")


def pdf_bytes(pages: Sequence[Sequence[str]], *, compress: bool = False) -> bytes:
    """A valid PDF 1.4: one page per item, each line shown with Helvetica (WinAnsi), correct xref offsets."""
    n_pages = len(pages)
    font_id = 3 + 2 * n_pages
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(n_pages))
        + b"] /Count %d >>" % n_pages,
    ]
    for i, lines in enumerate(pages):
        content = b"BT /F1 11 Tf 14 TL 50 760 Td " + b" T* ".join(_pdf_string(line) + b" Tj" for line in lines) + b" ET"
        stream_dict = b"<< /Length %d >>"
        if compress:
            content = zlib.compress(content)
            stream_dict = b"<< /Length %d /Filter /FlateDecode >>"
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R"
            b" /Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * i, font_id)
        )
        objects.append(stream_dict % len(content) + b"\nstream\n" + content + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


DOCX_NAME = "Sam Placeholder"
DOCX_CONTACT = "sam.placeholder@example.com"
DOCX_SUMMARY = "Data engineer with 4 years of experience in pipelines and analytics."
DOCX_SKILLS = (
    ("Languages", "Python, SQL, Scala"),
    ("Data", "Apache Spark, Kafka, Airflow, Pandas"),
    ("Cloud", "AWS, Terraform"),
)
DOCX_EXPERIENCE = (
    ("Data Engineer at Fabrikam Example", "June 2022 – Present", ("Built Spark and Kafka pipelines on AWS",)),
    ("Junior Data Engineer at Tailspin Sample", "01/2020 - 08/2022", ("Wrote SQL reports and Python ETL jobs",)),
)
DOCX_PROJECTS = (("Streaming metrics", "Kafka consumer that aggregates metrics into PostgreSQL"),)
DOCX_EDUCATION = (
    "Master of Science in Data Science, Example Institute, 2018 – 2020",
    "B.Tech Information Technology, 2014 – 2018",
)
DOCX_CERTIFICATIONS = ("AWS Certified Data Analytics – Specialty",)


def resume_docx() -> bytes:
    """The DOCX_* résumé as a Word document: headings, bullet paragraphs and the skills as a two-column table."""
    import docx

    document = docx.Document()
    document.add_heading(DOCX_NAME, level=0)
    document.add_paragraph(DOCX_CONTACT)
    document.add_heading("Professional Summary", level=1)
    document.add_paragraph(DOCX_SUMMARY)
    document.add_heading("Technical Skills", level=1)
    table = document.add_table(rows=0, cols=2)
    for label, items in DOCX_SKILLS:
        row = table.add_row().cells
        row[0].text, row[1].text = label, items
    document.add_heading("Experience", level=1)
    for heading, period, bullets in DOCX_EXPERIENCE:
        document.add_paragraph(heading)
        document.add_paragraph(period)
        for bullet in bullets:
            document.add_paragraph(bullet, style="List Bullet")
    document.add_heading("Projects", level=1)
    for title, description in DOCX_PROJECTS:
        document.add_paragraph(title)
        document.add_paragraph(description, style="List Bullet")
    document.add_heading("Education", level=1)
    for line in DOCX_EDUCATION:
        document.add_paragraph(line)
    document.add_heading("Certifications", level=1)
    for line in DOCX_CERTIFICATIONS:
        document.add_paragraph(line, style="List Bullet")
    return docx_bytes(document)


def docx_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
