"""The explainable scorer: five components, each ``10 × weight × fit`` with ``fit`` in [0, 1], overall = their sum.

Exact and reproducible: weights are integer basis points summing to exactly 10,000 (0.30 → 3000), fits are
``Fraction``s, points are ``Fraction``s; rounding (half up, 2 decimals) happens only in the presentation
properties. The presented overall is the sum of the presented components, so the stored numbers add up exactly
as in the seed's examples. The fit rules are documented on each ``_fit_*`` function and in the README
("Résumé scoring").
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction

from core.jobs.ats.scoring.dates import union_months
from core.jobs.ats.scoring.parser import DegreeLevel, ParsedResume, degree_level, parse_resume
from core.jobs.ats.scoring.skills import DEFAULT_VOCABULARY, Skill, SkillVocabulary
from core.shared.errors import InvalidInput

__all__ = (
    "BASIS_POINTS",
    "PROJECTS_FOR_FULL_FIT",
    "Component",
    "ComponentScore",
    "HiringCriteria",
    "ScoreResult",
    "ScoreWeights",
    "components_from_fits",
    "present",
    "score_parsed",
    "score_resume",
)

BASIS_POINTS = 10_000  # a weight of 1
PROJECTS_FOR_FULL_FIT = 2
MUST_HAVE_FACTOR = 2  # a must-have skill counts twice as much as another skill of the job
_CENT = Decimal("0.01")


class Component(StrEnum):
    SKILLS = "skills"
    WORK_EXPERIENCE = "work_experience"
    PROJECTS = "projects"
    EDUCATION = "education"
    CERTIFICATIONS = "certifications"


def present(value: Fraction) -> Decimal:
    """``value`` rounded half up to 2 decimals (the only rounding there is)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class ScoreWeights:
    """The job's weights in basis points (``3000`` = 0.30); they must sum to exactly 10,000 (= 1)."""

    skills: int = 3000
    work_experience: int = 3000
    projects: int = 2000
    education: int = 1000
    certifications: int = 1000

    def __post_init__(self) -> None:
        values = self.as_dict().values()
        if any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in values):
            raise InvalidInput.field("score_weight", "Each weight must be a number between 0 and 1.")
        if sum(values) != BASIS_POINTS:
            raise InvalidInput.field("score_weight", "The score weights must sum to 1.")

    def as_dict(self) -> dict[str, int]:
        return {c.value: self.of(c) for c in Component}

    def of(self, component: Component) -> int:
        value: int = getattr(self, component.value)
        return value

    @classmethod
    def from_decimals(cls, weights: Mapping[str, Decimal | str | int]) -> ScoreWeights:
        """From weights written as decimals (``{"skills": "0.30", ...}``, a missing component is 0): each must be a
        multiple of 0.0001 between 0 and 1, and they must sum to exactly 1 (``InvalidInput`` on ``score_weight``)."""
        unknown = set(weights) - {c.value for c in Component}
        if unknown:
            raise InvalidInput.field("score_weight", f"Unknown weight: {sorted(unknown)[0]}.")
        points: dict[str, int] = {}
        for component in Component:
            raw = weights.get(component.value, 0)
            try:
                value = Decimal(str(raw)) * BASIS_POINTS if not isinstance(raw, bool) else Decimal("NaN")
            except InvalidOperation:
                value = Decimal("NaN")
            if not value.is_finite() or value != value.to_integral_value() or not 0 <= value <= BASIS_POINTS:
                raise InvalidInput.field(
                    "score_weight", "Each weight must be a number between 0 and 1 with at most 4 decimals."
                )
            points[component.value] = int(value)
        return cls(**points)

    def as_decimals(self) -> dict[str, Decimal]:
        return {name: Decimal(v) / BASIS_POINTS for name, v in self.as_dict().items()}


Years = int | Decimal | Fraction


