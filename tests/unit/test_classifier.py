"""The default keyword industry classifier."""

from __future__ import annotations

import pytest

from adapters.classifier.keywords import KeywordIndustryClassifier
from adapters.classifier.lexicon import INDUSTRY_LEXICON
from adapters.db.seed import load_seed
from ports.classifier import IndustryClassifier

REPRESENTATIVE = {
    "banking": "Our bank just cut interest rates on mortgages, and loan approvals are faster with the new app.",
    "entertainment": "The new Nollywood movie premiere was a blast: great actors, amazing music and a packed cinema.",
    "transportation": "Our logistics team moves freight by truck and rail; airline cargo is next for the supply chain.",
    "education": "Students preparing for WAEC exams can get free tutoring at the university every semester.",
    "agriculture": "Smallholder farmers increased their cassava and maize harvest thanks to better irrigation.",
    "business": "How I grew my small business as an entrepreneur: pitch investors early and watch revenue.",
    "construction": "Site engineers needed: cement, rebar, roofing and plumbing contractors for a housing project.",
    "government": "The minister told the Senate that the federal government will review taxation before elections.",
    "commerce": "Launch your online store on our e-commerce marketplace and reach more customers and buyers.",
    "health": "Doctors and nurses at the hospital are vaccinating patients against malaria this week.",
    "technology": "Hiring a senior Python developer to build our SaaS backend, APIs and machine learning pipeline.",
    "manufacturing": "Our factory expanded its production line for textile manufacturing with new machinery.",
    "sports": "The Super Eagles won the AFCON semi-final in a packed stadium; the striker was brilliant.",
    "media": "Journalists and editors at the newspaper covered the breaking news on radio and television.",
}
NEUTRAL = [
    "Had a lovely day with my family, thankful for everything.",
    "Good morning everyone! Wishing you a productive week ahead.",
    "Thank you all for the kind words on my birthday.",
]


@pytest.fixture(scope="module")
def classifier() -> KeywordIndustryClassifier:
    return KeywordIndustryClassifier()


def test_satisfies_the_port(classifier: KeywordIndustryClassifier) -> None:
    port: IndustryClassifier = classifier
    assert port.classify("bank") == ["banking"]


def test_lexicon_keys_are_the_valid_industries_minus_others() -> None:
    industries = load_seed("valid_options")["industry"]
    assert set(INDUSTRY_LEXICON) == set(industries) - {"others"}
    assert list(INDUSTRY_LEXICON) == [i for i in industries if i != "others"]


def test_lexicon_has_20_to_40_terms_per_industry() -> None:
    assert all(20 <= len(terms) <= 40 for terms in INDUSTRY_LEXICON.values())


def test_representative_texts_cover_every_industry() -> None:
    industries = load_seed("valid_options")["industry"]
    assert set(REPRESENTATIVE) == set(industries) - {"others"}


@pytest.mark.parametrize(("industry", "text"), sorted(REPRESENTATIVE.items()))
def test_representative_text_is_tagged_with_its_industry_first(
    classifier: KeywordIndustryClassifier, industry: str, text: str
) -> None:
    assert classifier.classify(text)[0] == industry


@pytest.mark.parametrize("text", NEUTRAL)
def test_neutral_text_is_others(classifier: KeywordIndustryClassifier, text: str) -> None:
    assert classifier.classify(text) == ["others"]


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "!!! ... ???", "#", "🙂🙂"])
def test_empty_or_wordless_text_is_others(classifier: KeywordIndustryClassifier, text: str) -> None:
    assert classifier.classify(text) == ["others"]


def test_results_are_always_valid_industries(classifier: KeywordIndustryClassifier) -> None:
    valid = set(load_seed("valid_options")["industry"])
    for text in [*REPRESENTATIVE.values(), *NEUTRAL]:
        labels = classifier.classify(text)
        assert labels
        assert set(labels) <= valid
        assert len(labels) == len(set(labels))


def test_is_deterministic_across_calls_and_instances(classifier: KeywordIndustryClassifier) -> None:
    text = "Fintech startups help farmers get loans to sell crops on an e-commerce marketplace."
    first = classifier.classify(text)
    assert all(classifier.classify(text) == first for _ in range(5))
    assert KeywordIndustryClassifier().classify(text) == first


def test_multi_label_ordered_by_score_then_name(classifier: KeywordIndustryClassifier) -> None:
    text = "Machine learning in healthcare: how AI helps doctors diagnose patients in the hospital."
    assert classifier.classify(text) == ["health", "technology"]
    # equal scores: alphabetical
    assert classifier.classify("bank farm") == ["agriculture", "banking"]


