"""Properties of the scorer and the parser over generated input: fits stay in [0, 1], every component is at most
10 × its weight, the overall is the sum of the components (exactly, and as presented), weights must sum to 1,
and parsing never fails and gives the same answer twice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.jobs.ats.scoring import (
    BASIS_POINTS,
    Component,
    HiringCriteria,
    ScoreWeights,
    components_from_fits,
    find_date_range,
    parse_resume,
    present,
    score_resume,
)
from core.jobs.ats.scoring.scorer import ScoreResult
from core.shared.errors import InvalidInput

TODAY = date(2026, 11, 30)


@st.composite
def weights(draw: st.DrawFn) -> ScoreWeights:
    cuts = sorted(draw(st.lists(st.integers(0, BASIS_POINTS), min_size=4, max_size=4)))
    bounds = [0, *cuts, BASIS_POINTS]
    return ScoreWeights(*(bounds[i + 1] - bounds[i] for i in range(5)))


fits = st.fractions(min_value=0, max_value=1, max_denominator=10_000)
SKILLS = ["Python", "Go", "k8s", "Kubernetes", "Docker", "AWS", "Rust", "SQL", "React", "Terraform", "Figma", "C++"]
LINES = st.sampled_from(
    [
        "Skills",
        "Experience",
        "Projects",
        "Education",
        "Certifications",
        "Summary",
        "Jan 2019 – Present",
        "2015 - 2018",
        "03/2017 to 05/2019",
        "Engineer at Example Co",
        "- Built APIs in Python on AWS",
        "B.Sc. Computer Science",
        "Master of Science",
        "AWS Certified Developer",
        "Python, Go, k8s, Docker",
        "5+ years of experience",
        "",
    ]
)
resume_texts = st.one_of(
    st.lists(LINES, max_size=40).map("\n".join),
    st.text(max_size=400),
)
criteria = st.builds(
    HiringCriteria,
    weights=weights(),
    must_have_skills=st.lists(st.sampled_from(SKILLS), max_size=4).map(tuple),
    skills=st.lists(st.sampled_from(SKILLS), max_size=4).map(tuple),
    min_experience_years=st.one_of(st.none(), st.integers(0, 15)),
    description=st.sampled_from(["", "Python and AWS", "Master's degree", "PhD in physics, Go"]),
)


@settings(deadline=None)  # CPU-bound; the shared test machine is slow
@given(weights(), st.dictionaries(st.sampled_from(list(Component)), fits))
def test_components_and_overall(w: ScoreWeights, given_fits: dict[Component, Fraction]) -> None:
    result = ScoreResult(components=components_from_fits(w, given_fits))
    assert sum(c.weight for c in result.components) == BASIS_POINTS
    for c in result.components:
        assert 0 <= c.fit <= 1
        assert 0 <= c.points <= 10 * Fraction(c.weight, BASIS_POINTS)
        assert c.value <= present(10 * Fraction(c.weight, BASIS_POINTS))  # rounding is monotonic
    assert result.overall_exact == sum(c.points for c in result.components)
    assert result.overall == sum(c.value for c in result.components)
    assert 0 <= result.overall_exact <= 10
    assert Decimal(0) <= result.overall <= Decimal(10)
    assert abs(result.overall - Decimal(result.overall_exact.numerator) / result.overall_exact.denominator) <= Decimal(
        "0.025"
    )


@settings(deadline=None)  # CPU-bound; the shared test machine is slow
@given(st.lists(st.integers(-20_000, 20_000), min_size=5, max_size=5))
def test_weights_are_accepted_only_when_they_sum_to_one(values: list[int]) -> None:
    if sum(values) == BASIS_POINTS and min(values) >= 0:
        assert sum(ScoreWeights(*values).as_dict().values()) == BASIS_POINTS
    else:
        with pytest.raises(InvalidInput):
            ScoreWeights(*values)


@settings(deadline=None)  # CPU-bound; the shared test machine is slow
@given(st.lists(st.decimals(0, 1, places=4), min_size=5, max_size=5))
def test_decimal_weights(values: list[Decimal]) -> None:
    named = dict(zip((c.value for c in Component), values, strict=True))
    if sum(values) == 1:
        assert ScoreWeights.from_decimals(named).as_decimals() == named
    else:
        with pytest.raises(InvalidInput):
            ScoreWeights.from_decimals(named)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(resume_texts, criteria)
def test_scoring_any_text_is_bounded_and_deterministic(text: str, job: HiringCriteria) -> None:
    result = score_resume(text, job, TODAY)
    assert [c.component for c in result.components] == list(Component)
    assert all(0 <= c.fit <= 1 for c in result.components)
    assert all(c.reason for c in result.components)
    assert result.overall == sum(c.value for c in result.components)
    assert Decimal(0) <= result.overall <= Decimal(10)
    assert set(result.must_have_missing).isdisjoint(result.skills_matched)
    assert 0 <= result.relevant_experience_months <= result.parsed.experience_months or not result.parsed.experience
    assert score_resume(text, job, TODAY) == result


@settings(deadline=None)  # CPU-bound; the shared test machine is slow
@given(resume_texts, st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)))
def test_parsing_never_fails_and_months_never_exceed_the_calendar(text: str, today: date) -> None:
    parsed = parse_resume(text, today)
    dated = [e for e in parsed.experience if e.period is not None]
    assert all(e.period is not None and e.period.end.index <= today.year * 12 + today.month - 1 for e in dated)
    assert sum(e.months for e in dated) >= len(dated) > 0 or not dated
    assert parse_resume(text, today) == parsed


@settings(deadline=None)  # CPU-bound; the shared test machine is slow
@given(st.text(max_size=200))
def test_date_ranges_in_any_text(line: str) -> None:
    found = find_date_range(line, TODAY)
    if found is not None:
        assert found.start <= found.end
        assert 1 <= found.months
