"""The SemEval-2022 similarity profile: shipped models, features, fitting, grouped CV."""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import pytest

from storydesk.compare import similarity as sim
from storydesk.compare.similarity import PairText

QUAKE = PairText(
    "Earthquake kills 12 in Karsk. A magnitude 5.9 earthquake struck near Karsk, Ostmark, "
    "on 2 March 2026, killing 12 people and injuring more than 150, the civil protection "
    "agency said. Rescuers searched the rubble of the old town through the night.",
    language="en")
QUAKE2 = PairText(
    "Karsk quake: 12 dead, over 150 hurt. Twelve people died when a 5.9 earthquake hit the "
    "Ostmark city of Karsk on March 2, 2026. Rescue teams worked in the old town overnight, "
    "officials in Karsk said.", language="en")
APPLES = PairText(
    "Record apple harvest in Oskel. Farmers in Oskel sold a record apple harvest at the "
    "spring market, the growers' association said on Friday. Prices rose by a third.",
    language="en")


def test_shipped_models_load_and_differ_by_dimension():
    model = sim.load_model("default")
    assert model is not None and model["trained_on"]["pairs"] > 1000
    assert "minilm_cos" not in " ".join(model["features"])
    assert any("minilm_cos" in f for f in sim.load_model("minilm")["features"])
    p = sim.profile(QUAKE, QUAKE2)
    assert set(p) == set(sim.DIMENSIONS) and len(set(p.values())) > 1
    far = sim.profile(QUAKE, APPLES)
    assert p["overall"] < far["overall"] and p["entities"] < far["entities"]


def test_features_across_languages_and_dates():
    f = sim.pair_features(QUAKE, QUAKE2, sim.load_model("default"))
    assert f["numbers"] == 1.0 and f["dates"] == 1.0 and f["date_gap"] == 1.0
    assert f["english"] == 1.0 and f["places"] > 0
    zh = PairText("卡尔斯克地震：2026年3月2日，Karsk 发生 5.9 级地震，12 人死亡。", language="zh")
    x = sim.pair_features(QUAKE, zh)
    assert x["same_lang"] == 0.0 and x["dates"] == 1.0 and x["numbers"] > 0
    assert x["tone_gap"] == 0.0  # tone only between two English texts


def test_env_picks_model(monkeypatch, tmp_path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps(sim.load_model("default")), encoding="utf-8")
    monkeypatch.setenv("STORYDESK_SIMILARITY", str(path))
    assert sim.load_model() == sim.load_model("default")
    with pytest.raises(FileNotFoundError):
        sim.load_model(str(tmp_path / "missing.json"))


def _rows(n: int = 12) -> list[dict]:
    rows = []
    for k in range(n):
        close = k % 2 == 0
        b = QUAKE2 if close else APPLES
        rows.append({"pair_id": f"{100 + k}_{200 + k}", "lang1": "en", "lang2": "en",
                     "text1": QUAKE.text + f" Report {k}.", "text2": b.text + f" Note {k}.",
                     **{d.capitalize(): (1.0 if close else 4.0) for d in sim.DIMENSIONS}})
    return rows


def test_groups_keep_shared_articles_together():
    rows = _rows(4)
    rows[1]["pair_id"] = "100_999"  # shares article 100 with row 0
    rows[3]["text2"] = rows[2]["text2"]  # shares a text with row 2
    g = sim.article_groups(rows)
    assert g[0] == g[1] and g[2] == g[3] and g[0] != g[2]


def test_fit_and_cross_validate():
    rows = _rows()
    pairs = sim.pair_texts(rows)
    gold = sim.gold_labels(rows)
    model = sim.fit_model(pairs, gold, sim.RECIPES["default"])
    _, pred = sim.profiles(pairs, model)
    assert np.corrcoef(pred["overall"], gold[:, 4])[0, 1] > 0.9
    cv = sim.cross_validate(pairs, gold, sim.article_groups(rows), sim.RECIPES["default"])
    assert np.corrcoef(cv["overall"], gold[:, 4])[0, 1] > 0.5


def test_eval_on_the_fitting_file_is_cross_validated(tmp_path):
    import csv

    rows = _rows()
    f = tmp_path / "pairs.csv"
    with open(f, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    model = sim.fit_model(sim.pair_texts(rows), sim.gold_labels(rows), sim.RECIPES["default"])
    model["trained_on"] = {"sha256": sim.file_sha256(f)}
    mpath = tmp_path / "model.json"
    mpath.write_text(json.dumps(model), encoding="utf-8")
    r = sim.evaluate_similarity(f, str(mpath))
    assert r["fitted_on_this_file"] and "cross-validation" in r["evaluation"]
    assert r["english"]["pairs"] == 12
    r2 = sim.evaluate_similarity(f, "default")
    assert not r2["fitted_on_this_file"] and r2["evaluation"] == "shipped weights"


@pytest.mark.skipif(importlib.util.find_spec("sentence_transformers") is None,
                    reason="the transformers extra is not installed")
def test_minilm_model():
    p = sim.profile(QUAKE, QUAKE2, sim.load_model("minilm"))
    far = sim.profile(QUAKE, APPLES, sim.load_model("minilm"))
    assert p["overall"] < far["overall"]


def test_find_dates_starts_at_words_only():
    from storydesk.extract.dates import find_dates

    text = "Samstag, 21.03.2020: see 2024-01-28 and Jan. 5, 2021; x2024-01-28 is no date."
    assert [iso[:10] for _, _, iso in find_dates(text)] == [
        "2020-03-21", "2024-01-28", "2021-01-05"]
    assert text[slice(*find_dates(text)[0][:2])] == "Samstag, 21.03.2020"


def test_minilm_blend_applies_to_english_pairs_only():
    model = {"features": ["word_cos"], "mean": [0.0], "scale": [1.0], "blend": 0.5,
             "dimensions": {d: {"intercept": 3.0, "coef": [0.0]} for d in sim.DIMENSIONS}}
    rows = [{"word_cos": 0.2, "english": 1.0, "minilm_cos": 1.0},
            {"word_cos": 0.2, "english": 0.0, "minilm_cos": 1.0}]
    pred = sim._predict(np.array([[0.2], [0.2]]), model, rows)
    # English: half the ridge's 3.0, half 4 - 3 x 1.0; other pairs: the ridge alone
    assert pred["overall"].tolist() == [2.0, 3.0]
    assert sim._predict(np.array([[0.2]]), model | {"blend": 0.0}, rows[:1])[
        "overall"].tolist() == [3.0]


def test_models_say_what_they_are():
    assert sim.describe(sim.load_model("default"), "default") == sim.DESCRIPTIONS["default"]
    assert sim.describe(None, "x").startswith("x (no model file")
    m = sim.load_model("minilm")
    assert m["blend"] == sim.BLENDS["minilm"]
    assert sim.describe(m, "minilm") == sim.DESCRIPTIONS["minilm"]
