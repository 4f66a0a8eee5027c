"""The one ingest path: read -> chunk -> clean -> build -> dedup -> insert -> place.

``Ingestor`` is what ``Desk.add``, ``Desk.add_document``, the web API and the feed
poller (``follow.Watcher``) store articles with; it holds the one lock around the
story keeper, which is not thread-safe. The steps that need no store (which line
group a document's page chrome belongs to, its chrome line keys, the boilerplate
test, the duplicate keys of an article) are plain functions here, so that
``storydesk batch`` runs the same code on Spark.
"""

from __future__ import annotations

import os
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError

from storydesk.dedup import NearDupIndex, canonical_url, text_fingerprint
from storydesk.extract.article import FOLDER_OUTLET, build_article
from storydesk.extract.chrome import line_key, line_keys
from storydesk.extract.outlets import outlet_from_url
from storydesk.models import AddReport, Article, Failure, IngestError, RawDocument
from storydesk.settings import CleanSettings, Settings
from storydesk.store import Store

if TYPE_CHECKING:
    from storydesk.stories.keeper import StoryKeeper

ProgressFn = Callable[[str, str], None]  # (event, origin): "added" | "duplicate" | "failed"
PlaceProgressFn = Callable[[int, int], None]  # (done, total)


@dataclass
class UnitDone:
    """A marker in the document stream: every document of this unit came before it."""

    unit: str


Item = RawDocument | Failure | UnitDone


# -- the steps without a store -------------------------------------------------------
def line_group(raw: RawDocument, outlet: str | None = None) -> str:
    """Which articles share page chrome: one outlet, or one folder of saved files."""
    name = outlet or raw.fields.get("outlet") or outlet_from_url(raw.url)
    if name:
        return str(name)
    if "://" in raw.origin:
        return "folder:" + os.path.dirname(raw.origin)
    return "folder:" + os.path.abspath(os.path.dirname(raw.origin.split(":", 1)[0]))


def chrome_keys(raw: RawDocument, clean: CleanSettings) -> set[str]:
    """The keys of the short lines of a text document (candidate page chrome)."""
    if raw.kind != "text":
        return set()
    return line_keys(raw.content, clean.boilerplate_max_words)


def boilerplate_judge(count: Callable[[str], int], clean: CleanSettings
                      ) -> Callable[[str], bool]:
    """The boilerplate test: a short line whose key ``count`` finds in at least
    ``boilerplate_min_repeats`` articles of its line group."""

    def judge(line: str) -> bool:
        if len(line.split()) > clean.boilerplate_max_words:
            return False
        return count(line_key(line)) >= clean.boilerplate_min_repeats

    return judge


@dataclass
class DedupKeys:
    """What finds an article's duplicates: canonical URL, text fingerprint, MinHash."""

    url_key: str | None
    text_hash: str
    signature: Any  # the MinHash signature (numpy array)
    bands: list[str]


def dedup_keys(raw: RawDocument, article: Article, near: NearDupIndex, *,
               url_from_text: bool = True) -> DedupKeys:
    """The duplicate keys of an article built from ``raw``: its URL (``url_from_text``:
    else one read from the text), the fingerprint of its text and the MinHash signature
    with band keys."""
    url_key = canonical_url(raw.url or raw.fields.get("url"))
    if url_key is None and url_from_text:
        url_key = canonical_url(article.url)
    sig = near.signature(article.text)
    return DedupKeys(url_key, text_fingerprint(article.text), sig, near.band_keys(sig))


def stored_at_url(store: Store, near: NearDupIndex, url_key: str | None,
                  signature: Any) -> tuple[int | None, bool]:
    """The stored article at this canonical URL (None: none), and whether it holds this
    text (MinHash ``signature``): one URL is one article only when the texts agree (a
    page edited since); another text at a stored URL is another article, to be stored
    without the URL key."""
    same_url = store.find_exact(url_key=url_key) if url_key else None
    if same_url is None:
        return None, False
    stored_sig = store.article_signature(same_url)
    return same_url, bool(stored_sig) and near.similarity(
        signature, near.from_bytes(stored_sig)) >= near.settings.near_threshold


