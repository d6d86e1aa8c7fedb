"""The jobs domain's shared vocabularies (board, and later tracker and ATS): enums in code, not free text."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from typing import TypeVar

from core.shared.errors import InvalidInput

__all__ = ("EmploymentType", "ExperienceLevel", "WorkType", "choice", "words")

E = TypeVar("E", bound=StrEnum)


class EmploymentType(StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    INTERNSHIP = "internship"
    FREELANCE = "freelance"
    CONTRACT = "contract"


class WorkType(StrEnum):
    REMOTE = "remote"
    ONSITE = "onsite"
    HYBRID = "hybrid"


class ExperienceLevel(StrEnum):
    ENTRY = "entry"
    MID = "mid"
    SENIOR = "senior"
    EXECUTIVE = "executive"


_WORD = re.compile(r"[^\W_]+")
# Words that say nothing about a job: they never make two titles match.
STOP_WORDS = frozenset({"and", "the", "for", "with", "of", "in", "at", "to", "a", "an", "or", "on", "job"})
MAX_WORDS = 32
WORD_MAX = 64


def words(text: str) -> tuple[str, ...]:
    """The distinct searchable words of ``text``: NFKC, lower-cased, letters and digits only, stop words and
    one-letter words left out, in order of first appearance, at most ``MAX_WORDS`` of at most ``WORD_MAX``
    characters. Titles, searches and preferences are compared through these words."""
    seen: list[str] = []
    for raw in _WORD.findall(unicodedata.normalize("NFKC", text).casefold()):
        word = raw[:WORD_MAX]
        if len(word) < 2 or word in STOP_WORDS or word in seen:
            continue
        seen.append(word)
        if len(seen) == MAX_WORDS:
            break
    return tuple(seen)


def choice(kind: type[E], value: object, field: str) -> E:
    """``value`` as a member of ``kind``, or the DRF choice error for ``field``."""
    if isinstance(value, str):
        try:
            return kind(value.strip().lower())
        except ValueError:
            pass
    raise InvalidInput.field(field, f'"{value}" is not a valid choice.')
