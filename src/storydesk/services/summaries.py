"""Summaries of stored articles and stories, kept in the store and recomputed when stale.

A stored summary is keyed by what it summarises (``article`` or ``story`` and its id) and
how (mode, length, a fingerprint of the summariser's settings and version). It carries a
hash of the texts and outlets it was made from: when an article's text or a story's
members change, the hash no longer matches and the summary is made again. Asking again
for an unchanged one reads it back (two small queries).

Inputs that are not stored (files, URLs) are read and cleaned like ``storydesk add`` does,
but not stored; their summaries are not kept either.

A story summary's "reported by N of M" counts and its repeat test use the fact judge the
caller passes in (``judge``, a :class:`~storydesk.summarize.provenance.FactJudge`; the
desk gives the comparison's): this layer does not import the comparison.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from storydesk.extract.text import leading_text
from storydesk.summarize.multi import StoryArticle, SummarySentence, summarize_story
from storydesk.summarize.provenance import FactJudge
from storydesk.summarize.readability import readability_note
from storydesk.summarize.single import summarize_article

if TYPE_CHECKING:
    from storydesk.settings import Settings
    from storydesk.store import Store

from storydesk.models import InputError

__all__ = ["ArticleSummary", "StorySummary", "SummaryInputError", "SUMMARIZER_VERSION"]

# Bump when the summarisers change in a way that changes their output.
# 6: story summary by concept coverage; "reported by" through the fact judge
# 7: no fact said twice (containment, then the judge); the judge is passed in
# 8: pointing-back rules in de, fr, es, it, pt, nl, ru, pl, tr (pointing.POINTING_BACK)
# 9: event words from openings widened past a hook (RedundancyParams.event_lead)
# 10: first-person and pronoun-attributed quotations need their predecessor (English)
# 11: decimals a tokenizer broke kept whole; a surname's first mention written in full;
#     more pointing-back openers and fragments (English); sentences read without dateline
# 12: quotations over several sentences kept with their speaker; questions left out; one
#     article opening per event; more openers, fragments and splitter ends
# 13: an article's summary (and a one-article story's) reads on its own too
# 14: an article copying another word for word (one wire story carried twice) adds no
#     weight to concepts; a pronoun subject of an opening clause, "Neither ...", "Finally,"
#     lean back; Cmndr. and Msgr. are titles
# 15: a site's cookie or privacy notice is no summary sentence; "Hun Sen." ends a sentence
#     where the text writes "Hun Sen said"; more surnames written in full; "the
#     26-year-old", "Even ...", "..., the official said." lean back
# 16: "The protesters, however, ...", "True, ...", "Williams agreed." lean back; surnames
#     the tagger reads alone as nothing written in full
# 17: a dateline is a place in capitals ("Four armed robbers -- ..." keeps its subject);
#     an aside set off by dashes after an abbreviation ends no sentence ("Corp. _ the
#     Sherman Act _ is brief"), nor "a. m." before "Feb."; "In another mine explosion,
#     ...", "The other ...", "Seven other workers ...", "In exchange for that, ...",
#     "... good with that.", "The union said this clearly addresses ...", "The last time
#     they were seen ..." lean back; a
#     quotation running on past a run of one article's sentences is closed after the
#     run; a sentence ending on an ellipsis is cut off (a fragment); "... at the link
#     below." is chrome
# 18: reported speech put to a pronoun within the sentence ("ATI, he said, also ...") or
#     after a name that is what is reported ("France Telecom isn't sure ..., she said.")
#     leans back, as do "..., the newspaper reported.", "In it, ..." and "The actress,
#     33, ...", "All right, ...", "... called it ...", "Not only that, ...", "Another reason
#     is ...", "Last week, it ..." and a pronoun after two or three opening phrases; a
#     quotation is read over an article's every sentence, not only those long enough to
#     show; a chronology's, a transactions list's or a section head's line is a fragment,
#     a blog's byline chrome; where a story has no event words, an opening sharing 3
#     content terms with the first is left out
SUMMARIZER_VERSION = "18"


# An input to summarise cannot be read (no such article, an unreadable file).
SummaryInputError = InputError


def _source_json(article_id: int, sentence: int, labels: dict[int, str]) -> dict[str, Any]:
    if article_id in labels:
        return {"article_id": None, "input": labels[article_id], "sentence": sentence}
    return {"article_id": article_id, "sentence": sentence}


def _sentences_json(sents: list[SummarySentence], labels: dict[int, str]) -> list[dict[str, Any]]:
    return [
        {
            "text": s.text,
            "sources": [_source_json(a, i, labels) for a, i in s.sources],
            "outlets": s.outlets,
        }
        for s in sents
    ]


def _add_readability(d: dict[str, Any], languages: list[str | None]) -> None:
    """``readability``: the languages whose rules kept sentences that lean on one before
    out of the summary ("rules for ru"), and those with none ("no rules for zh")."""
    if languages:
        d["readability"] = readability_note(languages)


@dataclass
class ArticleSummary:
    """A summary of one article: its sentences with their index in the article's text."""

    article_id: int | None
    title: str
    sentences: list[SummarySentence]
    mode: str = "extractive"
    dropped: list[str] = field(default_factory=list)  # abstractive: unsupported sentences
    cached: bool = False
    label: str | None = None  # the input it came from, when not stored
    # its article's language, [] when unknown (a summary kept before it was recorded)
    languages: list[str | None] = field(default_factory=list)

    @property
    def indexed(self) -> list[tuple[int, str]]:
        """(sentence index, text) for an extractive summary."""
        return [(s.sources[0][1], s.text) for s in self.sentences if s.sources]

    def to_dict(self) -> dict[str, Any]:
        labels = {-1: self.label or ""} if self.article_id is None else {}
        aid = -1 if self.article_id is None else self.article_id
        sents = [
            SummarySentence(s.text, [(aid, i) for _, i in s.sources], s.outlets)
            for s in self.sentences
        ]
        d: dict[str, Any] = {
            "article_id": self.article_id,
            "title": self.title,
            "mode": self.mode,
        }
        if self.label is not None:
            d["input"] = self.label
        if self.mode == "extractive":
            d["sentences"] = [{"index": i, "text": t} for i, t in self.indexed]
        d["summary"] = _sentences_json(sents, labels)
        if self.mode != "extractive":
            d["dropped"] = len(self.dropped)
            d["dropped_sentences"] = list(self.dropped)
        _add_readability(d, self.languages)
        d["cached"] = self.cached
        return d


