"""The fact judge (same fact or not), contradictions only between statements of one fact,
quotes credited to their speakers, and ``storydesk eval facts``.

All texts are fictional, written for these tests; quality figures come from real data
(bench/judge.py, bench/compare.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from storydesk.compare import CompareArticle, compare
from storydesk.compare.details import quantities
from storydesk.compare.judge import (
    figures_agreeing,
    judge_matrices,
    judge_pairs,
    load_judge,
    pair_features,
    sentence_tokens,
)
from storydesk.compare.quantities import like_pairs, measured, meets
from storydesk.compare.quotes import credit
from storydesk.settings import CompareSettings


def test_judge_tells_one_fact_from_another():
    texts = [
        "The minister resigned on Tuesday after the audit report was published.",
        "On Tuesday the minister resigned following the publication of the audit report.",
        "Farmers in the north expect a poor harvest after weeks without rain.",
    ]
    p = judge_pairs(texts, [(0, 1), (0, 2)])
    assert p[0] > 0.5 > p[1]


def test_features_are_symmetric_and_bounded():
    texts = ["Police detained 12 protesters outside the court on Friday.",
             "Twelve protesters were detained by police outside the court."]
    f = pair_features(texts, [(0, 1)])
    g = pair_features(texts, [(1, 0)])
    for k in f:
        assert np.allclose(f[k], g[k]), k
    assert 0 < f["stem_min"][0] <= 1 and f["num_both"][0] == 1 and f["num_equal"][0] == 1


def test_tokens_read_names_numbers_and_negation():
    t = sentence_tokens("The court did not release Anton Renko, who paid 9,000 crowns.")
    assert {"anton", "renko"} <= t.names and "the" not in t.names
    assert "9000" in t.numbers and t.negated


def test_same_fact_apart_from_figures():
    texts = ["The quake killed 12 people in Sorn on Monday, officials said.",
             "The quake killed 15 people in Sorn on Monday, officials said."]
    same, apart = judge_matrices(texts, [0, 1])
    assert same[0, 1] >= 0.5 and apart[0, 1] >= 0.5
    f = pair_features(texts, [(0, 1)])
    g = figures_agreeing(f)
    assert f["num_shared"][0] == 0 and f["num_equal"][0] == 0
    assert g["num_shared"][0] == 1 and g["num_equal"][0] == 1


def test_polar_station_opening_is_shared():
    """Two accounts of one opening, worded differently, are one shared fact."""
    a = CompareArticle("a", "President Kalvan and President Vastrov on Thursday took part via "
                       "video link in the online opening of the Aurora Ridge station's "
                       "wintering complex in Antarctica. The cost was not disclosed.")
    b = CompareArticle("b", "Kalvan took part by video link in the opening of a new wintering "
                       "facility at the Aurora Ridge research station in Antarctica on "
                       "Thursday. Police detained nine people in Velgrad.")
    c = compare([a, b], similarity=False)
    assert any(f.members == [(0, 0), (1, 0)] for f in c.shared)


def test_contradictions_carry_confidence_and_readers_hold_back_the_unsure():
    a = CompareArticle("a", "The fire on the ferry Gull Star killed 12 passengers on Monday, "
                       "the coast guard said.")
    b = CompareArticle("b", "The fire on the ferry Gull Star killed 15 passengers on Monday, "
                       "the coast guard said.")
    c = compare([a, b], similarity=False)
    assert [k.type for k in c.contradictions] == ["number"]
    assert 0.5 <= c.contradictions[0].confidence <= 1
    d = c.to_dict()["comparison"]
    assert d["contradictions"][0]["confidence"] > 0 and d["contradictions_held_back"] == 0
    strict = compare([a, b], CompareSettings(min_confidence=1.01), similarity=False)
    d = strict.to_dict()["comparison"]
    assert d["contradictions"] == [] and d["contradictions_held_back"] == 1


def test_different_events_are_not_compared():
    """Death tolls of two different quakes in one story are no contradiction."""
    a = CompareArticle("a", "A magnitude 5.9 earthquake struck Karsk early on Monday, "
                       "killing three people. Rescuers searched collapsed buildings.")
    b = CompareArticle("b", "Last year's earthquake in the southern province of Velmora "
                       "left at least 12 dead and hundreds homeless. Karsk was shaken again on "
                       "Monday.")
    assert [k.type for k in compare([a, b], similarity=False).contradictions] == []


def test_a_bound_meets_its_figure():
    more, = quantities("The siege lasted more than 30 hours.", 0.1)
    exact, = quantities("The siege lasted 30 hours.", 0.1)
    fewer, = quantities("The siege lasted 20 hours.", 0.1)
    assert meets(more, exact) and not meets(more, fewer)
    a = CompareArticle("a", "Police said the siege of the embassy lasted more than 30 hours.")
    b = CompareArticle("b", "Police said the siege of the embassy lasted 30 hours.")
    assert compare([a, b], similarity=False).contradictions == []


def test_numbers_are_set_against_the_same_subject_only():
    sa = "In the poll Romney had 21%, Gingrich 20% and Paul 17%."
    sb = "In the poll Romney had 24% and Gingrich 20%."
    pairs = like_pairs(measured(sa, quantities(sa, 0.1)), measured(sb, quantities(sb, 0.1)))
    got = {(x.q.value, y.q.value) for x, y, _ in pairs}
    assert got == {(21, 24), (20, 20)}


def test_publication_stamps_are_not_facts():
    a = CompareArticle("a", "Updated 10:32 a.m. EST. Heavy rain flooded the Ness valley on "
                       "Sunday, forcing 300 people from their homes.", date="2024-03-04")
    b = CompareArticle("b", "Updated 14:05 GMT. Heavy rain flooded the Ness valley on Sunday, "
                        "forcing 300 people from their homes.", date="2024-03-04")
    assert compare([a, b], similarity=False).contradictions == []


def test_quote_credit_by_attribution():
    persons = ["Barack Obama", "Michael Steele", "Bill Kristol"]
    s = ["Michael Steele spoke to reporters on Monday.",
         '"We will not back down," he said.',
         'Bill Kristol said in a letter: "The party has lost its way."',
         'Obama gave a speech in which he said "the economy is turning a corner."',
         '"Nobody expected this."']
    assert credit(s, 1, persons)[0] == "Steele"
    assert credit(s, 2, persons)[0] == "Kristol"
    assert credit(s, 3, persons)[0] == "Obama"
    who, sure = credit(s, 4, persons)  # by the sentence before, less sure
    assert who == "Obama" and sure < 0.5
    assert credit(['"Nobody expected this."'], 0, persons) is None


def test_a_quote_credited_to_an_organisation_is_not_given_to_a_person_after_it():
    """"According to Velcor, Harn Systems will ..." credits Velcor (no person), even when
    the next name is taken for a person; the mayor's title before her name still counts."""
    persons = ["Harn Systems", "Tilda Harn"]
    s = ['According to Velcor, Harn Systems will sell its servers "for the foreseeable '
         'future," but new ones come next year.']
    assert credit(s, 0, persons) is None
    t = ['"The dam is safe," said the county mayor, Tilda Harn.']
    assert credit(t, 0, persons)[0] == "Harn"