def test_max_labels_caps_the_result() -> None:
    text = "bank farm hospital school football"
    assert KeywordIndustryClassifier().classify(text) == ["agriculture", "banking", "education"]
    assert KeywordIndustryClassifier(max_labels=1).classify(text) == ["agriculture"]
    assert len(KeywordIndustryClassifier(max_labels=10).classify(text)) == 5


def test_min_score_drops_weak_industries() -> None:
    text = "Our bank and the banking sector finance farm projects."
    assert KeywordIndustryClassifier().classify(text) == ["banking", "agriculture"]
    assert KeywordIndustryClassifier(min_score=2).classify(text) == ["banking"]
    assert KeywordIndustryClassifier(min_score=10).classify(text) == ["others"]


@pytest.mark.parametrize(
    ("text", "industry"),
    [
        ("Proud of our #AgriTech journey", "agriculture"),
        ("#fintech is changing payments", "banking"),
        ("Join our #EdTech webinar", "education"),
        ("#Nollywood to the world", "entertainment"),
        ("#MachineLearning for everyone", "technology"),
    ],
)
def test_hashtags_are_matched(classifier: KeywordIndustryClassifier, text: str, industry: str) -> None:
    assert classifier.classify(text) == [industry]


def test_domain_tech_compounds_do_not_count_as_technology(classifier: KeywordIndustryClassifier) -> None:
    assert classifier.classify("agritech") == ["agriculture"]
    assert classifier.classify("fintech") == ["banking"]


@pytest.mark.parametrize(
    "text",
    ["HOSPITAL", "Hospital", "ｈｏｓｐｉｔａｌ", "ＨＯＳＰＩＴＡＬ", "Médical", "MEDICAL", "MEDICALS"],
)
def test_case_width_and_accent_insensitive(classifier: KeywordIndustryClassifier, text: str) -> None:
    assert classifier.classify(text) == ["health"]


def test_ligatures_are_normalised(classifier: KeywordIndustryClassifier) -> None:
    # "ﬁ" is the U+FB01 ligature; NFKC turns it into "fi"
    assert classifier.classify("ﬁnance ministry") == ["banking", "government"]


def test_word_boundaries_are_respected(classifier: KeywordIndustryClassifier) -> None:
    # "ai" inside words, "tax" inside "syntax", "exam" inside "example", "rice" inside "price"
    assert classifier.classify("Email the main plaintiff an example of the syntax price") == ["others"]
    assert classifier.classify("AI") == ["technology"]


def test_stems_match_inflections(classifier: KeywordIndustryClassifier) -> None:
    for word in ["farm", "farms", "farmer", "farmers", "farming"]:
        assert classifier.classify(word) == ["agriculture"]


def test_multi_word_phrases_match_across_punctuation_and_whitespace(classifier: KeywordIndustryClassifier) -> None:
    assert classifier.classify("the  World\nCup!") == ["sports"]
    assert classifier.classify("e-commerce") == ["commerce"]
    assert classifier.classify("E  Commerce") == ["commerce"]
    assert classifier.classify("world") == ["others"]


def test_longest_phrase_wins_over_its_words(classifier: KeywordIndustryClassifier) -> None:
    # "tv series" is entertainment; "tv" alone is media
    assert classifier.classify("a tv series") == ["entertainment"]
    assert classifier.classify("on tv") == ["media"]
    assert classifier.scores("social media") == {"media": 1}


def test_custom_lexicon() -> None:
    custom = KeywordIndustryClassifier({"sports": ["chess*", "grand master"], "education": iter(["chess club"])})
    assert custom.classify("Chess players") == ["sports"]
    assert custom.classify("our chess club meets") == ["education"]
    assert custom.classify("a Grand  Master") == ["sports"]
    assert custom.classify("football") == ["others"]


@pytest.mark.parametrize(
    "lexicon",
    [{"others": ["x"]}, {"": ["bank"]}, {"banking": ["ba*"]}, {"banking": ["!!!"]}],
)
def test_invalid_lexicons_are_rejected(lexicon: dict[str, list[str]]) -> None:
    with pytest.raises(ValueError):
        KeywordIndustryClassifier(lexicon)


@pytest.mark.parametrize(("max_labels", "min_score"), [(0, 1), (3, 0)])
def test_invalid_limits_are_rejected(max_labels: int, min_score: int) -> None:
    with pytest.raises(ValueError):
        KeywordIndustryClassifier(max_labels=max_labels, min_score=min_score)


def test_long_text_is_handled(classifier: KeywordIndustryClassifier) -> None:
    text = " ".join(["football match at the stadium"] * 2000)
    assert classifier.classify(text) == ["sports"]
    assert classifier.scores(text) == {"sports": 4000}
