"""The résumé parser on many small cases: date formats, present relative to a given day, overlapping jobs counted
once, sections and headings, skills and aliases, education levels, certifications, projects, missing sections."""

from __future__ import annotations

from datetime import date

import pytest

from core.jobs.ats.scoring import (
    DEFAULT_VOCABULARY,
    DegreeLevel,
    SkillVocabulary,
    YearMonth,
    degree_level,
    find_date_range,
    normalise,
    parse_duration_months,
    parse_resume,
    split_sections,
)
from core.jobs.ats.scoring.dates import DateRange, union_months

TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("line", "start", "end", "months"),
    [
        ("Jan 2019 – Present", (2019, 1), (2026, 11), 95),
        ("January 2019 - December 2019", (2019, 1), (2019, 12), 12),
        ("Jan. 2019 to Mar. 2019", (2019, 1), (2019, 3), 3),
        ("Sept 2020 — Current", (2020, 9), (2026, 11), 75),
        ("2018-2020", (2018, 1), (2020, 12), 36),
        ("2018 – 2020", (2018, 1), (2020, 12), 36),
        ("03/2017 - 05/2019", (2017, 3), (2019, 5), 27),
        ("3/2017 to 5/2019", (2017, 3), (2019, 5), 27),
        ("2017-03 – 2019-05", (2017, 3), (2019, 5), 27),
        ("2017/03 - now", (2017, 3), (2026, 11), 117),
        ("Engineer at Acme (May 2021 - Jun 2021)", (2021, 5), (2021, 6), 2),
        ("Acme | Mar 2022 – till date", (2022, 3), (2026, 11), 57),
        ("Since 2024", (2024, 1), (2026, 11), 35),
        ("2025 onwards", (2025, 1), (2026, 11), 23),
        ("Jan '19 – Feb '20", (2019, 1), (2020, 2), 14),
        ("Oct 2026 - Present", (2026, 10), (2026, 11), 2),
        ("2024 – 2028", (2024, 1), (2026, 11), 35),  # cut at today
    ],
)
def test_date_ranges(line: str, start: tuple[int, int], end: tuple[int, int], months: int) -> None:
    found = find_date_range(line, TODAY)
    assert found is not None
    assert (found.start, found.end, found.months) == (YearMonth(*start), YearMonth(*end), months)


@pytest.mark.parametrize(
    "line",
    [
        "Python, Go, Docker",
        "Call +1 555 2019 2020",  # digits that are not dates
        "Graduated 2019",
        "13/2019 - 14/2020",  # no month 13
        "1890 - 1900",  # implausible
        "Dec 2019 - Jan 2019",  # backwards
        "2027 - 2029",  # starts after today
        "ISO-2019-2020x",
    ],
)
def test_not_date_ranges(line: str) -> None:
    assert find_date_range(line, TODAY) is None


def test_present_is_relative_to_the_given_day_not_the_clock() -> None:
    assert find_date_range("Jan 2019 - Present", date(2019, 1, 1)) == DateRange(
        YearMonth(2019, 1), YearMonth(2019, 1), True, "Jan 2019 - Present"
    )
    text = "Experience\nEngineer\nJan 2019 - Present"
    assert parse_resume(text, date(2020, 12, 31)).experience_months == 24
    assert parse_resume(text, date(2021, 1, 1)).experience_months == 25


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("5 years", 60),
        ("5+ years of experience", 60),
        ("2 years 6 months", 30),
        ("2 yrs and 3 mos", 27),
        ("1.5 years", 18),
        ("18 months", 18),
        ("no numbers", None),
        ("Python 3.11", None),
    ],
)
def test_durations(text: str, months: int | None) -> None:
    assert parse_duration_months(text) == months


def test_overlapping_jobs_are_not_counted_twice() -> None:
    text = """Experience
Engineer, A
Jan 2019 - Dec 2020
Consultant, B (part time)
Jun 2020 - Mar 2021
Mentor, C
Feb 2019 - Mar 2019
Engineer, D
2023 - 2023
"""
    parsed = parse_resume(text, TODAY)
    assert [e.months for e in parsed.experience] == [24, 10, 2, 12]
    assert parsed.experience_months == 27 + 12  # Jan 2019–Mar 2021, and 2023
    ranges = [e.period for e in parsed.experience if e.period]
    assert union_months(ranges) == union_months(reversed(ranges)) == 39
    assert union_months([]) == 0


