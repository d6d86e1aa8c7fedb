"""Industry classification of free text (post bodies, reposts, job postings)."""

from __future__ import annotations

from typing import Protocol

__all__ = ("IndustryClassifier",)


class IndustryClassifier(Protocol):
    def classify(self, text: str) -> list[str]:
        """Tag ``text`` with the industries it is about.

        Returns one or more values from the valid ``industry`` option list, ordered by score descending then by
        name; ``["others"]`` when nothing matches (including empty text). Synchronous and pure CPU: the same text
        always gives the same labels, and callers may run it off the event loop for very long texts.
        """
        ...