@dataclass
class StorySummary:
    """A summary of several articles on one event; each sentence lists its sources."""

    story_id: int | None
    article_ids: list[int]  # negative: inputs not stored (see ``labels``)
    outlets: int
    sentences: list[SummarySentence]
    mode: str = "extractive"
    dropped: list[str] = field(default_factory=list)
    cached: bool = False
    labels: dict[int, str] = field(default_factory=dict)
    # its articles' languages, [] when unknown (a summary kept before they were recorded)
    languages: list[str | None] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "story_id": self.story_id,
            "articles": [
                {"article_id": None, "input": self.labels[a]} if a in self.labels
                else {"article_id": a}
                for a in self.article_ids
            ],
            "outlets": self.outlets,
            "mode": self.mode,
            "summary": _sentences_json(self.sentences, self.labels),
        }
        if self.mode != "extractive":
            d["dropped"] = len(self.dropped)
            d["dropped_sentences"] = list(self.dropped)
        _add_readability(d, self.languages)
        d["cached"] = self.cached
        return d


# ---------------------------------------------------------------- computing


def digest(*parts: object) -> str:
    """A hash of ``parts`` (their ``str``), for content hashes and settings fingerprints."""
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()


def fingerprint(settings: object) -> str:
    """A short hash of a settings object: a stored result made with other settings is stale."""
    return digest(repr(settings))[:12]


def story_content(
    store: Store, story_id: int
) -> tuple[list[int], dict[int, tuple[str, str | None]], str] | None:
    """A story's stored article ids, their (text hash, outlet), and a content hash of both
    that changes when an article joins or leaves the story or its text changes.
    None for an unknown (or empty) story."""
    ids = [a for a, _ in store.story_members(story_id)]
    if not ids:
        return None
    keys = store.content_keys(ids)
    ids = [a for a in ids if a in keys]
    return ids, keys, digest(*(f"{a}:{keys[a][0]}:{keys[a][1]}" for a in sorted(ids)))


