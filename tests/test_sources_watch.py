"""Following sources: subscriptions, the poller and feed health, against a real feed
server on 127.0.0.1 (tests/httpserver.py, tests/feedsite.py).

The desk is opened with ``allow_private=True``, the option a user gives as
``--allow-private``; intervals are fractions of a second to keep the tests fast.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from feedsite import FeedSite
from httpserver import Request, Response, TestHTTPServer, wait_until

from storydesk import Desk
from storydesk.follow import (
    SubscribeError,
    Watcher,
    export_opml,
    format_every,
    import_opml,
    parse_every,
)
from storydesk.follow.watch import backoff, parse_iso
from storydesk.models import Subscription
from storydesk.settings import FollowSettings
from storydesk.sources.opml import parse_opml

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


@pytest.fixture
def desk(tmp_path: Path) -> Desk:
    d = Desk(str(tmp_path / "news.db"), allow_private=True)
    d.settings.fetch.per_host_delay = 0
    yield d
    d.close()


def run_for(watcher: Watcher, seconds: float) -> threading.Thread:
    t = threading.Thread(target=watcher.run, kwargs={"duration": seconds})
    t.start()
    return t


# -- intervals, back-off ----------------------------------------------------------
def test_parse_and_format_every() -> None:
    assert parse_every("15m") == 900 and parse_every("1h30m") == 5400
    assert parse_every("0.2s") == 0.2 and parse_every("1d") == 86400
    assert format_every(900) == "15m" and format_every(5400) == "1h30m"
    assert format_every(0.2) == "0.2s" and format_every(86400) == "1d"
    for bad in ("15", "fast", "0s", "-5m", "5 m x"):
        with pytest.raises(SubscribeError, match="duration|longer than 0"):
            parse_every(bad)


def test_backoff_grows_and_obeys_retry_after() -> None:
    s = FollowSettings(max_backoff=3600)
    sub = Subscription(url="http://x/f", every=60)
    waits = [backoff(sub, n, s) for n in range(1, 8)]
    assert waits[:4] == [120, 240, 480, 960] and waits[-1] == 3600  # capped, never dropped
    assert backoff(sub, 1, s, retry_after=600) == 600
    assert backoff(sub, 1, s, retry_after=10**9) == s.max_retry_after
    assert backoff(Subscription(url="http://x/f", every=7200), 3, s) == 7200


# -- subscribing ----------------------------------------------------------------------
def test_subscribe_feed_and_site_discovery(http_server: TestHTTPServer, desk: Desk) -> None:
    site = FeedSite(http_server, "/wire/feed.xml", "Test Wire")
    home = http_server.add("/", Response(
        '<html><head><link rel="alternate" type="application/rss+xml" title="Wire" '
        'href="/wire/feed.xml"></head><body>Home</body></html>'))
    sub = desk.subscribe(home, every=60)
    assert (sub.url, sub.site_url, sub.name) == (site.feed_url, home, "Test Wire")
    with pytest.raises(SubscribeError, match="already subscribed"):
        desk.subscribe(site.feed_url)
    named = desk.subscribe(FeedSite(http_server, "/b/rss", "B").feed_url, name="Beta")
    assert named.name == "Beta" and named.every == desk.settings.follow.every
    assert [s.id for s in desk.subscriptions()] == [sub.id, named.id]
    assert desk.unsubscribe(sub.id) and not desk.unsubscribe(sub.id)
    assert desk.unsubscribe(named.url) and desk.subscriptions() == []


@pytest.mark.parametrize("path,route,reason", [
    ("/nofeed", Response("<html><body><p>hello</p></body></html>"), "no feed found"),
    ("/gone", Response("gone", status=410, content_type="text/plain"), "HTTP 410"),
    ("/img", Response(b"\x89PNG", content_type="image/png"), "not a feed or a web page"),
    ("/bad.xml", Response("<rss><channel><item>", content_type="application/rss+xml"),
     "malformed feed"),
])
def test_subscribe_errors_are_one_line(http_server: TestHTTPServer, desk: Desk, path: str,
                                       route: Response, reason: str) -> None:
    url = http_server.add(path, route)
    with pytest.raises(SubscribeError, match=reason) as e:
        desk.subscribe(url)
    assert str(e.value).startswith(url + ": ") and "\n" not in str(e.value)
    assert desk.subscriptions() == []


def test_subscribe_bad_urls(desk: Desk) -> None:
    for bad in ("not-a-url", "ftp://example.org/feed", "http://"):
        with pytest.raises(SubscribeError, match=r"^.+: not an http\(s\) URL"):
            desk.subscribe(bad)
    plain = Desk(desk.store.db)  # without allow_private: loopback is refused
    with pytest.raises(SubscribeError, match="loopback address"):
        plain.subscribe("http://127.0.0.1:9/feed.xml")
    plain.close()


# -- OPML -----------------------------------------------------------------------------
def test_opml_import_export_round_trip(desk: Desk, tmp_path: Path) -> None:
    opml = tmp_path / "list.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>'
        '<outline text="World"><outline text="A &amp; B" xmlUrl="https://a.example/rss" '
        'htmlUrl="https://a.example/"/><outline title="C" xmlUrl="https://c.example/feed"/>'
        '<outline text="bad" xmlUrl="gopher://x/y"/></outline></body></opml>',
        encoding="utf-8")
    added, known, refused = import_opml(desk.store, opml, every=600)
    assert [(s.url, s.name, s.site_url, s.every) for s in added] == [
        ("https://a.example/rss", "A & B", "https://a.example/", 600),
        ("https://c.example/feed", "C", None, 600)]
    assert known == [] and refused == [("gopher://x/y", "not an http(s) URL of a feed or site")]
    again = import_opml(desk.store, opml, every=600)
    assert again[0] == [] and again[1] == ["https://a.example/rss", "https://c.example/feed"]
    back = parse_opml(export_opml(desk.subscriptions()))
    assert [(f.url, f.title, f.site_url) for f in back] == [
        ("https://a.example/rss", "A & B", "https://a.example/"),
        ("https://c.example/feed", "C", None)]
    other = Desk(str(tmp_path / "other.db"))
    out = tmp_path / "out.opml"
    out.write_bytes(export_opml(desk.subscriptions()))
    assert len(import_opml(other.store, out, every=60)[0]) == 2
    other.close()


def test_opml_import_errors(desk: Desk, tmp_path: Path) -> None:
    bad = tmp_path / "bad.opml"
    bad.write_text("<opml><body><outline", encoding="utf-8")
    with pytest.raises(SubscribeError, match="bad.opml: invalid OPML"):
        import_opml(desk.store, bad, every=60)
    with pytest.raises(SubscribeError, match="missing.opml: no such file or folder"):
        import_opml(desk.store, tmp_path / "missing.opml", every=60)
    empty = tmp_path / "empty.opml"
    empty.write_text("<opml><body></body></opml>", encoding="utf-8")
    with pytest.raises(SubscribeError, match="no feeds in OPML"):
        import_opml(desk.store, empty, every=60)
    assert desk.subscriptions() == []


def test_shipped_world_news_list_parses() -> None:
    path = Path(__file__).parent.parent / "feeds" / "world-news.opml"
    feeds = parse_opml(path.read_bytes())
    assert len(feeds) >= 20
    assert all(f.url.startswith("https://") and f.title for f in feeds)
    assert len({f.url for f in feeds}) == len(feeds)
    titles = {f.title for f in feeds}
    assert {"TASS", "RIA Novosti"} <= titles  # both Russian state agencies, side by side


# -- watching ---------------------------------------------------------------------
def test_watch_picks_up_exactly_the_new_entries(http_server: TestHTTPServer,
                                                desk: Desk) -> None:
    site = FeedSite(http_server, "/wire/feed.xml", "Test Wire")
    site.publish(2)
    sub = desk.subscribe(site.feed_url, every=0.2)
    watcher = Watcher(desk)
    t = run_for(watcher, 30)
    wait_until(lambda: desk.store.count_articles() == 2)
    site.publish(1)
    wait_until(lambda: desk.store.count_articles() == 3)
    site.publish(2)
    wait_until(lambda: desk.store.count_articles() == 5)
    time.sleep(0.5)  # a few more polls: nothing new, nothing twice
    watcher.stop()
    t.join(10)
    assert not t.is_alive()
    arts = desk.articles()
    assert sorted(a.url for a in arts) == sorted(site.page_url(n) for n in range(1, 6))
    assert all(a.outlet == "Test Wire" for a in arts)
    assert all(site.page_hits(n) == 1 for n in range(1, 6))  # each page fetched once
    assert all(desk.story_of(a.id) is not None for a in arts)  # placed in stories
    conditional = [r for r in http_server.requests if r.path == "/wire/feed.xml"
                   and r.headers.get("if-none-match")]
    assert conditional, "polls must be conditional"
    [health] = desk.subscriptions()
    assert health.articles == 5 and health.failures == 0 and health.state == "ok"
    assert health.etag == f'"v{site.version}"' and health.last_new and health.last_ok
    assert health.last_result in ("not modified", "0 new")
    assert parse_iso(health.next_poll) > parse_iso(health.last_fetch)
    assert sub.id == health.id


def test_failing_source_backs_off_and_others_keep_flowing(http_server: TestHTTPServer,
                                                          desk: Desk) -> None:
    site = FeedSite(http_server, "/wire/feed.xml", "Test Wire")
    site.publish(1)
    times: list[float] = []

    def broken(_req: Request) -> Response:
        times.append(time.monotonic())
        return Response("oops", status=500, content_type="text/plain")

    bad_url = http_server.add("/broken.xml", broken)
    desk.subscribe(site.feed_url, every=0.1)
    bad = desk.subscribe(bad_url, every=0.1, check=False)
    watcher = Watcher(desk)
    t = run_for(watcher, 30)
    for _ in range(3):
        time.sleep(0.4)
        site.publish(1)
    wait_until(lambda: desk.store.count_articles() == 4)
    wait_until(lambda: len(times) >= 4)
    watcher.stop()
    t.join(10)
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert gaps == sorted(gaps) or all(g2 > g1 * 1.5 for g1, g2 in zip(gaps, gaps[1:],
                                                                        strict=False))
    assert gaps[-1] > gaps[0] * 2  # growing back-off
    health = desk.store.get_subscription(bad.id)
    assert health is not None and health.state == "failing"
    assert health.failures == len(times) and health.last_error == "HTTP 500: server error"
    assert health.last_ok is None and health.articles == 0
    good = [s for s in desk.subscriptions() if s.id != bad.id][0]
    assert good.failures == 0 and good.articles == 4


def faulty_server(server: TestHTTPServer) -> dict[str, str]:
    moved_site = FeedSite(server, "/new/feed.xml", "Moved Daily", first=50)
    moved_site.publish(1)
    return {
        "gone": server.add("/gone.xml", Response("", status=410, content_type="text/plain")),
        "missing": server.add("/missing.xml", Response("", status=404,
                                                       content_type="text/plain")),
        "busy": server.add("/busy.xml", Response("", status=429, content_type="text/plain",
                                                 headers={"Retry-After": "120"})),
        "html": server.add("/page.html", Response("<html><body><p>Welcome</p></body></html>")),
        "badxml": server.add("/bad.xml", Response("<rss><channel><item><title>x</ti",
                                                  content_type="application/rss+xml")),
        "moved": server.add("/old/feed.xml", Response("", status=301,
                                                      headers={"Location": "/new/feed.xml"})),
        "moved_to": moved_site.feed_url,
    }


def test_faults_are_recorded_with_reasons(http_server: TestHTTPServer, desk: Desk) -> None:
    urls = faulty_server(http_server)
    ids = {k: desk.subscribe(u, every=60, check=False).id for k, u in urls.items()
           if k != "moved_to"}
    rounds = []
    watcher = Watcher(desk, on_round=rounds.append)
    watcher.run(rounds=1)
    subs = {k: desk.store.get_subscription(i) for k, i in ids.items()}
    reasons = {k: s.last_error for k, s in subs.items()}
    assert reasons["gone"] == "HTTP 410: feed gone"
    assert reasons["missing"] == "HTTP 404: feed not found"
    assert reasons["busy"] == "HTTP 429: rate limited, retry after 120 s"
    assert reasons["html"] == "not a feed: the server sent an HTML page (text/html)"
    assert reasons["badxml"].startswith("malformed feed (")
    assert reasons["moved"] is None
    now = datetime.now(UTC)
    wait = {k: (parse_iso(s.next_poll) - now).total_seconds() for k, s in subs.items()}
    assert 110 < wait["busy"] <= 120  # Retry-After obeyed
    assert 110 < wait["gone"] <= 120  # twice the interval after a first failure
    assert 50 < wait["moved"] <= 60
    assert all(subs[k].failures == 1 and subs[k].state == "failing"
               for k in ("gone", "missing", "busy", "html", "badxml"))
    moved = subs["moved"]
    assert moved.url == urls["moved_to"] and moved.failures == 0 and moved.articles == 1
    assert moved.name == "Moved Daily"  # named by its feed on the first poll
    assert f"moved permanently from {urls['moved']}" in moved.last_result
    [report] = rounds
    assert report.new == 1 and len(report.polls) == 6
    assert "round 1: 6 polled, 1 new article, 0 not modified, 5 failed" in report.line()


def test_interrupted_poll_keeps_the_rest_for_later(http_server: TestHTTPServer,
                                                   desk: Desk) -> None:
    site = FeedSite(http_server, "/wire/feed.xml", "Test Wire")
    site.publish(5)
    desk.subscribe(site.feed_url, every=0.05)
    desk.settings.follow.max_entries = 2  # as if stopped after two entries
    watcher = Watcher(desk)
    watcher.run(rounds=1)
    [sub] = desk.subscriptions()
    assert sub.articles == 2 and sub.etag is None  # validators kept back: not complete
    assert "more next poll" in sub.last_result
    watcher.run(rounds=3)
    [sub] = desk.subscriptions()
    assert sub.articles == 5 and sub.etag == '"v1"'
    assert all(site.page_hits(n) == 1 for n in range(1, 6))


def test_entry_failures_do_not_fail_the_source(http_server: TestHTTPServer,
                                               desk: Desk) -> None:
    site = FeedSite(http_server, "/wire/feed.xml", "Test Wire")
    [n] = site.publish(1)
    http_server.add(site.page_path(n), Response("", status=500, content_type="text/plain"))
    desk.subscribe(site.feed_url, every=0.05)
    watcher = Watcher(desk)
    watcher.run(rounds=1)
    [sub] = desk.subscriptions()
    assert sub.state == "ok" and sub.last_result == "0 new, 1 entry failed"
    site.publish(1)  # the feed changes: the failed entry is tried again, up to entry_tries
    watcher.run(rounds=1)
    assert site.page_hits(n) == 2 and desk.store.count_articles() == 1


def test_watch_with_no_subscriptions_waits_and_stops(desk: Desk) -> None:
    watcher = Watcher(desk)
    started = time.monotonic()
    assert watcher.run(duration=0.3) == 0
    assert 0.25 < time.monotonic() - started < 3


def test_schema_upgrade_keeps_articles(tmp_path: Path) -> None:
    from storydesk.store import Store
    from storydesk.store.schema import MIGRATIONS, SCHEMA_VERSION

    assert SCHEMA_VERSION == len(MIGRATIONS) >= 4
    db = str(tmp_path / "s.db")
    store = Store(db)
    assert store.add_subscriptions([Subscription(url="https://x.example/f", every=60)])
    assert store.add_subscriptions([Subscription(url="https://x.example/f", every=60)]) == []
    store.close()
    assert Store(db).list_subscriptions()[0].url == "https://x.example/f"


def test_entries_a_feed_stopped_listing_are_forgotten_after_a_while(
        http_server: TestHTTPServer, desk: Desk) -> None:
    """What a feed no longer lists and was handled over ``entry_keep_days`` ago is
    forgotten; old entries the feed still lists are kept (else they would be fetched
    again), and so is everything when the listing comes back empty."""
    from sqlalchemy import select, update

    from storydesk.store.schema import subscription_entries as se

    def keys() -> set[str]:
        with desk.store.engine.connect() as conn:
            return set(conn.execute(select(se.c.entry_key)).scalars())

    def poll_until(done: Callable[[], bool]) -> None:
        watcher = Watcher(desk)
        t = run_for(watcher, 30)
        wait_until(done)
        watcher.stop()
        t.join(10)

    def backdate() -> None:  # everything handled 60 days ago
        with desk.store.engine.begin() as conn:
            conn.execute(update(se).values(seen_at="2026-01-01T00:00:00+00:00"))

    site = FeedSite(http_server, "/wire/feed.xml", "Test Wire")
    site.publish(3)
    desk.subscribe(site.feed_url, every=0.2)
    poll_until(lambda: len(keys()) == 3)
    backdate()
    site.entries.remove(1)
    site.publish(1)
    poll_until(lambda: site.page_url(1) not in keys())
    assert keys() == {site.page_url(n) for n in (2, 3, 4)}
    assert site.page_hits(1) == 1 and desk.store.count_articles() == 4  # not fetched again
    backdate()
    site.entries.clear()
    site.version += 1
    hits = site.feed_hits()
    poll_until(lambda: site.feed_hits() >= hits + 2)
    assert keys() == {site.page_url(n) for n in (2, 3, 4)}  # an empty listing forgets nothing
