"""The scorer: components are 10 × weight × fit, the overall is their sum, exactly; the worked examples of behaviors
§3.4 reproduce from their component fits; the fit rules (README "Résumé scoring") on small cases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from core.jobs.ats.scoring import (
    Component,
    DegreeLevel,
    HiringCriteria,
    ScoreWeights,
    components_from_fits,
    parse_resume,
    present,
    score_parsed,
    score_resume,
)
from core.jobs.ats.scoring.scorer import ScoreResult
from core.shared.errors import InvalidInput

TODAY = date(2026, 11, 30)
F = Fraction


def _result(weights: ScoreWeights, fits: dict[Component, Fraction]) -> ScoreResult:
    return ScoreResult(components=components_from_fits(weights, fits))


def test_first_worked_example_reproduces_exactly() -> None:
    # weights (0.40, 0.10, 0.30, 0.10, 0.10) → components (3.90, 1.00, 3.00, 1.00, 0.00) → overall 8.90
    weights = ScoreWeights.from_decimals(
        {"skills": "0.40", "work_experience": "0.10", "projects": "0.30", "education": "0.10", "certifications": "0.10"}
    )
    assert weights == ScoreWeights(4000, 1000, 3000, 1000, 1000)
    fits = {
        Component.SKILLS: F(39, 40),
        Component.WORK_EXPERIENCE: F(1),
        Component.PROJECTS: F(1),
        Component.EDUCATION: F(1),
        Component.CERTIFICATIONS: F(0),
    }
    result = _result(weights, fits)
    assert [c.points for c in result.components] == [F(39, 10), F(1), F(3), F(1), F(0)]
    assert [str(c.value) for c in result.components] == ["3.90", "1.00", "3.00", "1.00", "0.00"]
    assert result.overall_exact == F(89, 10)
    assert result.overall == Decimal("8.90")
    assert str(result.overall) == "8.90"


def test_second_worked_example_reproduces_exactly() -> None:
    # weights (0.30, 0.30, 0.20, 0.10, 0.10) → components (0.00, 0.60, 0.40, 0.00, 0.20) → overall 1.20
    weights = ScoreWeights()
    assert weights.as_dict() == {
        "skills": 3000,
        "work_experience": 3000,
        "projects": 2000,
        "education": 1000,
        "certifications": 1000,
    }
    fits = {
        Component.SKILLS: F(0),
        Component.WORK_EXPERIENCE: F(1, 5),
        Component.PROJECTS: F(1, 5),
        Component.EDUCATION: F(0),
        Component.CERTIFICATIONS: F(1, 5),
    }
    result = _result(weights, fits)
    assert [str(c.value) for c in result.components] == ["0.00", "0.60", "0.40", "0.00", "0.20"]
    assert result.overall_exact == F(6, 5)
    assert str(result.overall) == "1.20"
    assert all(c.points <= 10 * F(c.weight, 10_000) for c in result.components)


def test_weights_must_sum_to_exactly_one() -> None:
    with pytest.raises(InvalidInput) as caught:
        ScoreWeights(3000, 3000, 2000, 1000, 999)
    assert caught.value.body == {"score_weight": ["The score weights must sum to 1."]}
    with pytest.raises(InvalidInput):
        ScoreWeights.from_decimals({"skills": "0.3", "work_experience": "0.3", "projects": "0.2", "education": "0.1"})
    with pytest.raises(InvalidInput):
        ScoreWeights.from_decimals({"skills": "0.33333", "work_experience": "0.66667"})  # not whole basis points
    with pytest.raises(InvalidInput):
        ScoreWeights.from_decimals({"skills": "1.5", "work_experience": "-0.5"})
    with pytest.raises(InvalidInput):
        ScoreWeights.from_decimals({"skills": "NaN", "work_experience": "1"})
    with pytest.raises(InvalidInput):
        ScoreWeights.from_decimals({"skill": "1"})
    assert ScoreWeights.from_decimals({"skills": 1}) == ScoreWeights(10_000, 0, 0, 0, 0)
    assert ScoreWeights.from_decimals({"skills": Decimal("0.25"), "projects": "0.75"}).projects == 7500


def test_rounding_happens_only_at_presentation_and_the_presented_parts_add_up() -> None:
    weights = ScoreWeights(3333, 3333, 3334, 0, 0)
    result = _result(weights, {c: F(1, 3) for c in Component})
    assert result.overall_exact == F(10, 3)
    assert [str(c.value) for c in result.components[:3]] == ["1.11", "1.11", "1.11"]
    assert result.overall == sum(c.value for c in result.components) == Decimal("3.33")
    assert present(F(1, 200)) == Decimal("0.01")  # half up
    assert present(F(1, 201)) == Decimal("0.00")


RESUME = """Alex Sample
alex@example.com

