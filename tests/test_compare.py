"""Coverage comparison: facts, contradictions, sources, tone, similarity, CLI and Desk.

All texts are fictional, written for these tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from storydesk import Desk
from storydesk.compare import CompareArticle, compare
from storydesk.compare.details import dates, quantities

A = CompareArticle(
    id="a", outlet="Harbour Wire", date="2024-01-29", title="Bridge collapse in Tollen",
    text=(
        "TOLLEN, Jan. 29 (Harbour Wire) - The old Marl Bridge collapsed on Jan. 28, killing "
        "seven people and injuring more than 40, the fire service said.\n\n"
        "The bridge, built in 1921, carried about 9,000 vehicles a day across the river Ness.\n\n"
        "Rescuers worked through the night at Tollen Quay to reach a bus trapped under the "
        "rubble.\n\n"
        '"We will find out who let this happen," Mayor Ida Brant said at the scene.\n\n'
        "Repairs had been postponed twice because of a budget dispute, according to Reuters.\n\n"
        "The city council will hold an emergency session on Friday."
    ),
)
B = CompareArticle(
    id="b", outlet="Ness Courier", date="2024-01-28", title="Seven dead as Marl Bridge falls",
    text=(
        "The old Marl Bridge collapsed on 2024-01-28, killing nine people and injuring over 40, "
        "the fire service said.\n\n"
        "Rescuers worked through the night at Garrow Pier to reach a bus trapped under the "
        "rubble.\n\n"
        '"We will find out who let this happen," council leader Olaf Sten said.\n\n'
        "Engineers praised the wonderful courage of volunteers who helped the injured.\n\n"
        "Local shops collected food and blankets for the families of the victims."
    ),
)


@pytest.fixture(scope="module")
def result():
    return compare([A, B]).to_dict()


def test_json_shape(result):
    c = result["comparison"]
    assert set(c) >= {"shared", "unique", "contradictions", "cited", "rewrites", "tone",
                      "similarity"}
    fact = c["shared"][0]
    assert set(fact) == {"text", "sources"}
    assert {"article_id", "sentence"} <= set(fact["sources"][0])
    assert set(c["unique"]) == {"a", "b"}
    json.dumps(result)  # serialisable


def test_shared_and_unique_facts(result):
    c = result["comparison"]
    shared = " ".join(f["text"] for f in c["shared"])
    assert "Marl Bridge collapsed" in shared
    assert {s["article_id"] for s in c["shared"][0]["sources"]} == {"a", "b"}
    only_a = " ".join(f["text"] for f in c["unique"]["a"])
    only_b = " ".join(f["text"] for f in c["unique"]["b"])
    assert "budget dispute" in only_a and "budget dispute" not in only_b
    assert "blankets" in only_b


def _types(result):
    return {(k["type"], k["about"]): k for k in result["comparison"]["contradictions"]}


def test_number_contradiction_and_agreement(result):
    t = _types(result)
    dead = t[("number", "dead")]
    assert [s["normalised"] for s in dead["sides"]] == ["7 dead", "9 dead"]
    assert [s["article_id"] for s in dead["sides"]] == ["a", "b"]
    # "more than 40" and "over 40" injured agree; Jan. 28 and 2024-01-28 too
    assert ("number", "injured") not in t
    assert ("date", "date") not in t


def test_place_and_quote_contradictions(result):
    t = _types(result)
    place = next(k for (ty, _), k in t.items() if ty == "place")
    assert {s["value"] for s in place["sides"]} == {"Tollen Quay", "Garrow Pier"}
    attr = next(k for (ty, _), k in t.items() if ty == "quote_attribution")
    assert {s["normalised"] for s in attr["sides"]} == {"Brant", "Sten"}


def test_quote_wording_and_dates():
    a = CompareArticle("x", '"The reactor is completely safe and under control," '
                       "Minister Lena Hart said on Monday.", date="2024-03-06")
    b = CompareArticle("y", '"The reactor is safe and fully under our control," Minister Lena '
                       "Hart said on March 3.", date="2024-03-06")
    t = {k["type"]: k for k in compare([a, b], similarity=False).to_dict()["comparison"][
        "contradictions"]}
    assert "quote_wording" in t and "quote_attribution" not in t
    assert [s["normalised"] for s in t["date"]["sides"]] == ["2024-03-04", "2024-03-03"]


def test_excerpt_of_a_quote_is_not_a_contradiction():
    a = CompareArticle("x", '"Aurora is a symbol of the partnership of our two nations," '
                       "President Kell said.")
    b = CompareArticle("y", 'President Kell called it "a symbol of the partnership".')
    assert compare([a, b], similarity=False).contradictions == []


def test_details_read_as_intervals():
    [q] = quantities("Officials said over 150 people were hurt.", 0.1)
    [r] = quantities("More than 150 were injured.", 0.1)
    assert q.agrees(r)
    [m] = quantities("The port lost 2.4 billion crowns.", 0.1)
    assert (m.kind, m.key, m.value) == ("money", "crowns", 2.4e9)
    assert [d.value for d in dates("It began at 10 p.m. on Wednesday.", "2024-01-26")] == [
        "2024-01-24", "22:00"]


def test_cited_rewrites_and_tone(result):
    c = result["comparison"]
    assert "Reuters" in c["cited"]["a"] and "Reuters" not in c["cited"]["b"]
    assert c["rewrites"] == []
    assert c["tone"]["a"]["tone"] in {"negative", "neutral", "positive"}
    assert c["tone"]["b"]["score"] > c["tone"]["a"]["score"]
    assert c["tone"]["b"]["sentences"]
    copy = CompareArticle("c", A.text.replace("seven", "7"), outlet="Copy Daily")
    rw = compare([A, B, copy], similarity=False).to_dict()["comparison"]["rewrites"]
    assert [r["articles"] for r in rw] == [["a", "c"]]


def test_similarity_profile(result):
    [s] = result["comparison"]["similarity"]
    assert s["articles"] == ["a", "b"]
    assert set(s["profile"]) == {"geography", "entities", "time", "narrative", "overall",
                                 "style", "tone"}
    assert all(1.0 <= v <= 4.0 for v in s["profile"].values())
    # says what made it: the default model reads no text embeddings
    assert s["model"].startswith("default (no text embeddings")


def test_needs_two_articles():
    with pytest.raises(ValueError):
        compare([A])


def _write(tmp_path: Path) -> tuple[Path, Path]:
    pa, pb = tmp_path / "a.txt", tmp_path / "b.txt"
    pa.write_text(f"{A.title}\n\n{A.text}\n", encoding="utf-8")
    pb.write_text(f"{B.title}\n\n{B.text}\n", encoding="utf-8")
    return pa, pb


def _cli(*args: str, db: Path | None = None) -> subprocess.CompletedProcess:
    cmd = [str(Path(sys.executable).parent / "storydesk"), *args]
    if db:
        cmd += ["--db", str(db)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_cli_compare_files(tmp_path):
    pa, pb = _write(tmp_path)
    r = _cli("compare", str(pa), str(pb), "--json")
    assert r.returncode == 0, r.stderr
    c = json.loads(r.stdout)["comparison"]
    assert any(k["type"] == "number" for k in c["contradictions"])
    r = _cli("compare", str(pa), str(pb))
    assert r.returncode == 0 and "Contradictions" in r.stdout and "Shared facts" in r.stdout
    assert _cli("compare", str(pa)).returncode != 0


def test_desk_compare_stored(tmp_path):
    pa, pb = _write(tmp_path)
    db = tmp_path / "d.db"
    with Desk(str(db)) as desk:
        report = desk.add([str(pa), str(pb)])
        ids = report.added
        c = desk.compare(ids)
        assert [a.id for a in c.articles] == ids
        assert any(k.type == "number" for k in c.contradictions)
        sid = desk.story_of(ids[0])
        if sid is not None and sid == desk.story_of(ids[1]):
            assert desk.compare_story(sid).articles
    r = _cli("compare", str(ids[0]), str(ids[1]), "--json", db=db)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["articles"][0]["id"] == ids[0]



def test_a_scale_next_to_a_count_is_not_the_count():
    got = [(q.key, q.value) for q in quantities("A 5.4 magnitude quake killed three people.", 0.1)]
    assert got == [("magnitude", 5.4), ("dead", 3.0)]
    got = [(q.key, q.value) for q in quantities("The magnitude 6.1 tremor killed 12.", 0.1)]
    assert got == [("magnitude", 6.1), ("dead", 12.0)]
    # a decimal a tokenizer broke with a space (as ECB+ prints them) is one number
    a = quantities("A powerful 6. 1 - magnitude earthquake struck Aceh.", 0.1)
    b = quantities("A magnitude - 6. 1 earthquake killed 170, 000.", 0.1)
    assert [(q.key, q.value) for q in a] == [("magnitude", 6.1)]
    assert [(q.key, q.value) for q in b] == [("magnitude", 6.1), ("dead", 170000.0)]
    assert a[0].agrees(b[0])
    c = quantities("He pointed a. 38 caliber revolver at them.", 0.1)
    d = quantities("He pointed a .357 caliber revolver at them.", 0.1)
    assert [(q.key, q.value) for q in c + d] == [("caliber", 0.38), ("caliber", 0.357)]


def test_cli_compare_story(tmp_path):
    """`compare --story ID` compares a stored story (kept in the store, so the second
    ask is served from it) and gives one-line errors for bad asks."""
    from storydesk.demo import load

    db = tmp_path / "demo.db"
    load(str(db))
    with Desk(str(db)) as desk:
        sid = next(s.id for s in desk.stories(limit=None) if len(s.article_ids) >= 3)
        ids = desk.story(sid).article_ids
    r = _cli("compare", "--story", str(sid), "--json", db=db)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert sorted(a["id"] for a in out["articles"]) == sorted(ids)
    assert out["comparison"]["shared"] or out["comparison"]["unique"]
    r = _cli("compare", "--story", str(sid), db=db)
    assert r.returncode == 0 and "Shared facts" in r.stdout
    for args, msg in ((["--story", "99999"], "no such story"),
                      (["--story", str(sid), "1", "2"], "not both")):
        r = _cli("compare", *args, db=db)
        assert r.returncode != 0 and msg in r.stderr and len(r.stderr.strip().splitlines()) == 1

def test_eval_similarity_csv(tmp_path):
    rows = ["pair_id,lang1,lang2,text1,text2,Geography,Entities,Time,Narrative,Overall,"
            "Style,Tone"]
    texts = [
        (A.text, B.text, 1, 1, 1, 1, 1, 2, 2),
        (A.text, "Farmers in Oskel sold a record apple harvest at the spring market.",
         4, 4, 3, 4, 4, 3, 3),
        (B.text, "The Oskel apple market opened with record prices for farmers.",
         4, 4, 3, 4, 4, 3, 2),
        ("Farmers in Oskel sold a record apple harvest.", "Oskel farmers had a record apple "
         "harvest this spring.", 1, 1, 1, 1, 1, 1, 1),
    ]
    for k, (t1, t2, *labels) in enumerate(texts):
        t1, t2 = t1.replace('"', '""'), t2.replace('"', '""')
        rows.append(f'{k},en,en,"{t1}","{t2}",' + ",".join(str(v) for v in labels))
    f = tmp_path / "pairs.csv"
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    r = _cli("eval", "similarity", str(f), "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["pairs"] == 4 and d["english"]["pairs"] == 4
    assert set(d["english"]["overall"]) == {"pearson", "spearman"}
    assert d["english"]["overall"]["pearson"] > 0
    assert "tfidf_cosine" in d["all"]["baselines"]