def test_unknown_speaker_is_never_an_attribution_clash():
    a = CompareArticle("a", 'Senator Maria Lund spoke in Velgrad. "The budget will pass '
                       'before the summer recess," Lund said.')
    b = CompareArticle("b", 'The vote is due in June. "The budget will pass before the '
                       'summer recess."')
    types = {k.type for k in compare([a, b], similarity=False).contradictions}
    assert "quote_attribution" not in types and "quote_wording" not in types


def test_load_judge_errors_name_the_file(tmp_path):
    bad = tmp_path / "j.json"
    bad.write_text("{}", encoding="utf-8")
    try:
        load_judge(str(bad))
    except ValueError as e:
        assert "j.json" in str(e) and "features" in str(e)
    else:
        raise AssertionError("a judge without features was loaded")


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "storydesk"), *args],
                          capture_output=True, text=True, timeout=120)


def test_cli_eval_facts(tmp_path):
    rows = [
        {"id": "1", "label": 1, "s1": "The minister resigned on Tuesday after the audit report.",
         "s2": "On Tuesday the minister resigned following the audit report."},
        {"id": "2", "label": 0, "s1": "Police arrested 12 protesters outside the court.",
         "s2": "The central bank raised interest rates by half a point."},
        {"id": "3", "label": 1, "s1": "Storms cut power to 40,000 homes in the north.",
         "s2": "Storms in the north cut power to 40,000 homes."},
    ]
    f = tmp_path / "pairs.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    r = _cli("eval", "facts", str(f), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert {"accuracy", "f1", "precision", "recall"} <= set(out) and out["pairs"] == 3
    assert out["accuracy"] == 1.0 and out["fitted_on_this_file"] is False
    r = _cli("eval", "facts", str(f))
    assert r.returncode == 0 and "accuracy" in r.stdout
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "label": 1, "s1": "a"}\n', encoding="utf-8")
    r = _cli("eval", "facts", str(bad))
    assert r.returncode != 0 and "bad.jsonl" in r.stderr and "line 1" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_a_weekday_read_against_two_article_dates_is_held_back():
    a = CompareArticle("a", "The council voted on Friday to close the Lowgate bridge to lorries.",
                       date="2024-03-09")
    b = CompareArticle("b", "The council voted on Friday to close the Lowgate bridge to lorries.",
                       date="2024-03-16")
    c = compare([a, b], similarity=False)
    assert [k.type for k in c.contradictions] == ["date"]
    assert c.to_dict()["comparison"]["contradictions"] == []  # held back, counted
    assert c.to_dict()["comparison"]["contradictions_held_back"] == 1


