"""``storydesk sources``, ``watch``, ``serve --watch`` and ``export`` through their public
surface: typer's CliRunner in-process, and the installed command in a subprocess where
signals and a long-running process matter. Feeds come from a real server on 127.0.0.1,
reached with ``--allow-private`` as a user would."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from feedsite import FeedSite, article_page
from httpserver import Response, TestHTTPServer, free_port, wait_until
from typer.testing import CliRunner

from storydesk import Desk
from storydesk.cli import app
from storydesk.export import ARTICLE_COLUMNS, STORY_COLUMNS

SAMPLE = Path(__file__).parent.parent / "src" / "storydesk" / "sample"
EXE = Path(sys.executable).parent / "storydesk"


def cli(*args: str, db: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [*args, "--db", str(db)])
    return result.exit_code, result.stdout, result.stderr


def spawn(*args: str, db: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "STORYDESK_DB": str(db), "COLUMNS": "200"}
    return subprocess.Popen([str(EXE), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


def count_articles(db: Path) -> int:
    with Desk(str(db)) as d:
        return d.store.count_articles()


# -- sources ----------------------------------------------------------------------
def test_sources_add_list_remove(http_server: TestHTTPServer, tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    site = FeedSite(http_server, "/wire/feed.xml", "Test Wire")
    code, out, err = cli("sources", "add", site.feed_url, db=db)
    assert code == 1 and out == ""
    assert err.strip() == (f"error: {site.feed_url}: refused: 127.0.0.1 is a loopback address "
                           "(use --allow-private)")
    code, out, _ = cli("sources", "add", site.feed_url, "--every", "10m", "--allow-private",
                       db=db)
    assert code == 0 and out.strip() == f"source 1: Test Wire <{site.feed_url}>, every 10m"
    code, out, _ = cli("sources", "add", "https://example.org/feed", "--no-check", "--name",
                       "Example", "--every", "1h", "--json", db=db)
    added = json.loads(out)
    assert code == 0 and added["id"] == 2 and added["name"] == "Example"
    assert added["every"] == 3600 and added["state"] == "new"
    code, out, _ = cli("sources", "list", "--json", db=db)
    listed = json.loads(out)
    assert [s["url"] for s in listed] == [site.feed_url, "https://example.org/feed"]
    assert set(listed[0]) == {"id", "name", "url", "site_url", "every", "state", "added_at",
                              "last_fetch", "last_ok", "last_new", "last_error",
                              "last_error_at", "last_result", "failures", "next_poll",
                              "articles", "etag", "last_modified"}
    code, out, _ = cli("sources", "list", db=db)
    assert code == 0 and "Test Wire" in out and "due" in out and "2 sources, 0 failing" in out
    code, out, err = cli("sources", "remove", "2", "99", db=db)
    assert code == 1 and "removed 2" in out and err.strip() == (
        "error: 99: no such source (see storydesk sources list)")
    code, out, _ = cli("sources", "remove", site.feed_url, db=db)
    assert code == 0 and json.loads(cli("sources", "list", "--json", db=db)[1]) == []


@pytest.mark.parametrize("args,message", [
    (["not-a-url"], "error: not-a-url: not an http(s) URL of a feed or site"),
    (["https://example.org/feed", "--every", "15"],
     "error: --every '15': expected a duration like 30s, 15m, 2h or 1d"),
])
def test_sources_add_bad_input_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    code, out, err = cli("sources", "add", *args, db=tmp_path / "news.db")
    assert code == 1 and out == "" and err.strip() == message


def test_sources_import_export(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    world = Path(__file__).parent.parent / "feeds" / "world-news.opml"
    code, out, _ = cli("sources", "import", str(world), "--every", "30m", db=db)
    n = out.split()[0]
    assert code == 0 and out.strip() == f"{n} subscribed, 0 already subscribed, 0 failed"
    code, out, _ = cli("sources", "import", str(world), db=db)
    assert out.strip() == f"0 subscribed, {n} already subscribed, 0 failed"
    code, exported, _ = cli("sources", "export", db=db)
    assert code == 0 and exported.startswith("<?xml")
    again = tmp_path / "again.opml"
    again.write_text(exported, encoding="utf-8")
    code, out, _ = cli("sources", "import", str(again), "--json", db=tmp_path / "other.db")
    assert code == 0 and len(json.loads(out)["added"]) == int(n)
    code, out, _ = cli("sources", "export", "--out", str(tmp_path / "x.opml"), db=db)
    assert (tmp_path / "x.opml").read_text(encoding="utf-8") == exported
    code, _, err = cli("sources", "import", str(tmp_path / "nope.opml"), db=db)
    assert code == 1 and err.strip().startswith("error: ")
    assert "nope.opml: no such file or folder" in err


def test_sources_outlets(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with Desk(str(db)) as d:
        d.add([str(SAMPLE / "northgate-daily")], outlet="Northgate Daily")
    code, out, _ = cli("sources", "outlets", "--json", db=db)
    [row] = json.loads(out)
    files = len(list((SAMPLE / "northgate-daily").iterdir()))
    assert code == 0 and row["name"] == "Northgate Daily" and row["count"] == files
    assert set(row) == {"name", "count", "first", "last", "cited", "duplicates"}
    assert "Northgate Daily" in cli("sources", "outlets", db=db)[1]


def test_outlet_table_counts_what_the_articles_hold(tmp_path: Path) -> None:
    """The per-outlet table, counted in the store, agrees with the same figures worked out
    from every stored article: counts, first and last day, copies and the sources cited,
    an outlet-less article under ""."""
    from collections import Counter

    with Desk(str(tmp_path / "news.db")) as d:
        d.add([str(p) for p in sorted(SAMPLE.iterdir()) if p.is_dir()])
        first = next(p for p in sorted((SAMPLE / "northgate-daily").iterdir()))
        copy = tmp_path / "copy.txt"
        copy.write_text(first.read_text(encoding="utf-8") + "\nOne line more.\n",
                        encoding="utf-8")
        d.add([str(copy)], outlet="Copy Desk")
        d.add([str(copy)], outlet="")
        table = d.outlets(top_cited=3)
        arts = d.articles(limit=None)
    assert sum(r["count"] for r in table) == len(arts)
    for row in table:
        mine = [a for a in arts if (a.outlet or "") == row["name"]]
        days = sorted(a.date[:10] for a in mine if a.date)
        cited = Counter(c for a in mine for c in dict.fromkeys(a.cited))
        assert row["count"] == len(mine)
        assert (row["first"], row["last"]) == ((days[0], days[-1]) if days else (None, None))
        assert row["duplicates"] == sum(1 for a in mine if a.duplicate_of)
        assert [n for _, n in row["cited"]] == [n for _, n in cited.most_common(3)]
        assert all(cited[name] == n for name, n in row["cited"])
    counts = [r["count"] for r in table]
    assert counts == sorted(counts, reverse=True) and len(table) >= 4
    assert any(r["cited"] for r in table) and any(r["duplicates"] for r in table)


# -- watch --------------------------------------------------------------------------
def test_watch_for_seconds_json_rounds(http_server: TestHTTPServer, tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    site = FeedSite(http_server, "/wire/feed.xml", "Test Wire")
    site.publish(2)
    broken = http_server.add("/broken.xml", Response("", status=503, content_type="text/plain",
                                                     headers={"Retry-After": "1"}))
    assert cli("sources", "add", site.feed_url, "--every", "0.2s", "--allow-private",
               db=db)[0] == 0
    assert cli("sources", "add", broken, "--every", "0.2s", "--no-check", db=db)[0] == 0
    proc = spawn("watch", "--for", "4", "--allow-private", "--delay", "0", "--json", db=db)
    wait_until(lambda: count_articles(db) == 2)
    site.publish(1)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    rounds = [json.loads(line) for line in out.splitlines()]
    assert sum(r["new_articles"] for r in rounds) == 3 == count_articles(db)
    assert rounds[0]["round"] == 1 and rounds[0]["polled"] == 2 and rounds[0]["failed"] == 1
    failures = [s for r in rounds for s in r["sources"] if not s["ok"]]
    assert failures[0]["result"] == "HTTP 503: server error, retry after 1 s"
    lines = err.splitlines()
    assert "watching 2 sources for 4 s" in lines[0]
    assert sum(" round " in line for line in lines) == len(rounds)
    assert "stopped after" in lines[-1] and "3 new articles" in lines[-1]
    health = json.loads(cli("sources", "list", "--json", db=db)[1])
    assert health[0]["articles"] == 3 and health[1]["failures"] >= 1
    assert health[1]["last_error"] == "HTTP 503: server error, retry after 1 s"


def test_watch_stops_on_sigterm_after_the_article_in_hand(http_server: TestHTTPServer,
                                                          tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    site = FeedSite(http_server, "/wire/feed.xml", "Test Wire")
    first, second = site.publish(2)
    for n in (first, second):  # slow pages: the signal comes while one is being fetched
        http_server.add(site.page_path(n), Response(article_page(n), delay=1.0))
    cli("sources", "add", site.feed_url, "--every", "1m", "--allow-private", db=db)
    proc = spawn("watch", "--allow-private", "--delay", "0", db=db)
    wait_until(lambda: site.page_hits(first) + site.page_hits(second) == 1)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "SIGTERM: stopping after the article in hand" in err
    assert count_articles(db) == 1  # the article in hand was finished, the next not begun
    assert site.page_hits(first) + site.page_hits(second) == 1
    [health] = json.loads(cli("sources", "list", "--json", db=db)[1])
    assert health["etag"] is None and health["articles"] == 1  # the rest comes next time
    assert health["last_result"] == "1 new, stopped"
    assert health["next_poll"] <= health["last_ok"]  # due again as soon as watch resumes


def test_serve_watch_polls_in_the_server(http_server: TestHTTPServer, tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    site = FeedSite(http_server, "/wire/feed.xml", "Test Wire")
    site.publish(1)
    cli("sources", "add", site.feed_url, "--every", "0.3s", "--allow-private", db=db)
    port = free_port()
    proc = spawn("serve", "--watch", "--allow-private", "--port", str(port), db=db)
    api = f"http://127.0.0.1:{port}/api/articles"

    def total() -> int:
        try:
            return httpx.get(api, timeout=2).json()["total"]
        except httpx.HTTPError:
            return -1

    try:
        wait_until(lambda: total() == 1, timeout=30)
        site.publish(1)
        wait_until(lambda: total() == 2, timeout=30)
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    assert "following sources" in err and " round " in err
    assert proc.returncode == 0, err



def test_serve_prepares_story_pages_in_the_background(tmp_path: Path) -> None:
    """serve summarises and compares the stories in the background, at start and after
    another process changes them, so the story API answers from the store."""
    db = tmp_path / "news.db"
    with Desk(str(db)) as d:
        d.add([str(SAMPLE / "meridian-wire"), str(SAMPLE / "northgate-daily")])
        sid = next(s.id for s in d.stories(limit=None) if len(s.article_ids) >= 2)
        before = d.story(sid).article_ids
    port = free_port()
    proc = spawn("serve", "--port", str(port), "--prepare-every", "0.3", db=db)
    api = f"http://127.0.0.1:{port}/api/stories/{sid}/comparison"

    def cached_with(n: int) -> bool:  # read the store: asking the API would compare
        from storydesk.services.comparisons import KIND, params_key

        with Desk(str(db)) as d:
            got = d.store.get_summary(KIND, sid, params_key(d.settings))
        return got is not None and len(got[1]["articles"]) == n

    try:
        wait_until(lambda: cached_with(len(before)), timeout=60)
        # another process adds the other outlets: the story grows, its comparison is redone
        assert cli("add", str(SAMPLE / "harbour-courier"), str(SAMPLE / "continental-digest"),
                   db=db)[0] == 0
        with Desk(str(db)) as d:
            after = d.story(sid).article_ids
        assert len(after) > len(before)
        wait_until(lambda: cached_with(len(after)), timeout=60)
        assert httpx.get(api, timeout=10).json()["cached"] is True
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err

# -- export -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("export") / "sample.db"
    with Desk(str(db)) as d:
        d.add([str(SAMPLE / "meridian-wire")], outlet="Meridian Wire")
        d.add([str(SAMPLE / "northgate-daily")], outlet="Northgate Daily")
    return db


@pytest.fixture
def sample(sample_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "sample.db"
    shutil.copy(sample_db, db)
    return db


def test_export_articles_jsonl_csv(sample: Path) -> None:
    code, out, _ = cli("export", "articles", db=sample)
    rows = [json.loads(line) for line in out.splitlines()]
    total = count_articles(sample)
    assert code == 0 and len(rows) == total > 10 and list(rows[0]) == list(ARTICLE_COLUMNS)
    assert rows[0]["text"] and isinstance(rows[0]["cited"], list)
    assert all(r["story_id"] is not None for r in rows)
    code, out, _ = cli("export", "articles", "--format", "csv", "--since", "2026-03-10", db=sample)
    table = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and list(table[0]) == list(ARTICLE_COLUMNS)
    assert table and all(r["date"] >= "2026-03-10" for r in table) and len(table) < total
    assert isinstance(json.loads(table[0]["entities"]), list)


def test_export_stories_with_summary_and_comparison(sample: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "stories.jsonl"
    code, _, err = cli("export", "stories", "--out", str(out_file), db=sample)
    assert code == 0 and f"stories: wrote {out_file}" in err
    rows = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert list(rows[0]) == list(STORY_COLUMNS)
    multi = [r for r in rows if r["article_count"] > 1]
    assert multi and all(len(r["article_ids"]) == r["article_count"] for r in rows)
    story = next(r for r in multi if len(r["outlets"]) > 1)
    assert set(story["outlets"]) == {"Meridian Wire", "Northgate Daily"}
    assert story["summary"] and story["summary_sentences"][0]["sources"]
    assert {"shared", "unique", "contradictions", "cited", "tone"} <= set(story["comparison"])
    assert all(r["comparison"] is None for r in rows if r["article_count"] == 1)
    code, out, _ = cli("export", "stories", "--no-comparison", "--format", "csv", db=sample)
    assert all(r["comparison"] == "" for r in csv.DictReader(io.StringIO(out)))


def test_export_parquet(sample: Path, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    code, _, err = cli("export", "articles", "--format", "parquet", db=sample)
    assert code == 1 and err.strip() == "error: --format parquet writes a file: give --out FILE"
    path = tmp_path / "articles.parquet"
    assert cli("export", "articles", "--format", "parquet", "--out", str(path), db=sample)[0] == 0
    table = pq.read_table(path)
    assert table.column_names == list(ARTICLE_COLUMNS)
    assert table.num_rows == count_articles(sample)
    assert table.schema.field("cited").type.value_type == "string"
    spath = tmp_path / "stories.parquet"
    assert cli("export", "stories", "--format", "parquet", "--out", str(spath), db=sample)[0] == 0
    stories = pq.read_table(spath).to_pylist()
    assert list(stories[0]) == list(STORY_COLUMNS)
    # nested data, not JSON text: lists of structs, maps keyed by article id
    pa = pytest.importorskip("pyarrow")
    ents = table.schema.field("entities").type
    assert pa.types.is_list(ents) and pa.types.is_struct(ents.value_type)
    assert [ents.value_type.field(n).name for n in range(3)] == ["name", "type", "count"]
    sschema = pq.read_schema(spath)
    assert pa.types.is_struct(sschema.field("comparison").type)
    assert pa.types.is_list(sschema.field("summary_sentences").type)
    compared = [s["comparison"] for s in stories if s["comparison"]]
    assert compared and all(isinstance(c["shared"], list) for c in compared)
    first = next(c for c in compared if c["unique"])
    article_id, facts = first["unique"][0]
    assert isinstance(article_id, int) and facts[0]["sources"][0]["article_id"] == article_id
    assert stories[0]["summary_sentences"][0]["sources"][0]["article_id"] in (
        stories[0]["article_ids"])
    assert not list(tmp_path.glob(".*.part"))  # written under a temporary name, renamed


def test_export_bad_input(sample: Path, tmp_path: Path) -> None:
    code, _, err = cli("export", "articles", "--since", "soon", db=sample)
    assert code == 1 and err.strip() == "error: --since soon: expected a date YYYY-MM-DD"
    code, _, err = cli("export", "articles", "--out", str(tmp_path / "no" / "x.jsonl"), db=sample)
    assert code == 1 and err.strip().startswith("error: ") and "No such file" in err


# -- make demo ----------------------------------------------------------------------
def test_demo_follows_the_feeds_when_reachable(http_server: TestHTTPServer, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from storydesk.demo import live
    from storydesk.follow import export_opml
    from storydesk.models import Subscription

    site = FeedSite(http_server, "/wire/feed.xml", "Test Wire")
    site.publish(7)
    opml = tmp_path / "feeds.opml"
    opml.write_bytes(export_opml([Subscription(url=site.feed_url, every=60, name="Test Wire")]))
    db = tmp_path / "demo.db"
    assert live(str(db), str(opml), seconds=30, per_feed=3, allow_private=True)
    out = capsys.readouterr().out
    assert "polling 1 feeds" in out and "demo: 3 articles from 1 outlets" in out
    with Desk(str(db)) as d:
        assert d.store.count_articles() == 3 and len(d.subscriptions()) == 1


def test_demo_falls_back_to_the_sample_offline(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from storydesk.demo import live
    from storydesk.follow import export_opml
    from storydesk.models import Subscription

    opml = tmp_path / "feeds.opml"
    opml.write_bytes(export_opml([Subscription(url="http://127.0.0.1:9/feed.xml", every=60)]))
    db = tmp_path / "demo.db"
    assert not live(str(db), str(opml))
    assert capsys.readouterr().out.strip() == (
        "demo: the network is not reachable (127.0.0.1: Connection refused): "
        "loading the bundled sample instead")
    with Desk(str(db)) as d:
        assert d.subscriptions() == [] and d.store.count_articles() == 0