def test_experience_entries_take_the_title_lines_above_the_dates() -> None:
    text = """Work Experience
Senior Engineer
Acme Corp
Jan 2019 – Present
• Led the payments team
• Wrote Python
Engineer | Beta Ltd | 2016 - 2018
- Maintained Java services
"""
    parsed = parse_resume(text, TODAY)
    first, second = parsed.experience
    assert first.heading == "Senior Engineer | Acme Corp"
    assert first.description == "Led the payments team\nWrote Python"
    assert first.period is not None and first.period.ongoing
    assert second.heading == "Engineer | Beta Ltd"
    assert second.description == "Maintained Java services"
    assert parsed.experience_months == 95 + 36


def test_experience_without_dates_uses_a_written_duration_or_the_summary() -> None:
    assert parse_resume("Experience\nDeveloper at Acme for 3 years", TODAY).experience_months == 36
    assert parse_resume("Summary\nEngineer with 7+ years of experience.\nSkills\nPython", TODAY).experience_months == 84
    assert parse_resume("Experience\nDeveloper at Acme", TODAY).experience_months == 0


def test_sections_by_heading_in_any_style() -> None:
    text = """Jane Example
jane@example.com
PROFESSIONAL SUMMARY
Engineer.
## Technical Skills:
Python
Work History
Dev, Acme, 2020 - 2021
Hobbies
Chess
Education & Training
BSc Physics
Licenses & Certifications
AWS Certified Developer
Skills: Go, Rust
"""
    sections = split_sections(text)
    assert sections["header"] == ["Jane Example", "jane@example.com"]
    assert sections["summary"] == ["Engineer."]
    assert sections["skills"] == ["Python", "Go, Rust"]
    assert sections["experience"] == ["Dev, Acme, 2020 - 2021"]
    assert sections["other"] == ["Chess"]
    assert sections["education"] == ["BSc Physics"]
    assert sections["certifications"] == ["AWS Certified Developer"]


def test_letter_spaced_headings() -> None:
    sections = split_sections("S K I L L S\nPython\nW O R K   E X P E R I E N C E\nDev, 2020 - 2021\nA B C D")
    assert sections == {"header": [], "skills": ["Python"], "experience": ["Dev, 2020 - 2021", "A B C D"]}


def test_a_long_line_starting_like_a_heading_is_not_a_heading() -> None:
    sections = split_sections("Summary\nExperience with many systems, services and teams across the company")
    assert "experience" not in sections


def test_skills_are_normalised_deduplicated_and_aliased() -> None:
    text = """Skills
Languages: Python 3, golang, JS, C++, C#
Frameworks: React.js; ReactJS | Node.js
• Postgres, PostgreSQL, k8s, Kubernetes (advanced), AWS
Soft skills\tCommunication, Leadership
"""
    parsed = parse_resume(text, TODAY)
    assert [s.name for s in parsed.skills] == [
        "Python",
        "Go",
        "JavaScript",
        "C++",
        "C#",
        "React",
        "Node.js",
        "PostgreSQL",
        "Kubernetes",
        "AWS",
        "Communication",
        "Leadership",
    ]


def test_unknown_skills_keep_their_own_name() -> None:
    parsed = parse_resume("Skills\nHaskell, Quantum Widgets", TODAY)
    assert [(s.key, s.name) for s in parsed.skills] == [("haskell", "Haskell"), ("quantum widgets", "Quantum Widgets")]


def test_normalise() -> None:
    assert normalise("  Python (5 years) ") == "python"
    assert normalise("C++") == "c++"
    assert normalise("C#.") == "c#"
    assert normalise(".NET") == ".net"
    assert normalise("Node.JS") == "node.js"
    assert normalise("Ｐｙｔｈｏｎ") == "python"  # full width
    assert normalise("CI/CD") == "ci/cd"
    assert normalise("test-driven   development") == "test driven development"


def test_prose_mentions_count_but_not_ambiguous_words_or_the_header() -> None:
    text = """Go Getter Street 5, Kafka City
Summary
I like to go hiking. I built services with Docker and Kubernetes and love to excel.
"""
    parsed = parse_resume(text, TODAY)
    names = {s.name for s in parsed.mentioned_skills}
    assert names == {"Docker", "Kubernetes"}


