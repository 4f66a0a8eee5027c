"""The poller behind ``storydesk watch``: follows every subscription on its own
schedule and feeds new entries through the desk into stories.

    watcher = Watcher(desk)
    watcher.run(duration=60)         # or until watcher.stop() (SIGINT, SIGTERM)

Each source is polled on its own schedule: whenever sources are due, a round
starts with those whose host is not being polled already, grouped by host: the
hosts are polled at once (``FollowSettings.workers``), one host's feeds one after
another (the fetcher keeps its delay between two requests to one host). Rounds
overlap, so a host that stalls delays its own feeds only.
A poll is a conditional GET (the stored ETag / Last-Modified); each new entry's
page is fetched, cleaned, stored and placed in a story (the desk's ``Ingestor``,
which holds the one lock around the story keeper),
and the entry is marked as handled in its own transaction. The feed's validators
are stored only once every new entry of that response is handled, so an
interrupted poll is picked up again by the next one. A failing source waits longer
after each failure (``FollowSettings``), a server's Retry-After is obeyed, and a
feed that moved for good (301, 308) is followed at its new URL from then on.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from storydesk.dedup import canonical_url
from storydesk.follow.subscribe import format_every
from storydesk.models import Failure, Subscription, now_iso, parse_iso
from storydesk.settings import FollowSettings
from storydesk.sources.feeds import (
    FeedEntry,
    FeedError,
    ParsedFeed,
    broken,
    entry_documents,
    poll_feed,
)
from storydesk.sources.fetch import FetchError

if TYPE_CHECKING:
    from storydesk.services.ingest import Ingestor
    from storydesk.settings import Settings
    from storydesk.sources.fetch import Fetcher
    from storydesk.store import Store

log = logging.getLogger("storydesk.watch")

HTTP_REASONS = {
    401: "access refused", 403: "access refused", 404: "feed not found", 410: "feed gone",
    429: "rate limited",
}


def entry_key(entry: FeedEntry) -> str:
    """What identifies a feed entry across polls: its link, else its id, else a hash of it."""
    if entry.link and (key := canonical_url(entry.link)):
        return key
    if entry.guid:
        return "id:" + entry.guid
    body = f"{entry.fields.get('title', '')}\x1f{entry.content}"
    return "sha1:" + hashlib.sha1(body.encode("utf-8")).hexdigest()


def fetch_reason(e: FetchError) -> str:
    """A FetchError as a health reason: ``HTTP 410: feed gone``, ``HTTP 429: rate
    limited, retry after 120 s``."""
    if e.status is None:
        return e.reason
    what = HTTP_REASONS.get(e.status) or ("server error" if e.status >= 500 else None)
    text = f"{e.reason}: {what}" if what else e.reason
    if e.retry_after is not None:
        text += f"{',' if what else ':'} retry after {e.retry_after:g} s"
    return text


def backoff(sub: Subscription, failures: int, settings: FollowSettings,
            retry_after: float | None = None) -> float:
    """Seconds until a source that has failed ``failures`` times in a row is tried again."""
    wait = min(sub.every * settings.backoff_factor ** failures,
               max(settings.max_backoff, sub.every))
    if retry_after is not None:
        wait = max(wait, min(retry_after, settings.max_retry_after))
    return wait


@dataclass
class PollResult:
    """What one poll of one subscription did."""

    sub: Subscription
    ok: bool
    result: str  # the health line: "2 new", "not modified", "HTTP 404: feed not found"
    new: list[int] = field(default_factory=list)  # ids of articles stored
    duplicates: int = 0
    entry_failures: int = 0
    not_modified: bool = False
    next_poll: str = ""


@dataclass
class RoundReport:
    """One poll round: every source that was due, polled once."""

    number: int
    started: str
    polls: list[PollResult] = field(default_factory=list)
    seconds: float = 0.0
    next_poll: str | None = None
    stopped: bool = False

    @property
    def new(self) -> int:
        return sum(len(p.new) for p in self.polls)

    def line(self) -> str:
        """The log line of the round."""
        failed = [p for p in self.polls if not p.ok]
        parts = [f"round {self.number}: {len(self.polls)} polled",
                 f"{self.new} new article{'' if self.new == 1 else 's'}",
                 f"{sum(p.not_modified for p in self.polls)} not modified",
                 f"{len(failed)} failed"]
        text = ", ".join(parts)
        if failed:
            text += " (" + "; ".join(f"{p.sub.label}: {p.result}" for p in failed[:3])
            text += f"; +{len(failed) - 3} more)" if len(failed) > 3 else ")"
        text += f" in {self.seconds:.1f} s"
        if self.stopped:
            text += "; stopped"
        elif self.next_poll:
            wait = (parse_iso(self.next_poll) - datetime.now(UTC)).total_seconds()
            text += f"; next poll in {format_every(round(max(wait, 0), 1))}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.number, "started": self.started, "seconds": round(self.seconds, 3),
            "polled": len(self.polls), "new_articles": self.new,
            "not_modified": sum(p.not_modified for p in self.polls),
            "failed": sum(not p.ok for p in self.polls), "next_poll": self.next_poll,
            "stopped": self.stopped,
            "sources": [{"id": p.sub.id, "name": p.sub.label, "url": p.sub.url, "ok": p.ok,
                         "result": p.result, "new": p.new, "next_poll": p.next_poll}
                        for p in self.polls],
        }


class DeskLike(Protocol):
    """What a watcher needs of a desk (``storydesk.Desk`` has it): its store, settings,
    fetcher and ingest service."""

    store: Store
    settings: Settings
    ingestor: Ingestor

    @property
    def fetcher(self) -> Fetcher: ...


def _host(sub: Subscription) -> str:
    """A source's server (host and port), as the fetcher spaces its requests."""
    parts = urlsplit(sub.url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def _by_host(subs: list[Subscription]) -> dict[str, list[Subscription]]:
    by_host: dict[str, list[Subscription]] = defaultdict(list)
    for sub in subs:
        by_host[_host(sub)].append(sub)
    return by_host


@dataclass
class _Round:
    """A round in progress: its report and the polls of its hosts."""

    report: RoundReport
    started: datetime
    tasks: list[tuple[list[Subscription], Future[list[PollResult]]]] = field(
        default_factory=list)

    def done(self) -> bool:
        return all(f.done() for _, f in self.tasks)

    def polling(self) -> list[Subscription]:
        """The sources of the hosts still being polled."""
        return [s for subs, f in self.tasks if not f.done() for s in subs]


class Watcher:
    """Polls a desk's subscriptions until stopped. Thread-safe ``stop()``."""

    def __init__(
        self,
        desk: DeskLike,
        settings: FollowSettings | None = None,
        *,
        on_round: Callable[[RoundReport], None] | None = None,
        on_article: Callable[[Subscription, int], None] | None = None,
    ):
        self.desk = desk
        self.store = desk.store
        self.settings = settings or desk.settings.follow
        self.on_round = on_round
        self.on_article = on_article
        self._stop = threading.Event()
        self._wake = threading.Event()  # set when a poll ends or polling should stop
        self.rounds = 0

    # -- running -----------------------------------------------------------------
    def stop(self) -> None:
        """Stop soon: every poll finishes the entry in hand, none starts after it."""
        self._stop.set()
        self._wake.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def run(self, *, duration: float | None = None, rounds: int | None = None) -> int:
        """Poll until stopped, for ``duration`` seconds, or for ``rounds`` rounds.
        Returns the number of new articles stored.

        Each source is polled on its own schedule: a round is started whenever sources
        are due that are not being polled and whose host is free, while earlier rounds
        may still be running, so a host that stalls delays only its own feeds."""
        timer = threading.Timer(duration, self.stop) if duration is not None else None
        if timer:
            timer.daemon = True
            timer.start()
        wake = self._wake
        open_rounds: list[_Round] = []
        busy: set[str] = set()  # hosts being polled
        new, idle_said, first = 0, False, self.rounds + 1
        pool = ThreadPoolExecutor(max(1, self.settings.workers),
                                  thread_name_prefix="storydesk-watch")
        try:
            while True:
                wake.clear()
                for r in [r for r in open_rounds if r.done()]:
                    open_rounds.remove(r)
                    new += self._finish_round(r).new
                # ``rounds`` counts every round of this watcher; each run polls once at least
                if self.stopping or (rounds is not None and self.rounds >= max(rounds, first)):
                    if not open_rounds:
                        break
                    wake.wait(0.5)
                    continue
                in_flight = {s.id for r in open_rounds for s in r.polling()}
                due = [s for s in self.due() if s.id not in in_flight]
                free = [s for s in due if _host(s) not in busy]
                if free:
                    open_rounds.append(self._start_round(free, pool, busy, wake))
                    idle_said = False
                    continue
                # Sleep until the next source is due, a poll ends (a busy host may be
                # free, wake is set) or polling should stop.
                upcoming = self.store.next_poll(exclude=in_flight | {s.id for s in due})
                if upcoming is not None:
                    wait = (parse_iso(upcoming) - datetime.now(UTC)).total_seconds()
                else:
                    wait = 5.0
                    if not (due or open_rounds or idle_said):
                        log.info("no subscriptions yet: add one with storydesk sources add URL")
                        idle_said = True
                wake.wait(max(0.01, min(wait, 1.0 if due else 60.0)))
        finally:
            if timer:
                timer.cancel()
            pool.shutdown(wait=True)
        return new

    def _start_round(self, due: list[Subscription], pool: ThreadPoolExecutor,
                     busy: set[str], wake: threading.Event) -> _Round:
        self.rounds += 1
        r = _Round(RoundReport(self.rounds, now_iso()), datetime.now(UTC))
        for host, subs in _by_host(due).items():
            busy.add(host)

            def done(_f: Future[list[PollResult]], host: str = host) -> None:
                busy.discard(host)
                wake.set()

            future = pool.submit(self._host_task, subs)
            future.add_done_callback(done)
            r.tasks.append((subs, future))
        return r

    def _finish_round(self, r: _Round) -> RoundReport:
        report = r.report
        for _, f in r.tasks:
            report.polls.extend(f.result())
        report.seconds = (datetime.now(UTC) - r.started).total_seconds()
        report.stopped = self.stopping
        report.next_poll = self.store.next_poll()
        log.info(report.line())
        if self.on_round:
            self.on_round(report)
        return report

    def _host_task(self, subs: list[Subscription]) -> list[PollResult]:
        """One host's due feeds, one after another (the fetcher keeps its per-host delay)."""
        out = []
        for sub in subs:
            if self.stopping:
                break
            out.append(self.poll(sub))
        return out

    def due(self) -> list[Subscription]:
        """The subscriptions to poll now: those due, and those due within
        ``round_window`` seconds (at most a tenth of their interval), so that sources
        on one interval keep being polled in one round."""
        now = datetime.now(UTC)
        window = self.settings.round_window
        soon = self.store.due_subscriptions(now_iso(now + timedelta(seconds=window)))
        return [s for s in soon if s.next_poll is None or (
            parse_iso(s.next_poll) - now).total_seconds() <= min(window, s.every / 10)]

    def poll_round(self, due: list[Subscription]) -> RoundReport:
        """Poll each due subscription once and wait for all: hosts at once, one host's
        feeds in turn."""
        wake = threading.Event()
        with ThreadPoolExecutor(max(1, min(self.settings.workers, len(_by_host(due)))),
                                thread_name_prefix="storydesk-watch") as pool:
            r = self._start_round(due, pool, set(), wake)
        return self._finish_round(r)

    # -- one source --------------------------------------------------------------
    def poll(self, sub: Subscription) -> PollResult:
        """Poll one subscription and record its health. Never raises for a bad feed."""
        assert sub.id is not None
        started = now_iso()
        try:
            fp = poll_feed(sub.url, self.desk.fetcher, etag=sub.etag,
                           last_modified=sub.last_modified)
        except FetchError as e:
            return self._failed(sub, started, fetch_reason(e), e.retry_after)
        except FeedError as e:
            return self._failed(sub, started, str(e))
        except Exception as e:  # a bug or a response nobody foresaw: report it, go on
            text = " ".join(str(e).split())[:160]
            return self._failed(sub, started, f"unexpected error: {type(e).__name__}: {text}")
        if fp.feed is not None and (why := broken(fp.feed)):
            return self._failed(sub, started, why)
        res = PollResult(sub, ok=True, result="")
        complete = True
        values: dict[str, Any] = {}
        if fp.feed is None:
            res.not_modified = True
            notes = ["not modified"]
        else:
            if sub.name is None and fp.feed.title:  # named by its feed from now on
                values["name"] = sub.name = fp.feed.title
            complete = self._entries(sub, fp.feed, res)
            notes = [f"{len(res.new)} new"]
            if res.duplicates:
                notes.append(f"{res.duplicates} already stored")
            if res.entry_failures:
                n = res.entry_failures
                notes.append(f"{n} entr{'y' if n == 1 else 'ies'} failed")
            if not fp.feed.entries:
                notes.append("feed has no entries")
            if fp.feed.problem:
                notes.append(f"feed not well-formed ({fp.feed.problem})")
            if not complete:
                notes.append("more next poll" if not self.stopping else "stopped")
        moved = fp.result.moved_to
        if moved and moved != sub.url:
            other = self.store.get_subscription(moved)
            if other is None:
                values["url"] = moved
                notes.append(f"moved permanently from {sub.url}")
                log.info("%s moved permanently to %s: subscription updated", sub.url, moved)
            else:
                notes.append(f"moved permanently to {moved}, already source {other.id}")
        if complete:
            values.update(etag=fp.result.etag, last_modified=fp.result.last_modified)
        now = datetime.now(UTC)
        stopped = not complete and self.stopping  # the rest is due as soon as polling resumes
        res.next_poll = now_iso(now if stopped else now + timedelta(seconds=sub.every))
        res.result = ", ".join(notes)
        if res.new:
            values["last_new"] = now_iso(now)
        self.store.update_subscription(
            sub.id, new_articles=len(res.new), last_fetch=started, last_ok=now_iso(now),
            failures=0, last_result=res.result, next_poll=res.next_poll, **values)
        return res

    def _failed(self, sub: Subscription, started: str, reason: str,
                retry_after: float | None = None) -> PollResult:
        assert sub.id is not None
        failures = sub.failures + 1
        wait = backoff(sub, failures, self.settings, retry_after)
        now = datetime.now(UTC)
        next_poll = now_iso(now + timedelta(seconds=wait))
        self.store.update_subscription(
            sub.id, last_fetch=started, last_error=reason, last_error_at=now_iso(now),
            last_result=reason, failures=failures, next_poll=next_poll)
        log.warning("%s (%s): %s; failure %d, next try in %s", sub.label, sub.url, reason,
                    failures, format_every(round(wait, 1)))
        return PollResult(sub, ok=False, result=reason, next_poll=next_poll)

    def _entries(self, sub: Subscription, feed: ParsedFeed, res: PollResult) -> bool:
        """Fetch, store and place the entries not handled yet. False when some were left
        for the next poll (stopped, or more than ``max_entries``)."""
        assert sub.id is not None
        keys = [entry_key(e) for e in feed.entries]
        seen = self.store.seen_entries(sub.id, keys)
        todo = [(k, e) for k, e in zip(keys, feed.entries, strict=True)
                if k not in seen or (seen[k][0] == "failed"
                                     and seen[k][1] < self.settings.entry_tries)]
        todo = list(dict(todo).items())  # one entry per key
        limit = self.settings.max_entries
        complete = limit is None or len(todo) <= limit
        for key, entry in todo[:limit]:
            if self.stopping:
                return False
            self._entry(sub, feed, key, entry, res)
        if keys:  # an empty listing (a feed emptied by mistake) forgets nothing
            self.store.forget_entries(sub.id, keys, self.settings.entry_keep_days)
        return complete

    def _entry(self, sub: Subscription, feed: ParsedFeed, key: str, entry: FeedEntry,
               res: PollResult) -> None:
        assert sub.id is not None
        one = ParsedFeed(feed.title, [entry])
        for item in entry_documents(one, self.desk.fetcher, origin=sub.url):
            if isinstance(item, Failure):
                res.entry_failures += 1
                self.store.mark_entry(sub.id, key, "failed")
                log.info("%s: entry %s failed: %s", sub.label, item.origin, item.reason)
                continue
            report = self.desk.ingestor.add_document(item, outlet=sub.name)
            if report.added:
                article_id = report.added[0]
                res.new.append(article_id)
                self.store.mark_entry(sub.id, key, "added", article_id)
                log.info("new article %d from %s: %s", article_id, sub.label,
                         item.fields.get("title") or item.origin)
                if self.on_article:
                    self.on_article(sub, article_id)
            elif report.duplicates:
                res.duplicates += 1
                self.store.mark_entry(sub.id, key, "duplicate", report.duplicates[0][1])
            else:
                res.entry_failures += 1
                self.store.mark_entry(sub.id, key, "failed")
                for f in report.failures:
                    log.info("%s: entry %s failed: %s", sub.label, f.origin, f.reason)
