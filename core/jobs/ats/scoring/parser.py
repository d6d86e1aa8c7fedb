"""A deterministic résumé parser: plain text in, :class:`ParsedResume` out. Pure functions, standard library only.

Sections are found by their headings ("Skills", "Work Experience", "EDUCATION:", "Skills: Python, Go" …, see
``HEADINGS``); text before the first heading is the header (name, contact) and is not searched for skills.
Experience entries are anchored on the lines that carry a date range; the months of all entries are counted once
even when jobs overlap. Dates relative to "present" use the ``today`` passed in, never the clock.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum

from core.jobs.ats.scoring.dates import DateRange, find_date_range, parse_duration_months, union_months
from core.jobs.ats.scoring.skills import DEFAULT_VOCABULARY, Skill, SkillVocabulary

__all__ = (
    "HEADINGS",
    "MAX_TEXT_CHARS",
    "SECTIONS",
    "DegreeLevel",
    "EducationEntry",
    "ExperienceEntry",
    "ParsedResume",
    "ProjectEntry",
    "degree_level",
    "parse_resume",
    "split_sections",
)

MAX_TEXT_CHARS = 100_000
MAX_LINE_CHARS = 2_000
MAX_ITEMS = 200  # skills, entries, projects or certifications kept per résumé

SECTIONS = ("summary", "skills", "experience", "projects", "education", "certifications")

HEADINGS: Mapping[str, tuple[str, ...]] = {
    "summary": (
        "summary", "professional summary", "career summary", "profile", "professional profile", "about",
        "about me", "objective", "career objective", "overview", "personal statement",
    ),
    "skills": (
        "skills", "technical skills", "key skills", "core skills", "core competencies", "competencies",
        "technologies", "tech stack", "tools", "tools and technologies", "skills and tools", "expertise",
        "areas of expertise", "skill set", "skillset", "technical expertise", "skills and technologies",
    ),
    "experience": (
        "experience", "work experience", "professional experience", "employment", "employment history",
        "work history", "career history", "relevant experience", "internships", "internship experience",
        "professional background",
    ),
    "projects": (
        "projects", "personal projects", "key projects", "selected projects", "academic projects",
        "side projects", "project experience", "portfolio", "open source", "open source contributions",
    ),
    "education": (
        "education", "academic background", "academics", "education and training", "qualifications",
        "academic qualifications", "educational background", "education and qualifications",
    ),
    "certifications": (
        "certifications", "certification", "certificates", "licenses and certifications",
        "licences and certifications", "certifications and training", "courses", "training", "accreditations",
        "certifications and courses",
    ),
    "other": (
        "languages", "interests", "hobbies", "references", "awards", "honors", "honours", "achievements",
        "publications", "volunteer", "volunteering", "volunteer experience", "contact", "contact information",
        "personal details", "personal information", "activities", "extracurricular activities",
        "additional information", "leadership", "awards and honors", "hobbies and interests",
    ),
}  # fmt: skip


def _heading_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().replace("&", " and ")
    text = re.sub(r"[^\w\s]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


_HEADING_INDEX: dict[str, str] = {_heading_key(p): name for name, phrases in HEADINGS.items() for p in phrases}
_BULLET = re.compile(r"^\s*(?:[-*•●▪■◦‣–—·>]|\d{1,2}[.)])\s+")
_SPACED = re.compile(r"(?:\w {1,3}){3,}\w")
_INLINE = re.compile(r"^\s*([A-Za-z][A-Za-z &/]{1,40}?)\s*:\s*(\S.*)$")


def _heading_of(line: str) -> tuple[str, str] | None:
    """``(section, rest of the line)`` when ``line`` is a heading ("SKILLS", "## Education:", "Skills: Python"; the
    last form only for the scored sections)."""
    stripped = line.strip().strip("#*=_ \t").strip()
    if _SPACED.fullmatch(stripped):  # "S K I L L S", "W O R K  E X P E R I E N C E"
        stripped = " ".join(word.replace(" ", "") for word in re.split(r"\s{2,}", stripped))
    if not stripped or len(stripped) > 60:
        inline = None
    else:
        key = _heading_key(stripped.rstrip(":"))
        if key in _HEADING_INDEX and len(key.split()) <= 6:
            return _HEADING_INDEX[key], ""
        inline = _INLINE.match(stripped)
    if inline is None:
        inline = _INLINE.match(line.strip())
    if inline is not None:
        section = _HEADING_INDEX.get(_heading_key(inline.group(1)))
        if section is not None and section != "other":  # "Languages: Python, Go" inside skills is a label
            return section, inline.group(2).strip()
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ufff9-\ufffb]")


def _clean_text(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text[:MAX_TEXT_CHARS]).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(" ", text)
    return [line.rstrip()[:MAX_LINE_CHARS] for line in text.split("\n")]


def split_sections(text: str) -> dict[str, list[str]]:
    """The lines of each section by name (``header`` before the first heading, ``other`` for sections we do not
    score). A section named twice keeps the lines of both."""
    sections: dict[str, list[str]] = {"header": []}
    current = "header"
    for line in _clean_text(text):
        heading = _heading_of(line) if line.strip() else None
        if heading is not None:
            current, rest = heading
            sections.setdefault(current, [])
            if rest:
                sections[current].append(rest)
            continue
        sections[current].append(line)
    return {name: _trim(lines) for name, lines in sections.items()}


def _trim(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


# --------------------------------------------------------------------------------------------------- education


class DegreeLevel(IntEnum):
    """Highest level of education, in order."""

    NONE = 0
    SECONDARY = 1
    ASSOCIATE = 2  # associate degrees, diplomas, HND
    BACHELOR = 3
    MASTER = 4
    DOCTORATE = 5

    @property
    def label(self) -> str:
        return _LEVEL_LABELS[self]


_LEVEL_LABELS = {
    DegreeLevel.NONE: "no degree",
    DegreeLevel.SECONDARY: "secondary school",
    DegreeLevel.ASSOCIATE: "associate degree or diploma",
    DegreeLevel.BACHELOR: "bachelor's degree",
    DegreeLevel.MASTER: "master's degree",
    DegreeLevel.DOCTORATE: "doctorate",
}

# Long forms count anywhere; the short ones (BA, MS, BE…) only inside an education section, where they are not
# words or company names. Checked from the highest level down.
_LEVEL_WORDS: tuple[tuple[DegreeLevel, str], ...] = (
    (DegreeLevel.DOCTORATE, r"ph\.?\s?d|doctorate|doctor of|d\.phil|dphil"),
    (DegreeLevel.MASTER, r"master'?s?|m\.?sc|m\.?tech|mba|m\.?eng|m\.phil|mphil|postgraduate"),
    (DegreeLevel.BACHELOR, r"bachelor'?s?|b\.?sc|b\.?tech|b\.?eng|undergraduate degree|b\.com|bcom|bba|bca"),
    (DegreeLevel.ASSOCIATE, r"associate'?s? degree|associate of|diploma|hnd|foundation degree"),
    (DegreeLevel.SECONDARY, r"high school|secondary school|ged|a[- ]levels?|hsc|ssc|12th|higher secondary"),
)
_LEVELS_LONG: tuple[tuple[DegreeLevel, re.Pattern[str]], ...] = tuple(
    (level, re.compile(rf"\b(?:{words})(?!\w)", re.IGNORECASE)) for level, words in _LEVEL_WORDS
)
_LEVELS_SHORT: tuple[tuple[DegreeLevel, re.Pattern[str]], ...] = (
    (DegreeLevel.MASTER, re.compile(r"(?<![\w.])(?:M\.?S\.?|M\.A\.?|MA|ME|M\.E\.?|MCA)(?![\w])")),
    (DegreeLevel.BACHELOR, re.compile(r"(?<![\w.])(?:B\.?S\.?|B\.A\.?|BA|BE|B\.E\.?)(?![\w])")),
)


def degree_level(text: str, *, short_forms: bool = False) -> DegreeLevel:
    """The highest degree level ``text`` names (``NONE`` when it names none)."""
    best = DegreeLevel.NONE
    for level, pattern in _LEVELS_LONG:
        if level > best and pattern.search(text):
            best = level
    if short_forms:
        for level, pattern in _LEVELS_SHORT:
            if level > best and pattern.search(text):
                best = level
    return best


# --------------------------------------------------------------------------------------------------- entities


@dataclass(frozen=True, slots=True)
class ExperienceEntry:
    """One job: its heading line(s), the period written on it (``None`` when it gives none), the months it counts
    for, and its description."""

    heading: str
    period: DateRange | None
    months: int
    description: str

    @property
    def text(self) -> str:
        return f"{self.heading}\n{self.description}".strip()


@dataclass(frozen=True, slots=True)
class EducationEntry:
    level: DegreeLevel
    text: str


@dataclass(frozen=True, slots=True)
class ProjectEntry:
    title: str
    description: str

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.description}".strip()


@dataclass(frozen=True, slots=True)
class ParsedResume:
    """What the parser read. ``skills`` are the skills section's items (canonical, deduplicated, in order);
    ``mentioned_skills`` the vocabulary's skills named in the other scored sections; ``experience_months`` the
    months covered by the experience entries, overlaps counted once."""

    sections: Mapping[str, str] = field(default_factory=dict)
    skills: tuple[Skill, ...] = ()
    mentioned_skills: tuple[Skill, ...] = ()
    experience: tuple[ExperienceEntry, ...] = ()
    experience_months: int = 0
    education: tuple[EducationEntry, ...] = ()
    education_level: DegreeLevel = DegreeLevel.NONE
    certifications: tuple[str, ...] = ()
    projects: tuple[ProjectEntry, ...] = ()

    @property
    def summary(self) -> str:
        return self.sections.get("summary", "")

    @property
    def body(self) -> str:
        """The scored sections' text (everything but the header and the unscored sections); the whole text minus
        the header when the résumé has no headings at all."""
        return "\n".join(self.sections[name] for name in SECTIONS if name in self.sections) or self.sections.get(
            "header", ""
        )

    @property
    def skill_keys(self) -> frozenset[str]:
        return frozenset(s.key for s in (*self.skills, *self.mentioned_skills))


def _is_bullet(line: str) -> bool:
    return _BULLET.match(line) is not None


def _unbullet(line: str) -> str:
    return _BULLET.sub("", line, count=1).strip()


_ITEM_SPLIT = re.compile(r"\s*(?:[,;|•●▪·]|\s/\s|\t|\s{3,})\s*")
_LABEL = re.compile(r"^\s*[A-Za-z][A-Za-z &/]{1,30}:\s*")


def _skills_of(lines: Iterable[str], vocabulary: SkillVocabulary) -> tuple[Skill, ...]:
    seen: dict[str, Skill] = {}
    for line in lines:
        line = _LABEL.sub("", _unbullet(line))  # "Languages: Python, Go"
        label, tab, rest = line.partition("\t")  # a table row "Languages<TAB>Python, Go"
        if tab and not vocabulary.knows(label) and re.search(r"[,;|]", rest):
            line = rest
        for item in _ITEM_SPLIT.split(line):
            item = re.sub(r"^(?:and|&)\s+", "", item.strip(), flags=re.I)
            if not item or len(item) > 40 or len(item.split()) > 4:
                continue
            skill = vocabulary.canonical(item)
            if skill is not None and skill.key not in seen and len(seen) < MAX_ITEMS:
                seen[skill.key] = skill
    return tuple(seen.values())


def _experience_of(lines: list[str], today: date) -> tuple[ExperienceEntry, ...]:
    anchors = [(i, r) for i, line in enumerate(lines) if (r := find_date_range(line, today)) is not None]
    if not anchors:
        text = "\n".join(line.strip() for line in lines if line.strip())
        if not text:
            return ()
        months = parse_duration_months(text) or 0
        first, _, rest = text.partition("\n")
        return (ExperienceEntry(heading=first, period=None, months=months, description=rest),)
    entries: list[ExperienceEntry] = []
    starts: list[int] = []
    for index, (line_no, _range) in enumerate(anchors):
        floor = anchors[index - 1][0] + 1 if index else 0
        start = line_no
        # Up to two title lines just above the dated line (title, company), when they are not bullets.
        while start > floor and line_no - start < 2:
            above = lines[start - 1]
            if not above.strip() or _is_bullet(above) or len(above.strip()) > 100 or above.rstrip().endswith("."):
                break
            start -= 1
        starts.append(start)
    for index, (line_no, period) in enumerate(anchors[:MAX_ITEMS]):
        stop = starts[index + 1] if index + 1 < len(anchors) else len(lines)
        heading_lines = [lines[i].strip() for i in range(starts[index], line_no)]
        own = lines[line_no].replace(period.text, " ").strip(" \t|,-–—()")
        heading = " | ".join(part for part in (*heading_lines, own) if part)
        description = "\n".join(_unbullet(line) for line in lines[line_no + 1 : stop] if line.strip())
        entries.append(ExperienceEntry(heading=heading, period=period, months=period.months, description=description))
    return tuple(entries)


def _projects_of(lines: list[str]) -> tuple[ProjectEntry, ...]:
    projects: list[tuple[str, list[str]]] = []
    previous_bullet, previous_blank = False, True
    for line in lines:
        if not line.strip():
            previous_blank = True
            continue
        bullet = _is_bullet(line)
        starts_new = not bullet and (
            previous_blank or previous_bullet or not projects or (projects[-1][1] and projects[-1][1][-1].endswith("."))
        )
        if starts_new or not projects:
            projects.append((_unbullet(line) if bullet else line.strip(), []))
        else:
            projects[-1][1].append(_unbullet(line))
        previous_bullet, previous_blank = bullet, False
    return tuple(ProjectEntry(title=t, description="\n".join(d)) for t, d in projects[:MAX_ITEMS])


def _education_of(lines: list[str]) -> tuple[EducationEntry, ...]:
    entries = []
    for line in lines:
        text = _unbullet(line)
        level = degree_level(text, short_forms=True)
        if level is not DegreeLevel.NONE:
            entries.append(EducationEntry(level=level, text=text))
    return tuple(entries[:MAX_ITEMS])


def _certifications_of(lines: list[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for line in lines:
        text = _unbullet(line)
        if 2 < len(text) <= 200:
            seen.setdefault(text.casefold(), text)
    return tuple(seen.values())[:MAX_ITEMS]


_CERTIFIED = re.compile(r"\b(?:certified|certification|certificate)\b", re.I)


def parse_resume(text: str, today: date, vocabulary: SkillVocabulary = DEFAULT_VOCABULARY) -> ParsedResume:
    """Parse résumé ``text`` as of ``today`` (the month "present" means). Deterministic: the same text, day and
    vocabulary always give the same result."""
    sections = split_sections(text)
    joined = {name: "\n".join(lines) for name, lines in sections.items()}
    headed = any(name in sections for name in SECTIONS)
    experience = _experience_of(sections.get("experience", []), today)
    dated = [e.period for e in experience if e.period is not None]
    undated = sum(e.months for e in experience if e.period is None)
    months = union_months(dated) + undated
    if not experience and "summary" in sections:  # "5+ years of experience" when no job is listed
        months = parse_duration_months(joined["summary"]) or 0
    education_lines = sections.get("education", [])
    education = _education_of(education_lines)
    level = max((e.level for e in education), default=DegreeLevel.NONE)
    if not education_lines:
        level = degree_level(joined.get("header", "") if not headed else "\n".join(joined.values()))
    certification_lines = sections.get("certifications")
    if certification_lines is None:
        pool = joined.values() if headed else [joined.get("header", "")]
        certification_lines = [line for part in pool for line in part.split("\n") if _CERTIFIED.search(line)]
    listed = _skills_of(sections.get("skills", []), vocabulary)
    listed_keys = {s.key for s in listed}
    prose = "\n".join(joined[name] for name in SECTIONS if name in joined and name != "skills")
    if not headed:
        prose = joined.get("header", "")
    mentioned = tuple(s for s in vocabulary.found_in(prose) if s.key not in listed_keys)
    return ParsedResume(
        sections={name: value for name, value in joined.items() if value},
        skills=listed,
        mentioned_skills=mentioned,
        experience=experience,
        experience_months=months,
        education=education,
        education_level=level,
        certifications=_certifications_of(certification_lines),
        projects=_projects_of(sections.get("projects", [])),
    )