Skills
Python, PostgreSQL, Docker, k8s

Experience
Backend Engineer, Example Co
Jan 2020 – Present
- Built services in Python on Kubernetes
Support Engineer, Other Co
2017 - 2019
- Helped customers

Projects
Ledger - a ledger in Python
Photo site - static HTML

Education
B.Sc. Computer Science, 2013 - 2017

Certifications
Certified Kubernetes Administrator
"""


def test_skills_fit_counts_must_haves_twice_and_a_missing_must_have_scales_it_down() -> None:
    parsed = parse_resume(RESUME, TODAY)
    all_there = score_parsed(parsed, HiringCriteria(must_have_skills=("Python", "Kubernetes"), skills=("Docker",)))
    assert all_there.component(Component.SKILLS).fit == 1
    assert all_there.skills_matched == ("Python", "Kubernetes", "Docker")
    assert all_there.must_have_missing == ()
    one_missing = score_parsed(
        parsed, HiringCriteria(must_have_skills=("python", "Rust"), skills=("Docker", "Terraform"))
    )
    # weighted coverage (2·1 + 1) / (2·2 + 2) = 1/2, times the must-have share 1/2 → 1/4
    skills = one_missing.component("skills")
    assert skills.fit == F(1, 4)
    assert skills.value == Decimal("0.75")
    assert one_missing.must_have_missing == ("Rust",)
    assert skills.reason == "Matched 1 of 2 must-have skills (missing: Rust) and 1 of 2 other job skills; fit 25%."
    none_named = score_parsed(parsed, HiringCriteria())
    assert none_named.component("skills").fit == 0


def test_job_description_skills_count_as_job_skills() -> None:
    parsed = parse_resume(RESUME, TODAY)
    result = score_parsed(parsed, HiringCriteria(description="We use Python and Terraform on AWS."))
    assert result.component("skills").fit == F(1, 3)
    assert result.skills_matched == ("Python",)


def test_experience_fit_against_minimum_and_maximum() -> None:
    parsed = parse_resume(RESUME, TODAY)
    assert parsed.experience_months == 83 + 36  # Jan 2020–Nov 2026, and 2017–2019
    assert score_parsed(parsed, HiringCriteria()).component("work_experience").fit == 1
    assert score_parsed(parsed, HiringCriteria(min_experience_years=5)).component("work_experience").fit == 1
    twenty = score_parsed(parsed, HiringCriteria(min_experience_years=20)).component("work_experience")
    assert twenty.fit == F(119, 240)
    capped = score_parsed(parsed, HiringCriteria(min_experience_years=2, max_experience_years=5))
    assert capped.component("work_experience").fit == F(60, 119)
    far_over = score_parsed(parsed, HiringCriteria(max_experience_years=1)).component("work_experience")
    assert far_over.fit == F(1, 2)
    assert "above the maximum of 1 year" in far_over.reason
    half_year = score_parsed(parsed, HiringCriteria(min_experience_years=Decimal("12.5")))
    assert half_year.component("work_experience").fit == F(119, 150)
    with pytest.raises(InvalidInput):
        HiringCriteria(min_experience_years=5, max_experience_years=3)
    with pytest.raises(InvalidInput):
        HiringCriteria(min_experience_years=-1)


def test_projects_education_certifications_fits() -> None:
    parsed = parse_resume(RESUME, TODAY)
    result = score_parsed(parsed, HiringCriteria(must_have_skills=("Python", "Kubernetes")))
    assert result.component("projects").fit == F(1, 2)  # one of two projects uses a job skill
    assert result.component("education").fit == 1  # bachelor's, and the default requirement is a bachelor's
    assert result.component("certifications").fit == 1
    unrelated = score_parsed(parsed, HiringCriteria(must_have_skills=("Figma",)))
    assert unrelated.component("certifications").fit == F(1, 2)
    assert unrelated.component("projects").fit == 0
    master = score_parsed(parsed, HiringCriteria(min_education=DegreeLevel.MASTER))
    assert master.component("education").fit == F(3, 4)
    described = score_parsed(parsed, HiringCriteria(description="A PhD or Master's degree in physics."))
    assert described.component("education").fit == F(3, 4)  # the lowest degree named: master's
    anything = score_parsed(parsed, HiringCriteria(min_education=DegreeLevel.NONE))
    assert anything.component("education").fit == 1
    bare = score_parsed(parse_resume("Skills\nPython", TODAY), HiringCriteria(must_have_skills=("Python",)))
    assert [c.fit for c in bare.components] == [1, 1, 0, 0, 0]


def test_every_component_has_one_reason_and_the_snapshot_is_json_ready() -> None:
    result = score_resume(RESUME, HiringCriteria(must_have_skills=("Python",)), TODAY)
    assert list(result.reasons) == [c.value for c in Component]
    assert all(reason.endswith("%.") for reason in result.reasons.values())
    snapshot = result.as_dict()
    assert snapshot["overall"] == str(result.overall)
    assert snapshot["skills_matched"] == ["Python"]
    assert snapshot["experience_months"] == 119
    assert snapshot["relevant_experience_months"] == 83
    assert snapshot["education_level"] == "bachelor"


def test_same_input_same_output() -> None:
    criteria = HiringCriteria(must_have_skills=("Python", "Go"), skills=("Docker",), min_experience_years=3)
    first = score_resume(RESUME, criteria, TODAY)
    assert score_resume(RESUME, criteria, TODAY) == first
    assert score_resume(RESUME, criteria, date(2027, 11, 30)).parsed.experience_months == 119 + 12


def test_weights_from_json_floats_are_exact() -> None:
    weights = ScoreWeights.from_decimals(
        {"skills": 0.3, "work_experience": 0.3, "projects": 0.2, "education": 0.1, "certifications": 0.1}
    )
    assert weights == ScoreWeights()
    assert weights.as_decimals() == {
        "skills": Decimal("0.3"),
        "work_experience": Decimal("0.3"),
        "projects": Decimal("0.2"),
        "education": Decimal("0.1"),
        "certifications": Decimal("0.1"),
    }
    with pytest.raises(InvalidInput):
        ScoreWeights.from_decimals({"skills": True})


def test_aliases_match_both_ways_and_ambiguous_names_need_the_skills_section() -> None:
    listed = parse_resume("Skills\nGolang, ReactJS, ML", TODAY)
    result = score_parsed(listed, HiringCriteria(must_have_skills=("Go", "React.js", "Machine Learning")))
    assert result.skills_matched == ("Go", "React", "Machine Learning")
    prose = parse_resume("Summary\nReady to go. Built React apps with ML models.", TODAY)
    result = score_parsed(prose, HiringCriteria(must_have_skills=("Go", "React", "machine learning")))
    assert result.must_have_missing == ("Go",)
    unknown = parse_resume("Experience\nBuilt dbt models and Looker dashboards, 2020 - 2021", TODAY)
    result = score_parsed(unknown, HiringCriteria(must_have_skills=("DBT", "Looker", "Qlik")))
    assert result.skills_matched == ("DBT", "Looker")
    assert result.relevant_experience_months == 24


def test_fit_permille_and_component_lookup() -> None:
    result = _result(ScoreWeights(), {Component.SKILLS: F(2, 3), Component.PROJECTS: F(1, 2000)})
    assert result.component("skills").fit_permille == 667
    assert result.component(Component.PROJECTS).fit_permille == 1  # 0.5 per mille rounds half up
    assert result.component("education").fit_permille == 0
    with pytest.raises(ValueError):
        result.component("unknown")