def _folder_name(unit: str) -> str | None:
    """The name of the folder holding a local file (None for a URL or a bare file name)."""
    if "://" in unit:
        return None
    name = os.path.basename(os.path.dirname(os.path.abspath(unit)))
    return name or None


def _input_name(origin: str) -> str:
    """The file (or URL) name an article came from, without its folder: ``a.jsonl:7``."""
    return origin.rstrip("/").rsplit("/", 1)[-1]


# -- the service ---------------------------------------------------------------------
class Ingestor:
    """Stores documents in one store and places them in stories, under one lock.

    ``fetcher`` gives the web fetcher on first use (only inputs with URLs need it).
    """

    def __init__(self, store: Store, settings: Settings, fetcher: Callable[[], Any]):
        self.store = store
        self.settings = settings
        self._fetcher = fetcher
        self._near = NearDupIndex(settings.dedup)
        self._keeper: StoryKeeper | None = None
        self.lock = threading.RLock()  # around every store write and the keeper

    @property
    def keeper(self) -> StoryKeeper:
        """The story keeper, created on first use (hold ``lock`` while using it)."""
        if self._keeper is None:
            from storydesk.stories.keeper import StoryKeeper

            self._keeper = StoryKeeper(self.store, self.settings.stories)
        return self._keeper

    # -- entry points ------------------------------------------------------------
    def add(
        self,
        inputs: Iterable[str],
        *,
        outlet: str | None = None,
        progress: ProgressFn | None = None,
        on_plan: Callable[[int], None] | None = None,
        field_map: dict[str, str] | None = None,
        outlet_from_folder: bool = False,
    ) -> AddReport:
        """Read, store and place files, folders, URLs and feeds (``Desk.add``)."""
        from storydesk.sources import plan

        units = plan(str(i) for i in inputs)
        if on_plan:
            on_plan(len(units))
        report = AddReport()
        items = self._documents(units, field_map, outlet_from_folder)
        while chunk := list(islice(items, self.settings.clean.chunk_size)):
            with self.lock:
                self._add_chunk(chunk, outlet, report, progress)
        self.place_new()
        return report

    def add_document(self, raw: RawDocument, *, outlet: str | None = None) -> AddReport:
        """Store one document already in hand and place it in a story."""
        report = AddReport()
        with self.lock:
            self._add_chunk([raw], outlet, report, None)
            if report.added:
                self.place_new()
        return report

    def place_new(self, progress: PlaceProgressFn | None = None) -> int:
        """Place every article not yet in a story; returns how many were placed."""
        with self.lock:
            ids = self.store.unplaced_article_ids()
            if not ids:
                return 0
            return self.keeper.place(ids, progress=progress)

    def rebuild(self, progress: PlaceProgressFn | None = None) -> None:
        """Regroup every stored article with the current settings."""
        with self.lock:
            self.keeper.rebuild(progress=progress)

    # -- steps -------------------------------------------------------------------
    def _documents(self, units: list[str], field_map: dict[str, str] | None,
                   outlet_from_folder: bool) -> Iterator[Item]:
        from storydesk.sources import iter_documents

        for unit in units:
            folder = _folder_name(unit) if outlet_from_folder else None
            for item in iter_documents([unit], fetcher=self._fetcher(),
                                       max_bytes=self.settings.clean.max_file_bytes,
                                       field_map=field_map):
                if folder and isinstance(item, RawDocument):
                    item.fields[FOLDER_OUTLET] = folder
                yield item
            yield UnitDone(unit)

    def _add_chunk(self, chunk: list[Item], outlet: str | None, report: AddReport,
                   progress: ProgressFn | None) -> None:
        # each document's line group and chrome line keys, worked out once: the
        # boilerplate judges count them and the store keeps them
        lines = {id(it): (line_group(it, outlet), chrome_keys(it, self.settings.clean))
                 for it in chunk if isinstance(it, RawDocument)}
        judges = self._boilerplate_judges(chunk, lines)
        for item in chunk:
            if isinstance(item, UnitDone):
                if progress:
                    progress("unit", item.unit)
                continue
            if isinstance(item, Failure):
                report.failures.append(item)
                if progress:
                    progress("failed", item.origin)
                continue
            try:
                group, keys = lines[id(item)]
                event = self._add_one(item, outlet, group, keys, judges.get(group), report)
            except IngestError as e:
                report.failures.append(Failure(e.origin, e.reason))
                event = "failed"
            except Exception as e:  # a bug or an unforeseen input: report it, go on
                report.failures.append(Failure(item.origin, f"{type(e).__name__}: {e}"))
                event = "failed"
            if progress:
                progress(event, item.origin)

    def _boilerplate_judges(self, chunk: list[Item], lines: dict[int, tuple[str, set[str]]]
                            ) -> dict[str, Callable[[str], bool]]:
        """Per line group, a test for lines seen in enough articles (stored or in this
        chunk). Each document counts once: one whose near copy is stored already (the
        same file added again, a run interrupted and started over) is counted by the
        store only, so it is judged as it was the first time."""
        keys: dict[str, set[str]] = defaultdict(set)
        in_chunk: dict[str, Counter[str]] = defaultdict(Counter)
        for item in chunk:
            if not isinstance(item, RawDocument):
                continue
            group, item_keys = lines[id(item)]
            if item_keys:
                keys[group] |= item_keys
                if not self._stored_before(item):
                    in_chunk[group].update(item_keys)
        judges: dict[str, Callable[[str], bool]] = {}
        for group, group_keys in keys.items():
            stored = self.store.line_counts(group, group_keys)
            counts = in_chunk[group]
            total = {k: counts.get(k, 0) + stored.get(k, 0) for k in group_keys}
            judges[group] = boilerplate_judge(lambda k, t=total: t.get(k, 0),
                                              self.settings.clean)
        return judges

    def _stored_before(self, raw: RawDocument) -> bool:
        """Whether this document seems stored already: a near copy of its text came from
        an input of the same name (the same file or row, perhaps by another path)."""
        sig = self._near.signature(raw.content)
        near = [i for i, c in self.store.near_candidates(self._near.band_keys(sig))
                if c and self._near.similarity(sig, self._near.from_bytes(c))
                >= self.settings.dedup.near_threshold]
        name = _input_name(raw.origin)
        return any(_input_name(a.origin or "") == name
                   for a in self.store.articles_by_ids(near, with_text=False))

    def _add_one(self, raw: RawDocument, outlet: str | None, group: str, chrome: set[str],
                 is_boilerplate: Callable[[str], bool] | None, report: AddReport) -> str:
        article = build_article(raw, outlet=outlet, is_boilerplate=is_boilerplate)
        keys = dedup_keys(raw, article, self._near)
        if found := self.store.find_exact(text_hash=keys.text_hash):
            report.duplicates.append((raw.origin, found))
            return "duplicate"
        threshold = self.settings.dedup.near_threshold
        url_key = keys.url_key
        same_url, same_text = stored_at_url(self.store, self._near, url_key, keys.signature)
        if same_url is not None:
            if same_text:
                report.duplicates.append((raw.origin, same_url))
                return "duplicate"
            url_key = None
        best: tuple[float, int] | None = None
        for cand_id, c in self.store.near_candidates(keys.bands):
            if not c:
                continue
            sim = self._near.similarity(keys.signature, self._near.from_bytes(c))
            if sim >= threshold and (best is None or (sim, -cand_id) > (best[0], -best[1])):
                best = (sim, cand_id)
        if best:
            article.duplicate_share, article.duplicate_of = round(best[0], 3), best[1]
        try:
            new_id = self.store.insert_article(
                article, url_key=url_key, text_hash=keys.text_hash,
                signature=self._near.to_bytes(keys.signature), band_keys=keys.bands,
                line_keys=chrome, line_group=group)
        except IntegrityError:  # another process stored the same article meanwhile
            found = self.store.find_exact(url_key, keys.text_hash)
            if found is None:
                raise
            report.duplicates.append((raw.origin, found))
            return "duplicate"
        report.added.append(new_id)
        if article.duplicate_of:
            report.near_duplicates.append((new_id, article.duplicate_of))
        return "added"