@dataclass(frozen=True, slots=True)
class HiringCriteria:
    """What a job asks for. ``skills``: the job's skills besides the must-haves (the job description's known
    skills are added); ``min/max_experience_years``: ``None`` for no bound; ``min_education``: ``None`` to read
    it from the description (a bachelor's degree when the description names none)."""

    weights: ScoreWeights = field(default_factory=ScoreWeights)
    must_have_skills: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    min_experience_years: Years | None = None
    max_experience_years: Years | None = None
    title: str = ""
    description: str = ""
    min_education: DegreeLevel | None = None

    def __post_init__(self) -> None:
        for name in ("min_experience_years", "max_experience_years"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or Fraction(value) < 0):
                raise InvalidInput.field(name.removesuffix("_years"), "Experience must be a positive number of years.")
        low, high = self.min_experience_years, self.max_experience_years
        if low is not None and high is not None and Fraction(high) < Fraction(low):
            raise InvalidInput.field("max_experience", "The maximum experience is below the minimum.")


@dataclass(frozen=True, slots=True)
class ComponentScore:
    """One component: its weight (basis points), its fit in [0, 1] and why. ``points`` = 10 × weight × fit."""

    component: Component
    weight: int
    fit: Fraction
    reason: str

    def __post_init__(self) -> None:
        if not 0 <= self.fit <= 1:
            raise ValueError(f"fit {self.fit} is outside [0, 1]")
        if not 0 <= self.weight <= BASIS_POINTS:
            raise ValueError(f"weight {self.weight} is outside [0, {BASIS_POINTS}]")

    @property
    def points(self) -> Fraction:
        return 10 * Fraction(self.weight, BASIS_POINTS) * self.fit

    @property
    def value(self) -> Decimal:
        """The points rounded half up to 2 decimals, e.g. ``Decimal("3.90")``."""
        return present(self.points)

    @property
    def fit_permille(self) -> int:
        """The fit in thousandths, rounded half up (for display and storage)."""
        return math.floor(self.fit * 1000 + Fraction(1, 2))


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """The score of one résumé for one job: the components (in ``Component`` order), the job skills the résumé
    matched (display names, must-haves first), the must-have skills it misses, and what was parsed."""

    components: tuple[ComponentScore, ...]
    skills_matched: tuple[str, ...] = ()
    must_have_missing: tuple[str, ...] = ()
    parsed: ParsedResume = field(default_factory=ParsedResume)
    relevant_experience_months: int = 0

    def component(self, component: Component | str) -> ComponentScore:
        wanted = Component(component)
        return next(c for c in self.components if c.component is wanted)

    @property
    def overall_exact(self) -> Fraction:
        return sum((c.points for c in self.components), Fraction(0))

    @property
    def overall(self) -> Decimal:
        """The sum of the presented components (0.00–10.00), so the stored numbers add up exactly."""
        return sum((c.value for c in self.components), Decimal("0.00"))

    @property
    def reasons(self) -> dict[str, str]:
        return {c.component.value: c.reason for c in self.components}

    @property
    def skill_match_count(self) -> int:
        return len(self.skills_matched)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready snapshot (strings for the exact numbers) to store beside the score."""
        return {
            "overall": str(self.overall),
            "components": {
                c.component.value: {
                    "weight": c.weight,
                    "fit": f"{c.fit.numerator}/{c.fit.denominator}",
                    "score": str(c.value),
                    "reason": c.reason,
                }
                for c in self.components
            },
            "skills_matched": list(self.skills_matched),
            "must_have_missing": list(self.must_have_missing),
            "experience_months": self.parsed.experience_months,
            "relevant_experience_months": self.relevant_experience_months,
            "education_level": self.parsed.education_level.name.lower(),
        }


def components_from_fits(
    weights: ScoreWeights, fits: Mapping[Component, Fraction], reasons: Mapping[Component, str] | None = None
) -> tuple[ComponentScore, ...]:
    """The five components for given fits (a missing fit is 0), in ``Component`` order."""
    return tuple(
        ComponentScore(
            component=c,
            weight=weights.of(c),
            fit=Fraction(fits.get(c, Fraction(0))),
            reason=(reasons or {}).get(c, ""),
        )
        for c in Component
    )


# ------------------------------------------------------------------------------------------------- the rules


def _pct(fit: Fraction) -> str:
    return f"{present(fit * 100):.0f}%"


def _names(skills: Iterable[Skill]) -> str:
    return ", ".join(s.name for s in skills)


@dataclass(frozen=True, slots=True)
class _JobSkills:
    must: tuple[Skill, ...]
    other: tuple[Skill, ...]

    @property
    def all(self) -> tuple[Skill, ...]:
        return (*self.must, *self.other)


def _job_skills(criteria: HiringCriteria, vocabulary: SkillVocabulary) -> _JobSkills:
    must: dict[str, Skill] = {}
    for raw in criteria.must_have_skills:
        skill = vocabulary.canonical(raw)
        if skill is not None:
            must.setdefault(skill.key, skill)
    other: dict[str, Skill] = {}
    named = [vocabulary.canonical(raw) for raw in criteria.skills]
    described = vocabulary.found_in(f"{criteria.title}\n{criteria.description}")
    for skill in (*named, *described):
        if skill is not None and skill.key not in must:
            other.setdefault(skill.key, skill)
    return _JobSkills(must=tuple(must.values()), other=tuple(other.values()))


def _has(parsed: ParsedResume, skill: Skill, vocabulary: SkillVocabulary) -> bool:
    """The résumé has ``skill`` when its skills section lists it, or (unless the name is ambiguous, like "Go")
    when a scored section mentions it or one of its aliases."""
    if skill.key in parsed.skill_keys:
        return True
    return not vocabulary.is_ambiguous(skill) and vocabulary.mentions(parsed.body, skill)


def _mentions_any(text: str, skills: Sequence[Skill], vocabulary: SkillVocabulary) -> bool:
    return any(vocabulary.mentions(text, s) for s in skills if not vocabulary.is_ambiguous(s))


def _fit_skills(job: _JobSkills, has: Mapping[str, bool]) -> tuple[Fraction, str]:
    """Weighted coverage of the job's skills, a must-have counting ``MUST_HAVE_FACTOR`` times:
    ``(2·must matched + others matched) / (2·must + others)``; when a must-have is missing, that is multiplied by
    the share of must-haves matched (one of four missing: × 3/4; all missing: 0). No job skills: fit 0."""
    if not job.all:
        return Fraction(0), "The job names no skills to match; add must-have skills to its hiring settings."
    must_hit = [s for s in job.must if has[s.key]]
    other_hit = [s for s in job.other if has[s.key]]
    fit = Fraction(MUST_HAVE_FACTOR * len(must_hit) + len(other_hit), MUST_HAVE_FACTOR * len(job.must) + len(job.other))
    parts = []
    if job.must:
        missing = [s for s in job.must if not has[s.key]]
        parts.append(
            f"{len(must_hit)} of {len(job.must)} must-have skills"
            + (f" (missing: {_names(missing)})" if missing else "")
        )
        if missing:
            fit *= Fraction(len(must_hit), len(job.must))
    if job.other:
        parts.append(f"{len(other_hit)} of {len(job.other)} other job skills")
    return fit, f"Matched {' and '.join(parts)}; fit {_pct(fit)}."


def _fit_experience(months: int, criteria: HiringCriteria) -> tuple[Fraction, str]:
    """``min(1, months / (12 × min years))`` (1 when the job sets no minimum); above the maximum the fit is
    ``max(1/2, maximum / months)`` (over-qualified, but never below one half)."""
    found = f"{months} months of experience found"
    low = Fraction(criteria.min_experience_years or 0) * 12
    high = None if criteria.max_experience_years is None else Fraction(criteria.max_experience_years) * 12
    if low == 0:
        fit, why = Fraction(1), f"No minimum experience required; {found}"
    else:
        fit = min(Fraction(1), Fraction(months) / low)
        why = f"{found} for a minimum of {_years(low)}"
    if high is not None and months > high and high > 0:
        fit = min(fit, max(Fraction(1, 2), high / months))
        why += f", above the maximum of {_years(high)}"
    return fit, f"{why}; fit {_pct(fit)}."


def _years(months: Fraction) -> str:
    years = months / 12
    shown = f"{years.numerator}" if years.denominator == 1 else f"{float(years):.1f}"
    return f"{shown} year" + ("" if years == 1 else "s")


def _fit_projects(parsed: ParsedResume, job: _JobSkills, vocabulary: SkillVocabulary) -> tuple[Fraction, str]:
    """Relevant projects (naming a skill of the job; every project when the job names none), ``PROJECTS_FOR_FULL_FIT``
    of them for a full fit."""
    if not parsed.projects:
        return Fraction(0), "No projects found; fit 0%."
    relevant = [p for p in parsed.projects if not job.all or _mentions_any(p.text, job.all, vocabulary)]
    fit = Fraction(min(len(relevant), PROJECTS_FOR_FULL_FIT), PROJECTS_FOR_FULL_FIT)
    return fit, f"{len(relevant)} of {len(parsed.projects)} projects use the job's skills; fit {_pct(fit)}."


def _fit_education(parsed: ParsedResume, criteria: HiringCriteria) -> tuple[Fraction, str]:
    """``min(1, level / required level)`` on the scale secondary 1, associate/diploma 2, bachelor 3, master 4,
    doctorate 5; the required level is the criteria's, else the lowest degree the description names, else a
    bachelor's degree."""
    required = criteria.min_education
    if required is None:
        required = _lowest_named(criteria.description) or DegreeLevel.BACHELOR
    if required is DegreeLevel.NONE:
        fit = Fraction(1)
    else:
        fit = min(Fraction(1), Fraction(int(parsed.education_level), int(required)))
    level = parsed.education_level
    found = f"Highest education: {level.label}" if level else "No education found"
    return fit, f"{found}; the job asks for a {required.label}; fit {_pct(fit)}."


