"""Skill names: normalisation, the alias vocabulary, and finding skills in text. Standard library only."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from core.jobs.ats.scoring.aliases import AMBIGUOUS, SKILL_ALIASES

__all__ = ("DEFAULT_VOCABULARY", "Skill", "SkillVocabulary", "normalise")

_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SPACES = re.compile(r"[\s_]+")
_EDGE = re.compile(r"^[^\w+#.]+|[^\w+#]+$")


def normalise(raw: str) -> str:
    """The comparison key of a skill as written: NFKC, case-folded, without parenthesised notes ("Python (5
    years)"), surrounding punctuation or repeated spaces; ``+``, ``#`` and inner dots are kept (C++, C#, Node.js)."""
    text = unicodedata.normalize("NFKC", raw).casefold()
    text = _PARENS.sub(" ", text)
    text = text.replace("-", " ") if not text.strip().startswith("-") else text
    text = _SPACES.sub(" ", text).strip()
    text = _EDGE.sub("", text)
    return text.strip()


@dataclass(frozen=True, slots=True)
class Skill:
    """A skill: ``key`` (what is compared) and ``name`` (what is shown)."""

    key: str
    name: str


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    alternatives = sorted({p for p in phrases if p}, key=lambda p: (-len(p), p))
    body = "|".join(re.escape(p).replace(r"\ ", r"[\s\-]+") for p in alternatives)
    return re.compile(rf"(?<![\w+#.])(?:{body})(?![\w+#]|\.\w)")


class SkillVocabulary:
    """Canonical skills and their aliases (``{display name: (alias, ...)}``), e.g. ``"k8s"`` → Kubernetes."""

    def __init__(self, aliases: Mapping[str, Iterable[str]], ambiguous: Iterable[str] = ()) -> None:
        self._canonical: dict[str, Skill] = {}
        self._phrases: dict[str, set[str]] = {}
        for name, others in aliases.items():
            skill = Skill(key=normalise(name), name=name)
            for spelling in (name, *others):
                key = normalise(spelling)
                if key:
                    self._canonical.setdefault(key, skill)
                    self._phrases.setdefault(skill.key, set()).add(key)
        self._ambiguous = frozenset(normalise(name) for name in ambiguous)

    def canonical(self, raw: str) -> Skill | None:
        """The skill ``raw`` names: the vocabulary's canonical skill, else the cleaned text itself; ``None`` when
        nothing is left after cleaning."""
        key = normalise(raw)
        if not key or len(key) > 60:
            return None
        known = self._canonical.get(key)
        if known is not None:
            return known
        name = re.sub(r"\s+", " ", _PARENS.sub(" ", unicodedata.normalize("NFKC", raw))).strip(" \t,;:.-|*•")
        return Skill(key=key, name=name or key)

    def knows(self, raw: str) -> bool:
        """Whether ``raw`` is a spelling of one of the vocabulary's skills."""
        return normalise(raw) in self._canonical

    def is_ambiguous(self, skill: Skill) -> bool:
        return skill.key in self._ambiguous

    def phrases(self, skill: Skill) -> frozenset[str]:
        """Every normalised spelling of ``skill`` (its key alone when the vocabulary does not know it)."""
        return frozenset(self._phrases.get(skill.key, {skill.key}))

    @cached_property
    def _known(self) -> tuple[tuple[Skill, re.Pattern[str]], ...]:
        seen: dict[str, Skill] = {}
        for skill in self._canonical.values():
            seen.setdefault(skill.key, skill)
        return tuple(
            (skill, _phrase_pattern(self._phrases[key]))
            for key, skill in sorted(seen.items())
            if key not in self._ambiguous
        )

    def mentions(self, text: str, skill: Skill) -> bool:
        """Whether ``text`` (any case) writes ``skill`` or one of its aliases as a whole word or phrase."""
        return _phrase_pattern(self.phrases(skill)).search(fold(text)) is not None

    def found_in(self, text: str) -> tuple[Skill, ...]:
        """The vocabulary's unambiguous skills that ``text`` mentions, by key order."""
        folded = fold(text)
        return tuple(skill for skill, pattern in self._known if pattern.search(folded))


def fold(text: str) -> str:
    """Text prepared for phrase search: NFKC, case-folded, hyphens as spaces."""
    return unicodedata.normalize("NFKC", text).casefold().replace("-", " ")


DEFAULT_VOCABULARY = SkillVocabulary(SKILL_ALIASES, AMBIGUOUS)