def test_custom_vocabulary() -> None:
    vocabulary = SkillVocabulary({"Elixir": ("ex", "elixir lang")}, ambiguous=("Elixir",))
    parsed = parse_resume("Skills\nelixir lang", TODAY, vocabulary)
    assert [s.name for s in parsed.skills] == ["Elixir"]
    assert vocabulary.is_ambiguous(parsed.skills[0])
    assert not DEFAULT_VOCABULARY.knows("elixir lang")


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Ph.D. in Chemistry", DegreeLevel.DOCTORATE),
        ("Doctor of Philosophy", DegreeLevel.DOCTORATE),
        ("Master of Science, Data Science", DegreeLevel.MASTER),
        ("MBA, 2015", DegreeLevel.MASTER),
        ("M.Tech Computer Science", DegreeLevel.MASTER),
        ("Bachelor's in Economics", DegreeLevel.BACHELOR),
        ("B.Sc. Physics", DegreeLevel.BACHELOR),
        ("BSc Physics", DegreeLevel.BACHELOR),
        ("B.Tech IT", DegreeLevel.BACHELOR),
        ("Diploma in Mechanical Engineering", DegreeLevel.ASSOCIATE),
        ("Associate's degree in Nursing", DegreeLevel.ASSOCIATE),
        ("High School Diploma", DegreeLevel.ASSOCIATE),  # the higher word wins
        ("Higher Secondary (12th)", DegreeLevel.SECONDARY),
        ("Self taught", DegreeLevel.NONE),
    ],
)
def test_degree_levels(text: str, level: DegreeLevel) -> None:
    assert degree_level(text) == level


def test_short_degree_forms_only_inside_the_education_section() -> None:
    assert parse_resume("Education\nBS Computer Science", TODAY).education_level == DegreeLevel.BACHELOR
    assert parse_resume("Education\nM.S. in Statistics\nBA History", TODAY).education_level == DegreeLevel.MASTER
    assert parse_resume("Summary\nUsed MS Office daily", TODAY).education_level == DegreeLevel.NONE
    assert parse_resume("Summary\nHolds a Master's degree", TODAY).education_level == DegreeLevel.MASTER


def test_certifications_from_their_section_or_certified_lines() -> None:
    parsed = parse_resume("Certifications\n- AWS Certified Developer\n- CKA\n- CKA\n", TODAY)
    assert parsed.certifications == ("AWS Certified Developer", "CKA")
    loose = parse_resume("Summary\nGoogle Certified Professional Cloud Architect.\nPython developer.", TODAY)
    assert loose.certifications == ("Google Certified Professional Cloud Architect.",)


def test_projects_split_on_titles_and_bullets() -> None:
    text = """Projects
Ledger - a double-entry ledger
- Python, PostgreSQL
- Tested with pytest
Chat app
- Node.js

Weather bot
Posts forecasts to a channel.
Link shortener
"""
    parsed = parse_resume(text, TODAY)
    assert [p.title for p in parsed.projects] == [
        "Ledger - a double-entry ledger",
        "Chat app",
        "Weather bot",
        "Link shortener",
    ]
    assert parsed.projects[0].description == "Python, PostgreSQL\nTested with pytest"


def test_missing_sections_and_empty_text() -> None:
    empty = parse_resume("", TODAY)
    assert (empty.skills, empty.experience, empty.experience_months, empty.projects) == ((), (), 0, ())
    assert empty.education_level == DegreeLevel.NONE
    plain = parse_resume("Jo Example. Python and Docker developer, B.Sc. Mathematics.", TODAY)
    assert {s.name for s in plain.mentioned_skills} == {"Python", "Docker"}
    assert plain.education_level == DegreeLevel.BACHELOR


def test_hostile_text_is_bounded() -> None:
    huge = "Skills\n" + ", ".join(f"skill{i}" for i in range(50_000)) + "\n" + "9" * 500_000
    parsed = parse_resume(huge, TODAY)
    assert len(parsed.skills) == 200
    weird = "\x00\x07Experience\u202e\nJan 2019 - Present\n" + "-" * 10_000
    assert parse_resume(weird, TODAY).experience_months == 95
