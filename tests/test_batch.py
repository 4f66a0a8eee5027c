"""storydesk batch on Spark local[2]: one run over a mixed input (JSON lines given as a
file:// Hadoop URL, a text file, a WARC built here, the bundled sample, a missing path),
its Parquet tables checked against what ``storydesk add`` makes of the same input."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (the spark extra)")
pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow is not installed")
if shutil.which("java") is None:
    pytest.skip("Java is not installed (openjdk-17-jre-headless)", allow_module_level=True)

from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from storydesk import Desk  # noqa: E402
from storydesk.batch import run_batch, session  # noqa: E402
from storydesk.batch.load import load_parquet  # noqa: E402
from storydesk.batch.tasks import UnionFind, block_starts, blocks_of, join_labels  # noqa: E402
from storydesk.settings import Settings  # noqa: E402
from storydesk.stories import bcubed  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "src" / "storydesk" / "sample"
FIXTURES = Path(__file__).parent / "fixtures" / "sources"
OUTLETS = [str(p) for p in sorted(SAMPLE.iterdir()) if p.is_dir()]  # the articles
WIRE = ("The harbour authority of Port Velmar said on Monday that the new container "
        "terminal will open in May after two years of building work and a long dispute "
        "over the dredging of the outer channel, which fishermen opposed.")

OTHER = ("Ferry fares between Port Velmar and the islands will rise by a tenth from April, "
         "the operator said, blaming the price of fuel and the cost of the new quay.")


@pytest.fixture(scope="session")
def spark() -> Iterator[object]:
    s = session("local[2]", {"spark.driver.memory": "1g"})
    yield s
    s.stop()


def _warc(path: Path) -> None:
    harbour = (FIXTURES / "harbour.html").read_text(encoding="utf-8")
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for uri, ctype, body in [("https://courier.example/harbour", "text/html", harbour),
                                 ("https://courier.example/a.css", "text/css", "b {}")]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body.encode("utf-8")), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2026-02-03T10:00:00Z"}))


@pytest.fixture(scope="module")
def batch_run(spark: object, tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("batch")
    rows = [
        {"title": "Terminal to open in May", "text": WIRE, "outlet": "Wire A",
         "date": "2026-02-02", "url": "https://a.example/terminal"},
        {"title": "Terminal opens in May", "text": WIRE, "outlet": "Wire B",  # same text
         "date": "2026-02-02", "url": "https://b.example/terminal"},
    ]
    lines = [json.dumps(r) for r in rows] + ["{not json"] + [json.dumps(r) for r in [
        # the same URL again: the page edited since (one URL, one article) ...
        {"title": "Terminal to open in May", "text": WIRE.replace("on Monday",
                                                                  "on Monday evening"),
         "outlet": "Wire A", "date": "2026-02-02", "url": "https://a.example/terminal"},
        # ... and a page that now holds another text (another article, stored too)
        {"title": "Ferry fares rise", "text": OTHER, "outlet": "Wire A", "date": "2026-02-03",
         "url": "https://a.example/terminal"},
    ]]
    (tmp / "rows.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp / "note.txt").write_text(
        "Library reopens after flood\n\nThe city library of Karsk reopened on Tuesday after "
        "three months of repairs to the basement archive damaged in the spring flood.\n",
        encoding="utf-8")
    _warc(tmp / "crawl.warc.gz")
    out = tmp / "out"
    inputs = [str(tmp / "note.txt"), (tmp / "rows.jsonl").as_uri(), str(tmp / "crawl.warc.gz"),
              *OUTLETS, str(tmp / "missing.txt")]
    report = run_batch(inputs, str(out), spark=spark, partitions=2)
    tables = {t: pq.read_table(str(out / t)).to_pylist()
              for t in ("articles", "stories", "summaries", "duplicates", "failures")}
    return report, tables, tmp


def test_tables_have_the_expected_rows(batch_run) -> None:
    report, t, tmp = batch_run
    arts = t["articles"]
    origins = [a["origin"] for a in arts]
    jl = next(a for a in arts if a["origin"].endswith("rows.jsonl:1"))
    assert jl["origin"].startswith("file:") and jl["article_id"] == 1 << 24  # input 1, line 1
    assert str(tmp / "note.txt") in origins
    assert any(o.startswith(f"{tmp / 'crawl.warc.gz'}#1 https://courier.example/harbour")
               for o in origins)
    n_sample = sum(1 for o in origins if o.startswith(str(SAMPLE)))
    assert n_sample >= 30
    assert report.articles == len(arts) and report.stories == len(t["stories"])
    # every article is in exactly one story, and each story lists its articles
    listed = sorted(a for s in t["stories"] for a in s["article_ids"])
    assert listed == sorted(a["article_id"] for a in arts)
    assert all(s["story_id"] == min(s["article_ids"]) for s in t["stories"])
    assert {s["story_id"] for s in t["summaries"]} <= {s["story_id"] for s in t["stories"]}
    assert all(s["sources"] for s in t["summaries"])
    warc = next(a for a in arts if "courier.example/harbour" in a["origin"])
    assert warc["date"].startswith("20") and warc["why"]
    assert set(arts[0]) >= {"article_id", "story_id", "title", "text", "outlet", "date",
                            "entities", "text_hash", "why"}


def test_duplicates_dropped_and_failures_reported(batch_run) -> None:
    report, t, tmp = batch_run
    exact = [d for d in t["duplicates"] if d["kind"] == "exact"]
    assert any(d["origin"].endswith("rows.jsonl:2") for d in exact)
    assert not any(a["origin"].endswith("rows.jsonl:2") for a in t["articles"])
    # the sample's rewritten wire copies are near duplicates, dropped and listed
    near = [d for d in t["duplicates"] if d["kind"] == "near"]
    assert near and all(0.3 <= d["share"] <= 1 for d in near)
    kept = {a["article_id"] for a in t["articles"]}
    assert all(d["article_id"] not in kept for d in t["duplicates"])
    reasons = {f["origin"]: f["reason"] for f in t["failures"]}
    assert reasons[str(tmp / "missing.txt")] == "no such file or folder"
    line3 = next(r for o, r in reasons.items() if o.endswith("rows.jsonl:3"))
    assert line3.startswith("invalid JSON") and "\n" not in line3
    assert report.failure_count == len(t["failures"]) == 2


def test_one_url_is_one_article_only_when_the_texts_agree(batch_run) -> None:
    """As in ``storydesk add``: a later text at a URL already read is a copy when it is a
    near copy of the first text there, else another article, kept without the URL key."""
    _, t, _ = batch_run
    arts = {a["origin"].rsplit(":", 1)[1]: a for a in t["articles"]
            if "rows.jsonl:" in a["origin"]}
    dups = {d["origin"].rsplit(":", 1)[1]: d for d in t["duplicates"]
            if "rows.jsonl:" in d["origin"]}
    assert set(arts) == {"1", "5"} and set(dups) == {"2", "4"}
    assert dups["4"]["kind"] == "exact" and dups["4"]["duplicate_of"] == arts["1"]["article_id"]
    assert arts["1"]["url_key"] and arts["5"]["url_key"] is None
    assert arts["5"]["url"] == "https://a.example/terminal"


def test_stories_equal_the_single_machine_grouping(batch_run, tmp_path: Path) -> None:
    _, t, _ = batch_run
    with Desk(str(tmp_path / "one.db")) as desk:
        desk.add(OUTLETS)
        one = {a.origin: desk.story_of(a.id) for a in desk.articles(limit=None)}
    batch = {a["origin"]: a["story_id"] for a in t["articles"] if a["origin"] in one}
    assert len(batch) >= 30
    common = sorted(batch)
    _, _, f1 = bcubed([one[o] for o in common], [batch[o] for o in common])
    assert f1 == 1.0


def test_load_into_a_store(batch_run, store_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _, t, tmp = batch_run
    with Desk(store_db) as desk:
        rep = load_parquet(str(tmp / "out"), desk)
        assert rep.articles == len(t["articles"]) and rep.stories == len(t["stories"])
        stored = {a.origin: a.id for a in desk.articles(limit=None)}
        for s in t["stories"][:5]:
            ids = {stored[a["origin"]] for a in t["articles"] if a["story_id"] == s["story_id"]}
            sid = desk.story_of(next(iter(ids)))
            assert set(desk.story(sid).article_ids) == ids
        big = max(t["stories"], key=lambda s: s["article_count"])
        origin = next(a["origin"] for a in t["articles"] if a["article_id"] == big["story_id"])
        summary = desk.story_summary(desk.story_of(stored[origin]))
        assert summary.cached and summary.sentences
        again = load_parquet(str(tmp / "out"), desk)
        assert again.articles == 0 and again.already_stored == rep.articles
        assert rep.state
        before = {a.id: desk.story_of(a.id) for a in desk.articles(limit=None)}
    # A new process goes on online from the loaded state: nothing is regrouped, and a
    # new report of a loaded story joins it.
    from storydesk.stories.keeper import StoryKeeper

    rebuilt = []
    real = StoryKeeper.rebuild
    monkeypatch.setattr(StoryKeeper, "rebuild",
                        lambda self, *a, **k: rebuilt.append(1) or real(self, *a, **k))
    with Desk(store_db) as desk:
        src = next(a for a in desk.articles(limit=None) if len(desk.story(
            desk.story_of(a.id)).article_ids) >= 3)
        new = tmp / "follow-up.txt"
        body = " ".join(desk.article(src.id).text.split()[:120])
        new.write_text(f"{src.title} (follow-up)\n\nFollow-up report. {body}",
                       encoding="utf-8")
        desk.add([str(new)])
        after = {a.id: desk.story_of(a.id) for a in desk.articles(limit=None)}
        added = next(a.id for a in desk.articles(limit=None) if a.id not in before)
    assert not rebuilt
    assert after[added] == before[src.id]
    assert {a: after[a] for a in before} == before


def test_blocks_overlap_and_labels_join() -> None:
    s = Settings()
    s.batch.min_block_articles = 10
    # days 0..59 with 4 articles each: blocks of 14 days (>= 10 articles) from day 0
    starts = block_starts({d: 4 for d in range(100, 160)}, s)
    assert starts == [100, 114, 128, 142, 156]
    s.batch.min_block_articles = 100  # fewer articles a day: longer blocks
    assert block_starts({d: 4 for d in range(100, 160)}, s) == [100, 125, 150]
    assert blocks_of(None, starts, s) == [-1] and blocks_of(None, [], s) == [-1]
    assert blocks_of(None, [100], s) == [0]  # one dated block: undated ones join it
    day = date.fromordinal
    assert blocks_of(day(114).isoformat(), starts, s) == [0, 1]  # overlap: both blocks
    assert blocks_of(day(121).isoformat(), starts, s) == [1]
    assert blocks_of(day(105).isoformat(), starts, s) == [0]
    assert join_labels([(("0:1", "1:1"), 3), (("0:1", "1:2"), 1), (("0:2", "1:3"), 1)]) == [
        ("0:1", "1:1"), ("0:2", "1:3")]
    uf = UnionFind()
    uf.union("2:5", "1:3")
    uf.union("3:1", "2:5")
    assert uf.find("3:1") == uf.find("1:3") == "1:3" and uf.find("9:9") == "9:9"


def test_cli_reports_json_and_one_line_failures(spark: object, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from storydesk.cli import app

    (tmp_path / "a.txt").write_text(
        "Bridge closed for repairs\n\nThe old bridge over the river Karsk was closed on "
        "Monday for six weeks of repairs to its cracked pillars, the city said.\n",
        encoding="utf-8")
    res = CliRunner().invoke(app, ["batch", str(tmp_path / "a.txt"), str(tmp_path / "no.txt"),
                                   "--out", str(tmp_path / "out"), "--master", "local[2]",
                                   "--partitions", "1", "--json"])
    assert res.exit_code == 1, res.output  # an input failed: as for add
    report = json.loads(res.stdout)
    assert report["articles"] == 1 and report["stories"] == 1 and report["failed"] == 1
    assert report["failures"] == [{"origin": str(tmp_path / "no.txt"),
                                   "reason": "no such file or folder"}]


def test_load_keeps_another_text_at_a_stored_url(batch_run, tmp_path: Path) -> None:
    """Loading into a store that holds another text at one of the batch's URLs stores the
    batch's article too (without the URL key), as ``storydesk add`` would."""
    _, t, tmp = batch_run
    other = tmp_path / "rows.jsonl"
    other.write_text(json.dumps({"title": "Quay closed", "url": "https://a.example/terminal",
                                 "text": "The old quay of Port Velmar closed on Friday for "
                                         "repairs to its crane rails, the harbour said, "
                                         "and will reopen in the autumn."}) + "\n",
                     encoding="utf-8")
    with Desk(str(tmp_path / "d.db")) as desk:
        assert len(desk.add([str(other)]).added) == 1
        rep = load_parquet(str(tmp / "out"), desk)
        assert rep.articles == len(t["articles"]) and rep.already_stored == 0
        wire = [a for a in desk.articles(limit=None) if a.title == "Terminal to open in May"]
        assert len(wire) == 1


def test_cli_batch_of_inputs_that_are_not_there_fails_at_once(tmp_path: Path) -> None:
    """No input exists: one line each and exit 1, without starting Spark (or needing Java)."""
    import time

    from typer.testing import CliRunner

    from storydesk.cli import app

    t = time.perf_counter()
    res = CliRunner().invoke(app, ["batch", str(tmp_path / "no.txt"), str(tmp_path / "x*.warc"),
                                   "--out", str(tmp_path / "out")])
    assert res.exit_code == 1, res.output
    assert f"{tmp_path / 'no.txt'}: no such file or folder" in res.output
    assert time.perf_counter() - t < 10
    assert not (tmp_path / "out").exists()
