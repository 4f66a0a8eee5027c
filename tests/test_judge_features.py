"""The fact judge's word-order and agreement features (BLEU-like n-gram precision, word
edit distance, longest shared run, METEOR-like alignment, numbers and names agreeing) and
the shipped model's consistency with them.

Texts are fictional, written for these tests; quality figures come from bench/judge.py.
"""

from __future__ import annotations

import importlib.util
import random

import numpy as np
import pytest

from storydesk.compare.judge import (
    FEATURES,
    _bleu,
    _levenshtein,
    _longest_run,
    _meteor,
    _ngram_counts,
    figures_agreeing,
    judge_pairs,
    lexicon_logits,
    load_judge,
    pair_features,
    sentence_tokens,
)


def _edit_by_table(a: list[str], b: list[str]) -> int:
    prev = list(range(len(b) + 1))
    for x in a:
        cur = [prev[0] + 1]
        for q, y in enumerate(b):
            cur.append(min(prev[q + 1] + 1, cur[q] + 1, prev[q] + (x != y)))
        prev = cur
    return prev[-1]


def test_word_edit_distance_matches_the_table():
    rng = random.Random(3)
    for _ in range(300):
        a = [rng.choice("abcd") for _ in range(rng.randint(0, 70))]
        b = [rng.choice("abcd") for _ in range(rng.randint(0, 70))]
        assert _levenshtein(a, b) == _edit_by_table(a, b)
    assert _levenshtein("the minister resigned".split(), "the minister quit".split()) == 1


def test_longest_run_and_meteor_fragmentation():
    a = "police detained twelve protesters outside the court".split()
    b = "outside the court police detained twelve people".split()
    assert _longest_run(a, b) == 3  # "police detained twelve" / "outside the court"
    score, frag = _meteor(a, b)
    assert 0 < score < 1 and frag == 2 / 6  # six words aligned in two runs
    assert _meteor(a, a)[1] == 1 / len(a) and _meteor(a, ["rain"]) == (0.0, 1.0)


def test_bleu_is_symmetric_and_rewards_shared_order():
    a = "the minister resigned on tuesday after the audit".split()
    same_order = "the minister resigned on tuesday".split()
    shuffled = "tuesday on resigned minister the".split()
    lo, hi = _bleu(_ngram_counts(a), _ngram_counts(same_order))
    assert (lo, hi) == _bleu(_ngram_counts(same_order), _ngram_counts(a))
    assert 0 < lo <= hi <= 1
    assert _bleu(_ngram_counts(a), _ngram_counts(shuffled))[1] < hi


def test_number_and_name_agreement_features():
    texts = ["Police in Sorn detained 12 protesters on Friday.",
             "On Friday police in Sorn detained 12 protesters and 3 journalists.",
             "Police in Karsk detained 40 protesters on Friday."]
    f = pair_features(texts, [(0, 1), (0, 2)])
    assert f["num_equal"].tolist() == [0, 0] and f["num_subset"].tolist() == [1, 0]
    assert f["num_one_side"].tolist() == [0, 0]
    assert f["name_equal"].tolist() == [1, 0] and f["name_subset"].tolist() == [1, 0]
    g = figures_agreeing(f)  # the figures read as the same ones
    assert g["num_equal"].tolist() == [1, 1] and g["num_subset"].tolist() == [1, 1]
    assert np.array_equal(g["bleu_min"], f["bleu_min"])


def test_features_are_shares_not_counts_that_grow_with_length():
    short = ["Police detained 12 protesters outside the court on Friday.",
             "On Friday police detained 12 protesters outside the court."]
    long_ = [t[:-1] + ", " + t[:-1].lower() + ", and " + t[:-1].lower() + "." for t in short]
    f, g = pair_features(short, [(0, 1)]), pair_features(long_, [(0, 1)])
    for k in FEATURES:  # tripling both sentences leaves every feature near where it was
        assert abs(f[k][0] - g[k][0]) <= 0.5, k


def test_new_features_are_symmetric_and_finite():
    texts = ["The quake killed at least 15 people in Karsk before dawn on Monday.",
             "A strong earthquake struck Karsk early on Monday, killing 12 people."]
    f, g = pair_features(texts, [(0, 1)]), pair_features(texts, [(1, 0)])
    assert set(FEATURES) <= set(f)
    for k in FEATURES:
        assert np.isfinite(f[k]).all() and np.allclose(f[k], g[k]), k


def test_shipped_judges_read_these_features():
    for name in ("default", "minilm"):
        m = load_judge(name)
        extra = ["minilm_cos"] if name == "minilm" else []
        assert m["features"] == [*FEATURES, *extra]
        assert m["degree"] == 1 and len(m["coef"]) == len(m["features"])


@pytest.mark.skipif(importlib.util.find_spec("sentence_transformers") is None,
                    reason="needs the transformers extra")
def test_minilm_judge_tells_one_fact_from_another():
    texts = ["The minister resigned on Tuesday after the audit report was published.",
             "On Tuesday the minister stepped down following the audit report.",
             "Farmers in the north expect a poor harvest after weeks without rain."]
    p = judge_pairs(texts, [(0, 1), (0, 2)], load_judge("minilm"))
    assert p[0] > 0.5 > p[1]


def test_lexicon_weighs_words_on_one_side_and_on_both() -> None:
    """A word found on one side only adds its ``one`` weight, a word both sides have its
    ``both`` weight; a pair whose sentences know too few of the lexicon's words is left
    to the language-neutral judge."""
    lex = {"min_known": 0.5, "one": {"and": -1.0, "said": 0.25, "the": 0.0, "mayor": 0.0},
           "both": {"said": 0.5, "the": 0.125, "mayor": 0.0, "and": 0.0}}
    toks = [sentence_tokens(t) for t in ("The mayor said and the mayor",
                                         "The mayor said",
                                         "The mayor",
                                         "Der Bürgermeister sagte das")]
    i, j = np.array([0, 2, 0]), np.array([1, 1, 3])
    logit, applies = lexicon_logits(lex, toks, i, j)
    assert applies.tolist() == [True, True, False]
    # "and" on one side only (-1), "the", "mayor", "said" on both (0.125 + 0 + 0.5)
    assert logit[0] == pytest.approx(-1.0 + 0.125 + 0.5)
    assert logit[1] == pytest.approx(0.25 + 0.125)  # "said" on one side only
    assert logit[2] == 0.0


def test_shipped_judge_uses_its_english_lexicon_for_english_only() -> None:
    """English pairs get the English variant (it tells an added clause from an added
    attribution); the same pair in Spanish (our translation) keeps the neutral judge."""
    model = load_judge()
    assert "english" in model and model["english"]["lexicon"]["one"]["and"] < 0
    en = ["The council approved the new budget for the harbour on Tuesday.",
          "The council approved the new budget for the harbour on Tuesday, the mayor said.",
          "The council approved the new budget for the harbour on Tuesday and raised taxes."]
    es = ["El consejo aprobó el nuevo presupuesto del puerto el martes.",
          "El consejo aprobó el nuevo presupuesto del puerto el martes, dijo el alcalde.",
          "El consejo aprobó el nuevo presupuesto del puerto el martes y subió los impuestos."]
    pairs = [(0, 1), (0, 2)]
    p_en = judge_pairs(en, pairs)
    assert p_en[0] > p_en[1]  # an attribution added is the same fact, a clause is not
    neutral = {k: v for k, v in model.items() if k != "english"}
    assert np.allclose(judge_pairs(es, pairs), judge_pairs(es, pairs, neutral))
    assert not np.allclose(judge_pairs(en, pairs), judge_pairs(en, pairs, neutral))
