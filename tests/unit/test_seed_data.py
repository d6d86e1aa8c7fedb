"""The seed catalogues match the behaviour spec's appendices A and B."""

from __future__ import annotations

import zoneinfo
from typing import Any

import pytest

from adapters.db.seed import load_seed

EXPECTED_KEYS = [
    "company_size",
    "company_type",
    "industry",
    "user",
    "employment_type",
    "employment_category",
    "work_type",
    "experience_level",
    "availability",
    "session_categories",
    "timezones",
]
EXPECTED_COUNTS = {
    "company_size": 7,
    "company_type": 8,
    "industry": 15,
    "user": 3,
    "employment_type": 3,
    "employment_category": 5,
    "work_type": 3,
    "experience_level": 4,
    "availability": 2,
    "session_categories": 2,
}
# zoneinfo lists these two entries of the tz database that are not zones a user can live in.
NOT_USER_ZONES = {"localtime", "Factory"}


@pytest.fixture(scope="module")
def countries() -> list[dict[str, Any]]:
    data = load_seed("countries")
    assert isinstance(data, list)
    return data


@pytest.fixture(scope="module")
def options() -> dict[str, list[str]]:
    data = load_seed("valid_options.json")
    assert isinstance(data, dict)
    return data


def test_there_are_239_countries_with_the_documented_fields(countries: list[dict[str, Any]]) -> None:
    assert len(countries) == 239
    assert all(set(c) == {"country", "code", "permitted"} for c in countries)


def test_country_names_are_unique_and_have_no_outer_spaces(countries: list[dict[str, Any]]) -> None:
    names = [c["country"] for c in countries]
    assert len(set(names)) == len(names)
    assert all(name and name == name.strip() for name in names)


def test_every_country_is_permitted(countries: list[dict[str, Any]]) -> None:
    assert all(c["permitted"] is True for c in countries)


def test_every_phone_code_starts_with_plus(countries: list[dict[str, Any]]) -> None:
    assert all(isinstance(c["code"], str) and c["code"].startswith("+") for c in countries)


def test_countries_keep_file_order_and_odd_codes(countries: list[dict[str, Any]]) -> None:
    assert countries[0] == {"country": "Afghanistan", "code": "+93", "permitted": True}
    assert countries[-2:] == [
        {"country": "Nigeria", "code": "+234", "permitted": True},
        {"country": "Lithuania", "code": "+370", "permitted": True},
    ]
    by_name = {c["country"]: c["code"] for c in countries}
    assert by_name["Dominican Republic"] == "+1-809 and +1-829"
    assert by_name["Puerto Rico"] == "+1-787 or +1-939"
    assert by_name["Cote D'Ivoire"] == "+225"


def test_valid_option_keys_are_in_file_order(options: dict[str, list[str]]) -> None:
    assert list(options) == EXPECTED_KEYS


def test_valid_option_counts_match_appendix_a(options: dict[str, list[str]]) -> None:
    assert {key: len(values) for key, values in options.items() if key != "timezones"} == EXPECTED_COUNTS
    assert all(len(set(values)) == len(values) for values in options.values())
    assert all(isinstance(value, str) for values in options.values() for value in values)


def test_valid_option_values_are_verbatim(options: dict[str, list[str]]) -> None:
    assert options["company_size"] == ["1-10", "11-50", "51-200", "201-500", "501-1000", "1001-5000", "+5000"]
    assert options["employment_type"] == ["Remote", "Hybrid", "Onsite"]
    assert options["experience_level"] == ["senior", "mid", "entry", "executive"]
    assert options["industry"][:3] == ["banking", "entertainment", "transportation"]
    assert "others" in options["industry"]


def test_timezones_are_sorted_and_include_utc_and_legacy_aliases(options: dict[str, list[str]]) -> None:
    zones = options["timezones"]
    assert zones == sorted(zones)
    assert len(zones) >= 597
    assert {"UTC", "Africa/Lagos", "US/Eastern", "Asia/Calcutta", "Etc/GMT+1"} <= set(zones)
    assert not NOT_USER_ZONES & set(zones)


def test_every_zoneinfo_timezone_is_offered(options: dict[str, list[str]]) -> None:
    missing = zoneinfo.available_timezones() - NOT_USER_ZONES - set(options["timezones"])
    assert not missing


def test_unknown_or_unsafe_seed_names_are_rejected() -> None:
    with pytest.raises(FileNotFoundError):
        load_seed("nope")
    with pytest.raises(ValueError, match="invalid seed name"):
        load_seed("../seed/countries")
