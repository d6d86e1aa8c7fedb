"""Résumé parsing and explainable scoring for the ATS: pure functions, standard library only.

Entry point: :func:`score_resume` (``text``, :class:`HiringCriteria`, ``today``) → :class:`ScoreResult`.
"""

from core.jobs.ats.scoring.dates import DateRange, YearMonth, find_date_range, parse_duration_months, union_months
from core.jobs.ats.scoring.parser import (
    DegreeLevel,
    EducationEntry,
    ExperienceEntry,
    ParsedResume,
    ProjectEntry,
    degree_level,
    parse_resume,
    split_sections,
)
from core.jobs.ats.scoring.scorer import (
    BASIS_POINTS,
    Component,
    ComponentScore,
    HiringCriteria,
    ScoreResult,
    ScoreWeights,
    components_from_fits,
    present,
    score_parsed,
    score_resume,
)
from core.jobs.ats.scoring.skills import DEFAULT_VOCABULARY, Skill, SkillVocabulary, normalise

__all__ = (
    "BASIS_POINTS",
    "DEFAULT_VOCABULARY",
    "Component",
    "ComponentScore",
    "DateRange",
    "DegreeLevel",
    "EducationEntry",
    "ExperienceEntry",
    "HiringCriteria",
    "ParsedResume",
    "ProjectEntry",
    "ScoreResult",
    "ScoreWeights",
    "Skill",
    "SkillVocabulary",
    "YearMonth",
    "components_from_fits",
    "degree_level",
    "find_date_range",
    "normalise",
    "parse_duration_months",
    "parse_resume",
    "present",
    "score_parsed",
    "score_resume",
    "split_sections",
    "union_months",
)