def test_a_name_that_is_no_place_of_the_event_is_no_place_clash():
    a = CompareArticle("a", "The president signed the budget bill in Washington on Friday.")
    b = CompareArticle("b", "The president signed the budget bill on Friday, Bush said.")
    assert [k for k in compare([a, b], similarity=False).contradictions
            if k.type == "place"] == []


def test_judge_between_a_mask_judges_only_its_pairs_with_the_same_probabilities() -> None:
    from storydesk.compare.judge import judge_between

    a = ["Floodgates of the Verin dam were opened on Monday.",
         "The mayor of Oskar County ordered 300 homes evacuated."]
    b = ["The Verin dam opened its floodgates on Monday.",
         "Residents of 300 homes in Oskar County were evacuated.",
         "Heavy rain fell over Oskar County for three days."]
    full = judge_between(a, b)
    mask = np.array([[True, False, True], [False, True, False]])
    some = judge_between(a, b, mask=mask)
    assert np.allclose(some[mask], full[mask])
    assert not some[~mask].any()
    assert full[0, 0] > 0.5 and full[1, 1] > 0


def test_overlaps_counted_on_sets_equal_the_binary_matrix_ones() -> None:
    """The pair features count shared items on sets; the binary term matrix's row dot
    products (what they were read from before) are the oracle."""
    import random

    import numpy as np

    from storydesk.compare.judge import _binary, _rowdot, _set_overlap

    rng = random.Random(3)
    bags = [[rng.choice("abcdefghij") for _ in range(rng.randrange(0, 12))] for _ in range(40)]
    i = np.array([rng.randrange(40) for _ in range(200)])
    j = np.array([rng.randrange(40) for _ in range(200)])
    inter, n = _set_overlap(bags, i, j)
    b = _binary(bags)
    assert np.array_equal(inter, _rowdot(b, i, j))
    assert np.array_equal(n, np.asarray(b.sum(axis=1)).ravel().astype(np.float64))


def test_character_ngram_cosines_equal_scikit_learns() -> None:
    """The judge's character n-gram TF-IDF is built from n-grams kept per word; what it
    was fitted on, scikit-learn's char_wb vectorizer, is the oracle (cosines within 1e-6),
    short words, accents, empty texts and texts of stop words alone included."""
    import random

    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    from storydesk.compare.char_grams import char_tfidf
    from storydesk.compare.judge import _char_matrix, _rowdot, sentence_tokens
    from storydesk.text import stopwords

    rng = random.Random(5)
    vocab = ("harbour ferry Karsk pier mayor Ana Lind sold reopened a ox Øresund café "
             "naïve 12,000 tonnes storm the of and").split()
    texts = [" ".join(rng.choice(vocab) for _ in range(rng.randrange(0, 14))) + "."
             for _ in range(60)] + ["", "The of and."]
    toks = [sentence_tokens(t) for t in texts]
    stop = stopwords(None)
    docs = [" ".join(w for w in t.words if w not in stop) for t in toks]
    oracle = sparse.csr_matrix(TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
        dtype=np.float32).fit_transform(docs))
    i = np.array([rng.randrange(len(texts)) for _ in range(300)])
    j = np.array([rng.randrange(len(texts)) for _ in range(300)])
    assert np.allclose(_rowdot(_char_matrix(toks), i, j), _rowdot(oracle, i, j),
                       atol=1e-6)
    assert _char_matrix([sentence_tokens(""), sentence_tokens("The.")]).nnz == 0
    # " ox", "ox " and " ox " (shorter than a 5-gram: no more); an empty text, an empty row
    assert char_tfidf([["ox"], []]).shape == (2, 3)
    assert char_tfidf([["ox"], []])[1].nnz == 0