def kept(
    store: Store, kind: str, ref_id: int, params: str, content: str,
    make: Callable[[], dict[str, Any] | None], *, save: bool = True,
) -> tuple[dict[str, Any] | None, bool]:
    """The stored value of (``kind``, ``ref_id``, ``params``) when it was made from
    ``content`` (a content hash); else ``make()``, stored for next time (unless None,
    or ``save`` is false). Returns (value, whether it came from the store)."""
    hit = store.get_summary(kind, ref_id, params)
    if hit is not None and hit[0] == content:
        return hit[1], True
    value = make()
    if value is not None and save:
        store.put_summary(kind, ref_id, params, content, value)
    return value, False



def summary_params_key(
    settings: Settings, kind: str, n: int, words: int | None, abstractive: bool
) -> str:
    s = settings.summaries
    if abstractive:
        ab = s.abstractive
        how = digest(ab.base_url, ab.model, ab.support_threshold, ab.max_support_sentences,
                    ab.max_input_words, ab.temperature)[:12]
        mode = f"abstractive:{how}"
    else:
        # a story summary also depends on the fact judge its caller passes (the desk's:
        # the comparison's judge model at its alignment threshold)
        what = s.article if kind == "article" else \
            (s.story, settings.compare.judge_model, settings.compare.align_threshold)
        mode = "extractive:" + fingerprint(what)
    return f"{mode};n={n if words is None else ''};w={words or ''};v={SUMMARIZER_VERSION}"


def _serial(sents: list[SummarySentence]) -> list[dict[str, Any]]:
    return [{"text": s.text, "sources": [list(p) for p in s.sources], "outlets": s.outlets}
            for s in sents]


def _unserial(rows: list[dict[str, Any]]) -> list[SummarySentence]:
    return [
        SummarySentence(r["text"], [(int(a), int(i)) for a, i in r["sources"]], r["outlets"])
        for r in rows
    ]


def compute_summary(
    settings: Settings,
    arts: list[StoryArticle],
    n: int,
    words: int | None,
    abstractive: bool,
    title: str | None = None,
    judge: FactJudge | None = None,
) -> tuple[list[SummarySentence], list[str], str]:
    s = settings.summaries
    if abstractive:
        from storydesk.summarize.abstractive import generate_summary

        checked = generate_summary(arts, s.abstractive, n, words)
        return checked.kept, checked.dropped, "abstractive"
    if len(arts) == 1:
        a = arts[0]
        pairs = summarize_article(a.text, n, words, s.article, title=title, language=a.language)
        return [SummarySentence(t, [(a.id, i)], 1) for i, t in pairs], [], "extractive"
    return summarize_story(arts, n, words, s.story, judge), [], "extractive"


def _use_abstractive(settings: Settings, abstractive: bool | None) -> bool:
    return settings.summaries.abstractive.enabled if abstractive is None else abstractive


def article_summary(
    store: Store,
    settings: Settings,
    article_id: int,
    sentences: int | None = None,
    words: int | None = None,
    abstractive: bool | None = None,
    save: bool = True,
) -> ArticleSummary | None:
    keys = store.content_keys([article_id])
    if article_id not in keys:
        return None
    ab = _use_abstractive(settings, abstractive)
    n = sentences or settings.summaries.sentences
    params = summary_params_key(settings, "article", n, words, ab)

    def make() -> dict[str, Any] | None:
        art = store.get_article(article_id)
        if art is None:  # deleted meanwhile
            return None
        text = leading_text(art.text, settings.summaries.max_chars)
        sents, dropped, mode = compute_summary(
            settings, [StoryArticle(article_id, text, art.outlet, language=art.language)], n,
            words, ab, art.title,
        )
        return {"title": art.title, "sentences": _serial(sents), "mode": mode,
                "dropped": dropped, "languages": [art.language]}

    v, cached = kept(store, "article", article_id, params, digest(*keys[article_id]), make,
                     save=save)
    if v is None:
        return None
    return ArticleSummary(article_id, v["title"], _unserial(v["sentences"]), v["mode"],
                          list(v.get("dropped", [])), cached=cached,
                          languages=list(v.get("languages", [])))


