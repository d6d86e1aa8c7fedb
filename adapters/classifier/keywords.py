"""Deterministic keyword/lexicon industry classifier (the default ``IndustryClassifier``).

The text is normalised (NFKC, casefold, accents dropped) and split into words; ``#`` and punctuation are
separators, so ``#AgriTech`` is the word ``agritech``. At each word the longest lexicon term that starts there
(single word, stem or multi-word phrase) is taken, every industry listing that term scores one point, and
matching resumes after the term; so ``machine learning`` counts once for technology and its words are not
counted again on their own. Industries scoring at least ``min_score`` are returned by score descending then
name, at most ``max_labels`` of them; ``["others"]`` when none qualifies. No model files, no randomness.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from adapters.classifier.lexicon import INDUSTRY_LEXICON

__all__ = ("FALLBACK_INDUSTRY", "KeywordIndustryClassifier", "normalise_words")

FALLBACK_INDUSTRY = "others"
_MIN_STEM_LENGTH = 3
_WORD = re.compile(r"[^\W_]+")


def normalise_words(text: str) -> list[str]:
    """Split ``text`` into comparable words: NFKC, casefold, accents dropped, punctuation and ``#`` removed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    stripped = "".join(ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch))
    return _WORD.findall(stripped)


@dataclass(frozen=True, slots=True)
class _Part:
    word: str
    stem: bool

    def matches(self, token: str) -> bool:
        return token.startswith(self.word) if self.stem else token == self.word


@dataclass(frozen=True, slots=True)
class _Term:
    parts: tuple[_Part, ...]
    industries: frozenset[str]

    def matches_at(self, tokens: list[str], start: int) -> bool:
        if start + len(self.parts) > len(tokens):
            return False
        return all(part.matches(tokens[start + i]) for i, part in enumerate(self.parts))


def _parse_term(term: str) -> tuple[_Part, ...]:
    parts: list[_Part] = []
    for chunk in term.split():
        stem = chunk.endswith("*")
        words = normalise_words(chunk.rstrip("*"))
        if not words:
            continue
        parts.extend(_Part(word, stem=False) for word in words[:-1])
        parts.append(_Part(words[-1], stem=stem))
    if not parts:
        raise ValueError(f"lexicon term {term!r} has no words")
    for part in parts:
        if part.stem and len(part.word) < _MIN_STEM_LENGTH:
            raise ValueError(f"lexicon stem {term!r} is shorter than {_MIN_STEM_LENGTH} characters")
    return tuple(parts)


class KeywordIndustryClassifier:
    """Tags text with industries by counting lexicon terms; see the module docstring for the rules."""

    __slots__ = ("_exact", "_max_labels", "_min_score", "_stems")

    def __init__(
        self,
        lexicon: Mapping[str, Iterable[str]] | None = None,
        max_labels: int = 3,
        min_score: int = 1,
    ) -> None:
        if max_labels < 1:
            raise ValueError("max_labels must be at least 1")
        if min_score < 1:
            raise ValueError("min_score must be at least 1")
        self._max_labels = max_labels
        self._min_score = min_score
        source: Mapping[str, Iterable[str]] = INDUSTRY_LEXICON if lexicon is None else lexicon
        industries_by_parts: dict[tuple[_Part, ...], set[str]] = {}
        for industry, terms in source.items():
            if not industry or industry == FALLBACK_INDUSTRY:
                raise ValueError(f"invalid lexicon industry {industry!r}")
            for term in terms:
                industries_by_parts.setdefault(_parse_term(term), set()).add(industry)
        # Index terms by their first part: exact words by the word, stems by the stem.
        self._exact: dict[str, list[_Term]] = {}
        self._stems: dict[str, list[_Term]] = {}
        for parts, industries in sorted(industries_by_parts.items(), key=lambda item: _sort_key(item[0])):
            index = self._stems if parts[0].stem else self._exact
            index.setdefault(parts[0].word, []).append(_Term(parts, frozenset(industries)))

    def classify(self, text: str) -> list[str]:
        scores = self.scores(text)
        ranked = sorted(
            (industry for industry, score in scores.items() if score >= self._min_score),
            key=lambda industry: (-scores[industry], industry),
        )
        return ranked[: self._max_labels] or [FALLBACK_INDUSTRY]

    def scores(self, text: str) -> dict[str, int]:
        """The points each matched industry scored in ``text`` (industries without a match are absent)."""
        tokens = normalise_words(text)
        counts: Counter[str] = Counter()
        position = 0
        while position < len(tokens):
            length, industries = self._longest_match(tokens, position)
            counts.update(industries)
            position += max(length, 1)
        return dict(counts)

    def _longest_match(self, tokens: list[str], start: int) -> tuple[int, set[str]]:
        token = tokens[start]
        candidates = list(self._exact.get(token, ()))
        for end in range(_MIN_STEM_LENGTH, len(token) + 1):
            candidates.extend(self._stems.get(token[:end], ()))
        best = 0
        industries: set[str] = set()
        for term in candidates:
            size = len(term.parts)
            if size < best or not term.matches_at(tokens, start):
                continue
            if size > best:
                best, industries = size, set()
            industries |= term.industries
        return best, industries


def _sort_key(parts: tuple[_Part, ...]) -> tuple[tuple[str, bool], ...]:
    return tuple((part.word, part.stem) for part in parts)
