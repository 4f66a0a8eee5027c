"""``Desk``: storydesk's Python API, the same power as the command line.

    from storydesk import Desk
    desk = Desk("news.db")
    report = desk.add(["saved-pages/", "https://example.org/feed.xml"])
    print(report.summary_line())
    for article in desk.articles(outlet="Northgate Daily"):
        print(article.id, article.title)
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from storydesk.models import AddReport, Article, RawDocument, Story, Subscription
from storydesk.services.ingest import Ingestor, ProgressFn
from storydesk.settings import Settings, default_db
from storydesk.store import Store

log = logging.getLogger("storydesk")

if TYPE_CHECKING:
    from storydesk.compare import Comparison
    from storydesk.services.summaries import ArticleSummary, StorySummary

__all__ = ["Desk", "ProgressFn"]


class Desk:
    """A news desk over one store (a SQLite path or a database URL)."""

    def __init__(
        self,
        db: str | None = None,
        *,
        settings: Settings | None = None,
        allow_private: bool | None = None,
    ):
        self.settings = settings or Settings()
        if allow_private is not None:
            self.settings.fetch.allow_private = allow_private
        self.store = Store(db or default_db())
        self._fetcher = None
        self.ingestor = Ingestor(self.store, self.settings, lambda: self.fetcher)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest ---------------------------------------------------------------
    @property
    def fetcher(self):  # noqa: ANN201 - created on first use
        if self._fetcher is None:
            from storydesk.sources.fetch import Fetcher

            fs = self.settings.fetch
            self._fetcher = Fetcher(
                allow_private=fs.allow_private,
                connect_timeout=fs.connect_timeout,
                read_timeout=fs.read_timeout,
                total_timeout=fs.total_timeout,
                max_bytes=fs.max_bytes,
                max_redirects=fs.max_redirects,
                per_host_delay=fs.per_host_delay,
            )
        return self._fetcher

    def add(
        self,
        inputs: Iterable[str] | str,
        *,
        outlet: str | None = None,
        progress: ProgressFn | None = None,
        on_plan: Callable[[int], None] | None = None,
        field_map: dict[str, str] | None = None,
        outlet_from_folder: bool = False,
    ) -> AddReport:
        """Ingest files, folders, URLs and feeds. Bad inputs are reported, not raised.

        ``field_map`` (storydesk field -> key, e.g. ``{"outlet": "site"}``) names the
        fields of JSON rows and CSV columns that the common names do not cover;
        ``outlet_from_folder``: an article whose source names no outlet (no field, site
        name, URL or copyright line) gets the name of the folder holding its file.

        ``on_plan(n)`` is told how many units of work (files, URLs) there are;
        ``progress(event, origin)`` hears of each document ("added",
        "duplicate", "failed") and of each finished unit ("unit").
        """
        if isinstance(inputs, str | os.PathLike):
            inputs = [str(inputs)]
        return self.ingestor.add(inputs, outlet=outlet, progress=progress, on_plan=on_plan,
                                 field_map=field_map, outlet_from_folder=outlet_from_folder)

    def add_document(self, raw: RawDocument, *, outlet: str | None = None) -> AddReport:
        """Ingest one document already in hand (an API request, a test) and place it in
        a story, as :meth:`add` does. Safe to call from several threads."""
        return self.ingestor.add_document(raw, outlet=outlet)

    # -- subscriptions ----------------------------------------------------------
    def subscribe(
        self, url: str, *, every: float | None = None, name: str | None = None,
        check: bool = True,
    ) -> Subscription:
        """Follow a feed, or the feed a site announces (``check=False``: store the URL as
        a feed without fetching it). ``every``: seconds between polls (default
        ``settings.follow.every``). Raises ``SubscribeError`` with a one-line reason."""
        from storydesk.follow import subscribe

        return subscribe(self.store, url, every=every or self.settings.follow.every,
                         name=name, fetcher=self.fetcher if check else None)

    def subscriptions(self) -> list[Subscription]:
        """Every subscription with its health (see :class:`~storydesk.models.Subscription`)."""
        return self.store.list_subscriptions()

    def unsubscribe(self, key: int | str) -> bool:
        """Stop following a subscription (by id or feed URL); its articles stay."""
        sub = self.store.get_subscription(key)
        return sub is not None and sub.id is not None and self.store.remove_subscription(sub.id)

    def watch(self, *, duration: float | None = None, rounds: int | None = None) -> int:
        """Poll the subscriptions (``storydesk watch``) for ``duration`` seconds or
        ``rounds`` rounds; returns how many new articles were stored. For a poller you
        can stop from another thread, use :class:`storydesk.follow.Watcher`."""
        from storydesk.follow import Watcher

        return Watcher(self).run(duration=duration, rounds=rounds)

    # -- stories --------------------------------------------------------------
    def place_new_articles(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Place every article not yet in a story; returns how many were placed.

        Loads the grouper from the store (or regroups everything when the
        store has placements but no usable state), places the new articles
        in arrival order, and writes placements, story rows and state in one
        transaction per ``settings.stories.place_batch`` articles.
        ``progress(done, total)`` hears after each batch.
        """
        return self.ingestor.place_new(progress)

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Regroup every stored article with the current settings; returns the story count."""
        self.ingestor.rebuild(progress)
        return self.store.count_stories()

    def stories(
        self,
        *,
        limit: int | None = 50,
        offset: int = 0,
        since: str | None = None,
        outlet: str | None = None,
        cited: str | None = None,
    ) -> list[Story]:
        """Stories, latest first: ``since`` keeps those whose last article is on or after
        that date; ``outlet`` those with an article of that outlet; ``cited`` those with an
        article citing that source. No ``why``."""
        return self.store.list_stories(limit=limit, offset=offset, since=since, outlet=outlet,
                                       cited=cited)

    def count_stories(self, *, since: str | None = None, outlet: str | None = None,
                      cited: str | None = None) -> int:
        """How many stories :meth:`stories` with these filters lists in all."""
        return self.store.count_stories(since=since, outlet=outlet, cited=cited)

    def story(self, story_id: int) -> Story | None:
        """One story with its article ids and, per article, why it is there."""
        return self.store.get_story(story_id)

    def story_of(self, article_id: int) -> int | None:
        """The id of the story an article is in (None until placed)."""
        return self.store.story_of(article_id)

    # -- reading --------------------------------------------------------------
    def article(self, article_id: int) -> Article | None:
        return self.store.get_article(article_id)

    def articles(
        self,
        *,
        limit: int | None = 100,
        offset: int = 0,
        outlet: str | None = None,
        since: str | None = None,
        cited: str | None = None,
        newest_first: bool = False,
    ) -> list[Article]:
        """Stored articles, oldest first (by id; ``newest_first``: latest date first,
        undated last), without their text; ``outlet``, ``since`` and ``cited`` (articles
        citing that source) filter them."""
        return self.store.list_articles(limit=limit, offset=offset, outlet=outlet, since=since,
                                        cited=cited, newest_first=newest_first)

    def count_articles(self, *, outlet: str | None = None, since: str | None = None,
                       cited: str | None = None) -> int:
        """How many articles :meth:`articles` with these filters lists in all."""
        return self.store.count_articles(outlet=outlet, since=since, cited=cited)

    def articles_by_ids(self, ids: list[int]) -> list[Article]:
        """The stored articles among ``ids``, in that order, without their text."""
        return self.store.articles_by_ids(ids, with_text=False)

    def copies_of(self, article_id: int) -> list[Article]:
        """Stored articles marked as copies of this one, without their text."""
        return self.store.copies_of(article_id)

    def adjacent_articles(self, article: Article) -> tuple[Article | None, Article | None]:
        """The articles just before and after ``article`` by date (undated first, then
        by id), without their text."""
        return self.store.adjacent_articles(article)

    def outlets(self, top_cited: int = 5) -> list[dict[str, Any]]:
        """Per outlet of the stored articles, most articles first: ``name``, ``count``,
        ``first`` and ``last`` date, ``duplicates`` (copies of earlier articles) and
        ``cited``, the ``top_cited`` sources it cites most as (name, articles)."""
        return self.store.outlet_table(top_cited)

    def search(self, query: str, *, limit: int = 20) -> list[tuple[Article, str]]:
        """Full-text search: (article, snippet), best first; ``storydesk.store.snippet_parts``
        splits a snippet into its text and its matches."""
        return self.store.search(query, limit=limit)

    # -- summaries ------------------------------------------------------------
    def summary(
        self,
        article_id: int,
        sentences: int | None = None,
        words: int | None = None,
        *,
        abstractive: bool | None = None,
        save: bool = True,
    ) -> ArticleSummary | None:
        """An article's summary (stored; made again when the article changed).

        Each sentence carries its index in ``split_sentences(article.text)``. Default
        length ``settings.summaries.sentences``; ``words`` sets a word budget instead.
        ``abstractive``: use the configured endpoint (default: the setting).
        ``save=False``: read a stored one, but store none (lengths asked for by
        anonymous requests).
        """
        from storydesk.services.summaries import article_summary

        return article_summary(self.store, self.settings, article_id, sentences, words,
                               abstractive, save)

    def story_summary(
        self,
        story_id: int,
        sentences: int | None = None,
        words: int | None = None,
        *,
        abstractive: bool | None = None,
        save: bool = True,
    ) -> StorySummary | None:
        """A story's summary, each sentence with every (article, sentence) stating it
        (stored; made again when the story's articles changed; ``save`` as in
        :meth:`summary`)."""
        from storydesk.services.comparisons import summary_judge
        from storydesk.services.summaries import story_summary

        return story_summary(self.store, self.settings, story_id, sentences, words, abstractive,
                             save, summary_judge(self.settings))

    def summarize(
        self,
        inputs: Iterable[str | int],
        sentences: int | None = None,
        words: int | None = None,
        *,
        abstractive: bool | None = None,
    ) -> ArticleSummary | StorySummary:
        """Stored article ids, files and URLs summarised together as one story (one
        input: that article's summary). Raises ``SummaryInputError`` on a bad input."""
        from storydesk.services.comparisons import summary_judge
        from storydesk.services.summaries import summarize_inputs

        items = [str(i) for i in inputs]
        fetcher = self.fetcher if any("://" in i for i in items) else None
        return summarize_inputs(self.store, self.settings, items, sentences, words,
                                abstractive, fetcher, summary_judge(self.settings))

    # -- comparison ------------------------------------------------------------
    def compare(self, inputs: Iterable[int | str]) -> Comparison:
        """Compare stored articles (ids) and article files: facts, contradictions, sources,
        tone, similarity. Raises ``CompareInputError`` on a bad input."""
        return self.compare_inputs(self, inputs)

    @staticmethod
    def compare_inputs(desk: Desk | None, inputs: Iterable[int | str]) -> Comparison:
        """As :meth:`compare`; with ``desk`` None only files can be given."""
        from storydesk.compare import compare
        from storydesk.compare.inputs import load_inputs

        settings = desk.settings.compare if desk else None
        return compare(load_inputs(desk.store if desk else None, inputs), settings)

    def compare_story(self, story_id: int) -> Comparison:
        """Compare the articles of a stored story. Raises ``ValueError`` if it has fewer
        than two articles or does not exist."""
        from storydesk.compare import compare

        story = self.story(story_id)
        if story is None:
            raise ValueError(f"no story with id {story_id}")
        arts = [a for i in story.article_ids if (a := self.article(i)) is not None]
        return compare(arts, self.settings.compare)

    def prepare_stories(self, since: str | None = None,
                        stop: threading.Event | None = None) -> int:
        """Summarise and compare the stories written since ``since`` (ISO timestamp;
        None: every story), most recent first, so the reader's story pages open at
        once. Stored results still fresh are only checked. Returns how many stories
        were looked at; ``stop`` ends the pass early. A story that fails is logged
        and skipped."""
        done = 0
        for sid, count in self.store.stories_updated_since(since):
            if stop is not None and stop.is_set():
                break
            try:
                self.story_summary(sid)
                if count > 1:
                    self.story_comparison(sid)
            except Exception as e:  # noqa: BLE001 - one story must not stop the rest
                log.warning("story %s: could not summarise or compare: %s", sid, e)
            done += 1
        return done

    def story_comparison(self, story_id: int) -> dict[str, Any] | None:
        """:meth:`compare_story` as JSON (``Comparison.to_dict()``), kept in the store and
        made again when the story's articles change; adds ``story_id`` and ``cached``.
        None for an unknown story; ``ValueError`` when it has fewer than two articles."""
        from storydesk.services.comparisons import story_comparison

        return story_comparison(self.store, self.settings, story_id)