def story_summary(
    store: Store,
    settings: Settings,
    story_id: int,
    sentences: int | None = None,
    words: int | None = None,
    abstractive: bool | None = None,
    save: bool = True,
    judge: FactJudge | None = None,
) -> StorySummary | None:
    """A stored story's summary (kept; made again when stale); ``judge``: the fact judge
    for its "reported by" counts and repeat test."""
    found = story_content(store, story_id)
    if found is None:
        return None
    ids, keys, content = found
    ab = _use_abstractive(settings, abstractive)
    n = sentences or settings.summaries.story_sentences
    params = summary_params_key(settings, "story", n, words, ab)
    n_outlets = len({keys[a][1] or f"\x00{a}" for a in ids})

    def make() -> dict[str, Any]:
        cap = settings.summaries.max_chars
        arts = [StoryArticle(a.id, leading_text(a.text, cap), a.outlet, a.date, a.language)
                for a in store.articles_by_ids(ids) if a.id is not None]
        sents, dropped, mode = compute_summary(settings, arts, n, words, ab, judge=judge)
        return {"sentences": _serial(sents), "mode": mode, "dropped": dropped,
                "languages": [a.language for a in arts]}

    v, cached = kept(store, "story", story_id, params, content, make, save=save)
    assert v is not None
    return StorySummary(story_id, ids, n_outlets, _unserial(v["sentences"]), v["mode"],
                        list(v.get("dropped", [])), cached=cached,
                        languages=list(v.get("languages", [])))


def _read_inputs(
    store: Store, inputs: list[str], fetcher: Any = None, max_bytes: int = 20_000_000
) -> tuple[list[StoryArticle], dict[int, str], dict[int, str]]:
    """Stored ids and files/URLs as articles; not-stored ones get negative ids."""
    from storydesk.extract.article import read_articles

    arts: list[StoryArticle] = []
    labels: dict[int, str] = {}
    titles: dict[int, str] = {}
    next_id = -1
    for label, art in read_articles(inputs, store, fetcher=fetcher, max_bytes=max_bytes):
        aid = art.id
        if aid is None:
            aid, next_id = next_id, next_id - 1
            labels[aid] = label
        arts.append(StoryArticle(aid, art.text, art.outlet, art.date, art.language))
        titles[aid] = art.title
    return arts, labels, titles


def summarize_inputs(
    store: Store,
    settings: Settings,
    inputs: list[str],
    sentences: int | None = None,
    words: int | None = None,
    abstractive: bool | None = None,
    fetcher: Any = None,
    judge: FactJudge | None = None,
) -> ArticleSummary | StorySummary:
    """Stored article ids, files and URLs summarised together: one article gives an
    :class:`ArticleSummary`, several a :class:`StorySummary` (computed, not kept)."""
    if not inputs:
        raise SummaryInputError("nothing to summarise")
    if len(inputs) == 1 and str(inputs[0]).isdigit() and not os.path.exists(str(inputs[0])):
        one = article_summary(store, settings, int(inputs[0]), sentences, words, abstractive)
        if one is None:
            raise SummaryInputError(f"no article with id {inputs[0]}")
        return one
    arts, labels, titles = _read_inputs(
        store, inputs, fetcher, settings.clean.max_file_bytes
    )
    ab = _use_abstractive(settings, abstractive)
    if len(arts) == 1:
        a = arts[0]
        n = sentences or settings.summaries.sentences
        sents, dropped, mode = compute_summary(settings, arts, n, words, ab, titles.get(a.id))
        return ArticleSummary(None if a.id < 0 else a.id, titles.get(a.id, ""), sents, mode,
                              dropped, label=labels.get(a.id), languages=[a.language])
    n = sentences or settings.summaries.story_sentences
    sents, dropped, mode = compute_summary(settings, arts, n, words, ab, judge=judge)
    n_outlets = len({a.outlet or f"\x00{a.id}" for a in arts})
    return StorySummary(None, [a.id for a in arts], n_outlets, sents, mode, dropped,
                        labels=labels, languages=[a.language for a in arts])
