"""Document text extraction (``ports.documents.DocumentText``): PDF with pypdf, DOCX with python-docx."""

from adapters.documents.extract import DocumentLimits, ThreadedDocumentText, extract_text

__all__ = ("DocumentLimits", "ThreadedDocumentText", "extract_text")
