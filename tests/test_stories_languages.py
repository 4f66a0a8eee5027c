"""Stories within and across languages, on a small fictional multilingual sample
(texts and translations written for these tests)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from storydesk.stories import OnlineGrouper, StorySettings
from storydesk.stories.keeper import _concat
from storydesk.stories.language import Languages, dominant
from storydesk.stories.metrics import language_scores, pair_counts
from storydesk.stories.records import Doc, Story
from storydesk.stories.scoring import Scorer

# One fictional event (a fire in the port of Karsk), reported in German and in English.
FIRE_DE = [
    ("de1", "Im Hafen von Karsk brannte am Montag ein Lagerhaus. Feuerwehrchef Jonas "
            "Wetterlind sagte, 47 Arbeiter seien in Sicherheit gebracht worden. Das Feuer "
            "im Hafen von Karsk zerstörte Lagerhalle 12."),
    ("de2", "Feuerwehrchef Jonas Wetterlind: Das Feuer im Karsker Hafen ist gelöscht. 47 "
            "Arbeiter wurden gerettet, Lagerhalle 12 ist zerstört. Die Polizei von Karsk "
            "ermittelt zur Brandursache."),
    ("de3", "Nach dem Brand im Hafen von Karsk prüft die Polizei die Ursache. Jonas Wetterlind "
            "lobte die Feuerwehr, die 47 Arbeiter aus Lagerhalle 12 rettete."),
]
FIRE_EN = ("en1", "A warehouse burned in the port of Karsk on Monday. Fire chief Jonas "
                  "Wetterlind said 47 workers were brought to safety from Warehouse 12.")
# Unrelated German news, so that German has a background of its own.
OTHER_DE = [
    (f"od{i}", f"Der Stadtrat von {town} beschloss am Dienstag einen neuen Haushalt für "
               f"Schulen und Straßen. Bürgermeisterin {mayor} nannte den Plan solide.")
    for i, (town, mayor) in enumerate([("Velmar", "Anna Kroll"), ("Osterbek", "Ruth Senn"),
                                       ("Tallow", "Maja Brix"), ("Hedby", "Ilse Form")])
]


def _add(g: OnlineGrouper, rows, lang: str) -> None:
    for doc_id, text in rows:
        g.add(doc_id, text, language=lang)


def test_languages_count_background_and_floor_the_bar():
    s = StorySettings(noise_ratio=10.0, noise_min_articles=2, noise_floor_max=0.15,
                      min_affinity=0.02)
    langs = Languages(s)
    de, en = langs.code("de-AT"), langs.code("en")
    assert langs.code("de") == de and langs.code(None) == 0 and langs.names[de] == "de"
    # two German unit vectors with cosine 0.6, three English ones with no term in common
    langs.count(de, [1, 2], [0.6, 0.8])
    langs.count(de, [1, 3], [1.0, 0.0])
    for t in (10, 11, 12):
        langs.count(en, [t], [1.0])
    assert langs.level(de) == pytest.approx(0.6)
    assert langs.level(en) == 0.0
    assert langs.floor(de) == 0.15  # 10 x 0.6, capped
    assert langs.floor(en) == 0.02  # min_affinity
    assert langs.factor(de, en) == s.cross_language_ratio and langs.factor(de, 0) == 1.0
    f = langs.factors(np.array([de, en, 0]), np.array([de, en]))
    assert f.tolist() == [[1.0, s.cross_language_ratio], [s.cross_language_ratio, 1.0],
                          [1.0, 1.0]]
    assert dominant({de: 2, en: 3}) == en and dominant({}) == 0
    # off: the bar floor is min_affinity whatever the background
    assert Languages(StorySettings(noise_ratio=0.0)).floor(de) == StorySettings().min_affinity


def test_a_story_bar_is_its_languages_floor_and_lower_across_languages():
    s = StorySettings(noise_ratio=10.0, noise_min_articles=2, cross_language_ratio=0.5)
    sc = Scorer(s)
    de, en = sc.languages.code("de"), sc.languages.code("en")
    sc.languages.count(de, [1, 2], [0.6, 0.8])
    sc.languages.count(de, [1, 3], [1.0, 0.0])
    st = Story(members={}, sum={})
    st.add_vector(Doc(np.array([1]), np.ones(1, np.float32), np.zeros(1, bool),
                      np.ones(1, np.float32), 0, None, False, [], lang=de))
    assert sc.lang_of(st) == de
    assert sc.threshold(st) == pytest.approx(max(s.join_ratio * sc.cohesion, 0.15))
    assert sc.threshold(st, en) == pytest.approx(0.5 * sc.threshold(st, de))
    assert sc.threshold(st, 0) == sc.threshold(st, de)


def _loose_story(sc: Scorer, lang: int) -> Story:
    """A story of four members, each pair with cosine 0.1 (a loose, broad topic)."""
    st = Story(members={}, sum={})
    base = 0.1 ** 0.5
    for t in range(4):
        st.add_vector(Doc(np.array([0, t + 1]), np.ones(2, np.float32), np.zeros(2, bool),
                          np.array([base, (1 - base * base) ** 0.5], np.float32), 0, None,
                          False, [], lang=lang))
    return st


def test_the_floor_holds_only_while_the_typical_bar_is_under_it():
    s = StorySettings(noise_ratio=10.0, noise_min_articles=2, noise_floor_max=0.15)
    sc = Scorer(s)
    de = sc.languages.code("de")
    sc.languages.count(de, [1, 2], [0.6, 0.8])
    sc.languages.count(de, [1, 3], [1.0, 0.0])  # floor 0.15
    st = _loose_story(sc, de)
    sc.cohesion = 0.2  # typical bar 0.1, under the floor: the floor holds
    assert sc.threshold(st) == pytest.approx(0.15) and sc.lang_floor(de) == 0.15
    sc.cohesion = 0.4  # typical bar 0.2, over the floor: the story's own cohesion decides
    own = s.join_ratio * sc.shrunk(st)
    assert own < 0.15
    assert sc.threshold(st) == pytest.approx(own) and sc.lang_floor(de) == s.min_affinity
    sc.languages.count(0, [5], [1.0])
    assert sc.lang_floor(0) == s.min_affinity  # unknown language, too few articles


def test_regroup_and_split_keep_their_hysteresis_under_the_floor():
    """Two articles whose cosine (0.13) is under the merge floor (0.15) but over the
    floor taken at the regroup ratio (0.4 / 0.5 x 0.15 = 0.12) merge in the regroup."""
    g = OnlineGrouper(StorySettings())
    c = g._consolidator
    K = np.array([[1.0, 0.13], [0.13, 1.0]])
    ones, far = np.ones(2), np.full(2, np.nan)

    def merges(ratio: float | None) -> list[tuple[int, int]]:
        lo, hi = np.where(np.isnan(far), np.inf, far), np.where(np.isnan(far), -np.inf, far)
        return c._agglomerate(K.copy(), ones.copy(), lo, hi, ones.copy(), ratio,
                              floors=np.full(2, 0.15))

    g.scorer.cohesion = 0.05  # the floor, not the cohesion, sets the bars
    assert merges(None) == []
    assert merges(g.settings.regroup_ratio) == [(0, 1)]


def test_coverage_in_another_language_joins_and_why_says_what_linked_it():
    g = OnlineGrouper(StorySettings())
    _add(g, FIRE_DE, "de")
    _add(g, OTHER_DE, "de")
    p = g.add(*FIRE_EN, language="en")
    g.consolidate(full=True)
    fire = {g.story_of(x) for x, _ in FIRE_DE}
    assert len(fire) == 1 and g.story_of("en1") in fire
    assert all(g.story_of(x) not in fire for x, _ in OTHER_DE)
    why = p.why if p.why["reason"] == "joined" else g.explain("en1")
    assert why["languages"] == ["en", "de"]
    assert "across languages (en / de) through names" in why["summary"]
    assert "wetterlind" in " ".join(why["shared_entities"]).lower()
    assert any("47" in n for n in why["shared_numbers"])


def test_across_languages_the_bar_factor_decides():
    """A short English note naming only the chief lies between the two bars of the German
    story: it joins only because a link across languages needs less."""
    note = "Jonas Wetterlind thanked the rescuers after the blaze."
    for ratio, joins in [(0.6, True), (1.0, False)]:
        g = OnlineGrouper(StorySettings(cross_language_ratio=ratio))
        _add(g, FIRE_DE, "de")
        _add(g, OTHER_DE, "de")
        p = g.add("note", note, language="en")
        assert (p.story_id == g.story_of("de1")) is joins
        g.consolidate(full=True)
        assert (g.story_of("note") == g.story_of("de1")) is joins


def test_languages_survive_segments_and_old_segments_read_as_unknown():
    g = OnlineGrouper()
    for i, (_, text) in enumerate(FIRE_DE + OTHER_DE):
        g.add(i, text, language="de")
    g.add(99, FIRE_EN[1], language="en")
    seg = g.export_new()
    placements = {x: g.story_of(x) for x in range(len(FIRE_DE + OTHER_DE))} | {99: g.story_of(99)}
    g2, missing = OnlineGrouper.load_segments(g.settings, [seg], placements)
    assert not missing
    names = g2.scorer.languages.names
    assert names[g2._docs[99].lang] == "en" and names[g2._docs[0].lang] == "de"
    assert g2.scorer.languages.level(g2._docs[0].lang) == pytest.approx(
        g.scorer.languages.level(g._docs[0].lang), rel=0.2)
    old = {k: v for k, v in seg.items() if k != "langs"}
    g3, _ = OnlineGrouper.load_segments(g.settings, [old], placements)
    assert g3._docs[99].lang == 0
    both = _concat([old, seg])
    assert json.loads(bytes(both["langs"]).decode()) == [""] * len(seg["ids"]) + json.loads(
        bytes(seg["langs"]).decode())


def test_language_scores_count_pairs_within_and_across_languages():
    gold = ["a", "a", "a", "b", "b"]
    pred = [1, 1, 2, 2, 2]
    langs = ["de", "de", "en", "en", "en"]
    assert pair_counts(gold, pred) == (4, 2, 6, 2)
    out = language_scores(gold, pred, langs)
    assert out["languages"]["de"] == {"articles": 2, "bcubed_f1": 1.0, "pair_recall": 1.0,
                                      "pair_false_joins": None}
    en = out["languages"]["en"]
    assert en["pair_recall"] == 1.0 and en["pair_false_joins"] == 1.0
    # across: (de, en) pairs: a-a twice (not joined), a-b four times (none joined)
    assert out["across_languages"] == {"same_story_pairs": 2, "pair_recall": 0.0,
                                       "different_pairs": 4, "pair_false_joins": 0.0}


def test_names_count_less_outside_english():
    """A name weighs ``entity_boost`` in English (or an unknown language) and
    ``entity_boost_other`` in any other language; other words weigh the same."""
    from storydesk.settings import VectorSettings
    from storydesk.stories.vectorize import featurize

    vs = VectorSettings(entity_boost=2.0, entity_boost_other=1.25)
    text = "El lunes habló Wetterlind en el ayuntamiento de Karsk."

    def weight(feats, word: str) -> float:
        (b,) = [b for b, name in feats.names.items() if name.lower() == word]
        return float(feats.tfw[np.searchsorted(feats.idx, b)])

    en, es, unknown = (featurize(text, settings=vs, language=lang)
                       for lang in ("en", "es", None))
    assert weight(en, "wetterlind") == pytest.approx(2.0)
    assert weight(unknown, "wetterlind") == pytest.approx(2.0)
    assert weight(es, "wetterlind") == pytest.approx(1.25)
    assert weight(en, "ayuntamiento") == weight(es, "ayuntamiento") == pytest.approx(1.0)
