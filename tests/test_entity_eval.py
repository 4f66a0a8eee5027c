"""The document-level entity scorer and ``storydesk eval entities`` through the CLI."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from storydesk.extract.entity_eval import score

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "entities"


def _e(text: str, type_: str) -> dict[str, object]:
    return {"text": text, "type": type_, "start": 0, "end": len(text)}


def test_longest_form_whole_tokens_and_types() -> None:
    docs = [{"id": "a", "entities": [_e("Anton Renko", "PER"), _e("Renko", "PER"),
                                     _e("Karsk", "LOC"), _e("Karsk Transit", "ORG"),
                                     _e("Valdorian", "MISC")]}]
    # gold longest: anton renko/PER, karsk/LOC, karsk transit/ORG (MISC not scored)
    pred = {"a": [("Renko", "person"), ("Karsk", "place"), ("Karsk Transit", "place"),
                  ("Valdorian", "MISC")]}
    s = score(docs, pred)
    # right: renko (a gold mention); wrong: karsk transit typed place
    assert s["precision"] == pytest.approx(2 / 3)
    # found: karsk only ("renko" does not hold "anton renko")
    assert s["recall"] == pytest.approx(1 / 3)
    assert s["per_type"]["ORG"]["recall"] == 0.0
    assert s["per_type"]["LOC"]["precision"] == pytest.approx(1 / 2)
    pred = {"a": [("Anton Renko", "PER"), ("Karsk Transit", "ORG"), ("Karsk", "LOC")]}
    assert score(docs, pred)["f1"] == 1.0
    assert score(docs, pred, typed=False)["f1"] == 1.0


@pytest.mark.skipif(not (SHARED / "doc_score.py").exists(), reason="shared data not here")
def test_same_figures_as_the_published_scorer() -> None:
    spec = importlib.util.spec_from_file_location("doc_score", SHARED / "doc_score.py")
    assert spec and spec.loader
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    rows = [json.loads(line) for line in
            (SHARED / "conll2003_dev.jsonl").read_text("utf-8").splitlines()[-40:]]
    # a degraded prediction: every other gold mention, some with a wrong type
    pred = {r["id"]: [(e["text"], e["type"] if i % 3 else "ORG")
                      for i, e in enumerate(r["entities"]) if i % 2] for r in rows}
    ours = score(rows, pred)
    assert (ours["precision"], ours["recall"], ours["f1"]) == pytest.approx(
        ref.score(rows, pred, typed=True))
    untyped = score(rows, pred, typed=False)
    assert (untyped["precision"], untyped["recall"], untyped["f1"]) == pytest.approx(
        ref.score(rows, pred, typed=False))


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    cmd = [str(Path(sys.executable).parent / "storydesk"), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


def test_eval_entities_cli(tmp_path: Path) -> None:
    rows = []
    for i, (text, ents) in enumerate([
        ("Mayor Jonas Wetterlind of Karsk opened the tram line. Wetterlind thanked "
         "Karsk Transit.", [("Jonas Wetterlind", "PER"), ("Wetterlind", "PER"),
                            ("Karsk", "LOC"), ("Karsk Transit", "ORG")]),
        ("The Central Election Commission of Valdoria, headed by Gregor Lasko, invited "
         "observers.", [("Central Election Commission", "ORG"), ("Valdoria", "LOC"),
                        ("Gregor Lasko", "PER")]),
    ], 1):
        spans = []
        for name, t in ents:
            start = text.index(name)
            spans.append({"text": name, "type": t, "start": start, "end": start + len(name)})
        rows.append({"id": f"d{i}", "text": text, "entities": spans})
    f = tmp_path / "gold.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    r = _cli("eval", "entities", str(f), "--json", "--lang", "en")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out) >= {"precision", "recall", "f1", "per_type", "documents", "models"}
    assert set(out["per_type"]) == {"PER", "ORG", "LOC"}
    assert out["documents"] == 2 and out["models"] == {"crf-en": 2}
    assert out["gold"] == 6
    # the figures are the scorer's on what extract_entities gives for each row
    from storydesk.extract.entities import extract_entities

    pred = {r["id"]: [(e.name, e.type) for e in extract_entities(r["text"], language="en")]
            for r in rows}
    want = score(rows, pred)
    for k in ("precision", "recall", "f1"):
        assert out[k] == pytest.approx(want[k])
        assert out["per_type"]["PER"][k] == pytest.approx(want["per_type"]["PER"][k])
    assert 0 < out["f1"] <= 1
    r = _cli("eval", "entities", str(f))  # the table, language detected
    assert r.returncode == 0, r.stderr
    assert "PER" in r.stdout and "crf-en" in r.stdout

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "Karsk."}\n', encoding="utf-8")
    r = _cli("eval", "entities", str(bad), "--json")
    assert r.returncode == 1
    assert "bad.jsonl:1" in r.stderr and "entities" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_cli_shows_that_a_language_has_no_entity_model(tmp_path: Path) -> None:
    de = tmp_path / "zoelle.txt"
    de.write_text("Neue Zölle\n\nDer Bundeskanzler hat am Montag in Berlin mit Vertretern der "
                  "Wirtschaft über die neuen Zölle gesprochen, teilte die Regierung mit.\n",
                  encoding="utf-8")
    db = str(tmp_path / "d.db")
    r = _cli("add", str(de), "--db", db)
    assert r.returncode == 0, r.stderr
    r = _cli("show", "article", "1", "--json", "--db", db)
    assert r.returncode == 0, r.stderr
    a = json.loads(r.stdout)
    assert (a["language"], a["entities"], a["entities_model"]) == ("de", [], "none")
    r = _cli("show", "article", "1", "--db", db)
    assert "none (no entity model for de)" in r.stdout