_DEGREE_WORDS = re.compile(
    r"\b(?:ph\.?\s?d|doctorate|master'?s?|mba|bachelor'?s?|b\.?sc|b\.?tech|diploma|associate'?s? degree|high school)\b",
    re.IGNORECASE,
)


def _lowest_named(description: str) -> DegreeLevel | None:
    levels = [degree_level(m.group(0)) for m in _DEGREE_WORDS.finditer(description)]
    levels = [lv for lv in levels if lv is not DegreeLevel.NONE]
    return min(levels) if levels else None


def _fit_certifications(parsed: ParsedResume, job: _JobSkills, vocabulary: SkillVocabulary) -> tuple[Fraction, str]:
    """1 with a certification naming a skill of the job (any certification when the job names none), 1/2 with
    certifications that name none, 0 without certifications."""
    if not parsed.certifications:
        return Fraction(0), "No certifications found; fit 0%."
    relevant = [c for c in parsed.certifications if not job.all or _mentions_any(c, job.all, vocabulary)]
    fit = Fraction(1) if relevant else Fraction(1, 2)
    return (
        fit,
        f"{len(relevant)} of {len(parsed.certifications)} certifications match the job's skills; fit {_pct(fit)}.",
    )


def score_parsed(
    parsed: ParsedResume, criteria: HiringCriteria, vocabulary: SkillVocabulary = DEFAULT_VOCABULARY
) -> ScoreResult:
    """Score an already parsed résumé against a job's criteria."""
    job = _job_skills(criteria, vocabulary)
    has = {s.key: _has(parsed, s, vocabulary) for s in job.all}
    fits = {
        Component.SKILLS: _fit_skills(job, has),
        Component.WORK_EXPERIENCE: _fit_experience(parsed.experience_months, criteria),
        Component.PROJECTS: _fit_projects(parsed, job, vocabulary),
        Component.EDUCATION: _fit_education(parsed, criteria),
        Component.CERTIFICATIONS: _fit_certifications(parsed, job, vocabulary),
    }
    components = components_from_fits(
        criteria.weights, {c: f for c, (f, _) in fits.items()}, {c: why for c, (_, why) in fits.items()}
    )
    relevant = [
        e.period for e in parsed.experience if e.period is not None and _mentions_any(e.text, job.all, vocabulary)
    ]
    return ScoreResult(
        components=components,
        skills_matched=tuple(s.name for s in job.all if has[s.key]),
        must_have_missing=tuple(s.name for s in job.must if not has[s.key]),
        parsed=parsed,
        relevant_experience_months=union_months(relevant),
    )


def score_resume(
    text: str, criteria: HiringCriteria, today: date, vocabulary: SkillVocabulary = DEFAULT_VOCABULARY
) -> ScoreResult:
    """Parse résumé ``text`` as of ``today`` and score it against ``criteria``: the single entry point."""
    return score_parsed(parse_resume(text, today, vocabulary), criteria, vocabulary)
