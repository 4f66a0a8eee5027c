"""Summary of a story: several articles on one event, each fact said once, with provenance.

1. Every article is split into sentences; sentences that cannot stand in a summary
   (headline, byline, caption, fragment: :func:`~storydesk.summarize.single.is_summary_sentence`)
   are left out.
2. Sentences become TF-IDF vectors (stemmed content words, IDF over the story's sentences).
3. **Facts**: sentences of different articles are clustered by average-linkage
   agglomerative clustering on cosine distance, cut at ``1 - fact_threshold``; two
   sentences of one article are kept apart (distance 1), so a fact is one sentence per
   article at most, usually.
4. Each fact is scored

       coverage_weight   * (outlets stating it - 1) / (outlets in the story - 1)
     + centrality_weight * cos(fact centroid, story centroid) / best in the story
     + position_weight   * 1 / (1 + rank / 3) for its earliest sentence

   where ``rank`` is the sentence's place among its article's eligible sentences, and the
   story centroid is the mean of the articles' centroids (a long article counts once).
5. Facts are taken best first, skipping one whose wording is too close to a fact already
   taken (cosine of the shown sentences above ``max_redundancy``), until ``n_sentences``
   or the word budget. Each is shown by its member closest to the fact's centroid (early
   sentences preferred), and the summary leads with the facts most outlets report.

Every :class:`SummarySentence` lists all (article id, sentence index) pairs of its fact,
the index being the sentence's position in ``split_sentences(article text)``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from storydesk.extract.chrome import may_hold_notice
from storydesk.settings import StoryParams
from storydesk.text import Span, is_caseless, word_count

from .coverage import build_units, concept_weights, select_units
from .marks import close_runs
from .names import full_names, person_names, used_alone, write_names_in_full
from .provenance import (
    FactJudge,
    SameFact,
    _Text,
    judged_sources,
    sentence_matrix,
    stating_sentences,
    word_match,
)
from .readability import english_rules, inside_quotation
from .single import (
    SummaryParams,
    article_spans,
    display_text,
    is_summary_sentence,
    summarize_article,
)

__all__ = [
    "StoryArticle",
    "SummarySentence",
    "Fact",
    "StoryParams",
    "summarize_story",
    "story_facts",
    "story_sources",
]


@dataclass(frozen=True)
class StoryArticle:
    """One article of a story: its id, cleaned text and (optionally) outlet and date
    (ISO 8601: the summary tells what outlets add in time order)."""

    id: int
    text: str
    outlet: str | None = None
    date: str | None = None
    language: str | None = None  # ISO 639-1; None reads as English


@dataclass
class SummarySentence:
    """One sentence of a story summary and every article sentence that states its fact."""

    text: str
    sources: list[tuple[int, int]]  # (article id, sentence index), article order
    outlets: int = 1  # distinct outlets (articles, where outlets are unknown) stating it
    score: float = 0.0
    # The article sentence shown (article id, sentence index), when it is one.
    origin: tuple[int, int] | None = None


@dataclass
class Fact:
    """Sentences of different articles that say the same thing."""

    members: list[tuple[int, int]]  # (article id, sentence index)
    text: str  # the member shown
    outlets: int
    score: float
    position: float = field(default=1.0, repr=False)  # mean relative position, 0 = lead
    # Sentences of other articles that also state it, inside a longer sentence that the
    # clustering put with another fact: (article id, sentence index).
    related: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class _Sent:
    article: int  # position in the article list
    index: int  # sentence index in the article
    rank: int  # place among the article's eligible sentences
    text: str
    words: int
    language: str | None = None


def _as_articles(articles: Iterable[Any]) -> list[StoryArticle]:
    out: list[StoryArticle] = []
    for a in articles:
        if isinstance(a, StoryArticle):
            out.append(a)
        elif isinstance(a, tuple | list):
            out.append(
                StoryArticle(int(a[0]), str(a[1]), str(a[2]) if len(a) > 2 and a[2] else None)
            )
        else:
            outlet = getattr(a, "outlet", None)
            date = getattr(a, "date", None)
            out.append(StoryArticle(a.id, a.text or "", str(outlet) if outlet else None,
                                    str(date) if date else None, getattr(a, "language", None)))
    return out


def _sentences(
    arts: list[StoryArticle], sp: SummaryParams,
    read: list[tuple[list[Span], int | None]] | None = None,
    caseless: list[bool] | None = None,
) -> list[_Sent]:
    """Eligible sentences of the articles (``read``: each one's
    :func:`~.single.article_spans`, ``caseless``: each one's :func:`is_caseless`, if at
    hand)."""
    sents: list[_Sent] = []
    for ai, a in enumerate(arts):
        spans, title = read[ai] if read is not None else article_spans(a.text)
        if not spans:
            continue
        no_case = caseless[ai] if caseless is not None else is_caseless(a.text)
        notices = may_hold_notice(a.text)
        rank = 0
        for i, s in enumerate(spans):
            if i != title and is_summary_sentence(s.text, no_case, sp, notices):
                sents.append(_Sent(ai, i, rank, s.text, word_count(s.text), a.language))
                rank += 1
    return sents


def _cluster(sim: np.ndarray, article: np.ndarray, threshold: float) -> np.ndarray:
    """Average-linkage clusters at mean cosine >= threshold; same-article pairs apart."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    n = sim.shape[0]
    if n == 1:
        return np.zeros(1, dtype=int)
    dist = 1.0 - sim.astype(np.float64)
    dist[article[:, None] == article[None, :]] = 1.0
    np.fill_diagonal(dist, 0.0)
    np.clip(dist, 0.0, 1.0, out=dist)
    z = linkage(squareform(dist, checks=False), method="average")
    return fcluster(z, t=1.0 - threshold, criterion="distance") - 1


def story_facts(
    articles: Sequence[Any],
    params: StoryParams = StoryParams(),
    similarity: Callable[[list[str]], np.ndarray] | None = None,
) -> list[Fact]:
    """All facts of a story, best first (see the module's documentation).

    ``similarity``: pairwise similarity of the eligible sentences' texts used to cluster
    them instead of their TF-IDF cosine, cut at ``params.fact_threshold`` all the same
    (the comparison's paraphrase-aware alignment, :mod:`storydesk.compare.paraphrase`)."""
    facts, _, _ = _facts(_as_articles(articles), params, similarity)
    return facts


def _facts(
    arts: list[StoryArticle], params: StoryParams,
    similarity: Callable[[list[str]], np.ndarray] | None = None,
) -> tuple[list[Fact], list[np.ndarray], list[int]]:
    sents = _sentences(arts, params.sentence)
    if not sents:
        return [], [], []
    x = sentence_matrix(sents)
    art = np.array([s.article for s in sents])
    sim = similarity([s.text for s in sents]) if similarity else x @ x.T
    labels = _cluster(sim, art, params.fact_threshold)

    outlet_of = [a.outlet or f"\x00{a.id}" for a in arts]
    n_outlets = len({outlet_of[s.article] for s in sents})
    art_centroids = np.stack([x[art == a].mean(axis=0) for a in np.unique(art)])
    story = art_centroids.mean(axis=0)
    story /= np.linalg.norm(story) or 1.0
    n_in_article = Counter(s.article for s in sents)

    groups: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        groups.setdefault(int(lab), []).append(i)
    raw: list[tuple[float, float, float, list[int], np.ndarray]] = []
    for members in groups.values():
        c = x[members].mean(axis=0)
        c /= np.linalg.norm(c) or 1.0
        outlets = len({outlet_of[sents[i].article] for i in members})
        coverage = (outlets - 1) / (n_outlets - 1) if n_outlets > 1 else 0.0
        best_rank = min(sents[i].rank for i in members)
        position = 1.0 / (1.0 + best_rank / 3.0)
        raw.append((coverage, float(c @ story), position, members, c))
    top = max(r[1] for r in raw) or 1.0

    facts: list[Fact] = []
    shown_vecs: list[np.ndarray] = []
    sizes: list[int] = []
    for coverage, cent, position, members, c in raw:
        score = (
            params.coverage_weight * coverage
            + params.centrality_weight * cent / top
            + params.position_weight * position
        )
        # Shown: the member closest to the fact's centroid, early sentences preferred.
        best = max(
            members, key=lambda i: (float(x[i] @ c) + 0.1 / (1.0 + sents[i].rank), -sents[i].rank)
        )
        srcs = sorted((arts[sents[i].article].id, sents[i].index) for i in members)
        rel = float(np.mean([sents[i].rank / n_in_article[sents[i].article] for i in members]))
        outlets = len({outlet_of[sents[i].article] for i in members})
        related = _related(x, c, art, members, sents, arts, params.source_threshold)
        facts.append(Fact(srcs, sents[best].text, outlets, score, rel, related))
        shown_vecs.append(x[best])
        sizes.append(sents[best].words)
    order = sorted(range(len(facts)), key=lambda k: (-facts[k].score, facts[k].position))
    return [facts[k] for k in order], [shown_vecs[k] for k in order], [sizes[k] for k in order]


def _related(
    x: np.ndarray,
    centroid: np.ndarray,
    art: np.ndarray,
    members: list[int],
    sents: list[_Sent],
    arts: list[StoryArticle],
    threshold: float,
) -> list[tuple[int, int]]:
    """Per article without a member in the fact, its sentence closest to the fact's
    centroid, when that is at least ``threshold``."""
    have = {sents[i].article for i in members}
    sims = x @ centroid
    best: dict[int, int] = {}
    for i in np.flatnonzero(sims >= threshold):
        a = int(art[i])
        if a not in have and (a not in best or sims[i] > sims[best[a]]):
            best[a] = int(i)
    return sorted((arts[sents[i].article].id, sents[i].index) for i in best.values())


def summarize_story(
    articles: Sequence[Any],
    n_sentences: int = 5,
    words: int | None = None,
    params: StoryParams = StoryParams(),
    judge: FactJudge | None = None,
) -> list[SummarySentence]:
    """A summary of a story that says what happened first, each sentence with its sources.

    ``articles``: (article id, text) or (id, text, outlet) tuples, :class:`StoryArticle`
    or any object with ``id``, ``text`` and optionally ``outlet`` and ``date``.
    Sentences are chosen by concept coverage (:mod:`.coverage`): at most ``n_sentences``
    sentences within ``n_sentences * words_per_sentence`` words, or with ``words`` set,
    within that many words; what happened first, then what the outlets add in time order.
    Each summary sentence lists every article sentence that states it by word match
    (the cosine :func:`.provenance.word_match` reads, at ``params.source_threshold``,
    read off one matrix: :func:`story_sources`) and, with ``judge`` (a
    :class:`~.provenance.FactJudge` the caller passes in, such as the comparison's
    fitted judge), every article whose
    sentence the judge deems the same fact (:func:`.provenance.judged_sources`). No fact
    is shown twice (:mod:`.redundancy`; the judge is asked about the pairs its
    containment filter passes).
    """
    arts = [a for a in _as_articles(articles) if a.text and a.text.strip()]
    if not arts:
        return []
    if len(arts) == 1:
        a = arts[0]
        return [
            SummarySentence(t, [(a.id, i)], 1, origin=(a.id, i))
            for i, t in summarize_article(a.text, n_sentences, words, params.sentence,
                                          language=a.language)
        ]
    cp = params.coverage
    read = [article_spans(a.text) for a in arts]
    split = [spans for spans, _ in read]
    caseless = [is_caseless(a.text) for a in arts]
    sents = _sentences(arts, params.sentence, read, caseless)
    # a quotation runs on over a sentence too short to be eligible ("People get traded.")
    quoted = {(k, i) for k, spans in enumerate(split)
              for i, inside in enumerate(inside_quotation([sp.text for sp in spans])) if inside}
    units = build_units([(s.article, s.index, s.rank, s.text) for s in sents], cp,
                        [a.language for a in arts], caseless, quoted)
    if not units:
        return []
    budget = words if words is not None else n_sentences * cp.words_per_sentence
    max_sentences = None if words is not None else n_sentences
    candidates = [((a.id, i), sp.text) for a, spans in zip(arts, split, strict=True)
                  for i, sp in enumerate(spans)]
    x = sentence_matrix([_Text(t) for _, t in candidates])
    row = {key: r for r, (key, _) in enumerate(candidates)}
    vecs = x[[row[(arts[u.article].id, i)] for u in units for i in u.indices]]
    by_time = sorted(range(len(arts)), key=lambda k: (arts[k].date is None, arts[k].date or "", k))
    time_rank = [0] * len(arts)
    for r, k in enumerate(by_time):
        time_rank[k] = r
    weights = concept_weights(units, len(arts), cp)
    chosen = select_units(units, len(arts), vecs, budget, max_sentences, cp, time_rank, judge,
                          [a.language for a in arts],
                          [(sp.text, a.language) for a, spans in zip(arts, split, strict=True)
                           for sp in spans], weights)
    shown = [
        (arts[units[k].article].id, i, t,
         sum(weights.get(c, 0.0) for c in units[k].concepts))
        for k in chosen
        for i, t in zip(units[k].indices, units[k].texts, strict=True)
    ]
    sources = story_sources(candidates, [(aid, i, t) for aid, i, t, _ in shown], params,
                            judge, x)
    outlet_of = {a.id: a.outlet or f"\x00{a.id}" for a in arts}
    # a surname used alone, written in full where the summary's articles name the person
    # (any of them: the one full name may stand in another article than the sentence's)
    by_id = {a.id: a for a in arts}
    alone = used_alone([t for _, _, t, _ in shown])
    names: dict[int, dict[str, str] | None] = {}
    for aid in dict.fromkeys(aid for aid, _, _, _ in shown):
        a = by_id[aid]
        wanted = alone & full_names(a.text)  # the names worth tagging the article for
        names[aid] = None if not english_rules(a.language) else \
            person_names(a.text, a.language, wanted) if wanted else {}
    # a quotation left open is closed unless its article's next sentence is shown next
    texts = write_names_in_full(
        close_runs([display_text(t) for _, _, t, _ in shown],
                   [k + 1 < len(shown) and shown[k + 1][:2] == (aid, i + 1)
                    for k, (aid, i, _, _) in enumerate(shown)]),
        [names[aid] for aid, _, _, _ in shown], words)
    return [
        SummarySentence(text, src, len({outlet_of[a] for a, _ in src}), w, origin=(aid, i))
        for text, (aid, i, _, w), src in zip(texts, shown, sources, strict=True)
    ]


def story_sources(
    candidates: Sequence[tuple[tuple[int, int], str]],
    shown: Sequence[tuple[int, int, str]],
    params: StoryParams = StoryParams(),
    judge: FactJudge | None = None,
    matrix: np.ndarray | None = None,
) -> list[list[tuple[int, int]]]:
    """The sources of a story summary's sentences ``shown`` ((article id, sentence index,
    text), each one of the ``candidates``: ((article id, sentence index), text) of every
    sentence of the story's articles): those stating it by word match
    (:func:`summary_sources` at ``params.source_threshold``), completed by ``judge``
    (:func:`.provenance.judged_sources`, shown the sentences at
    ``params.judge_min_cosine`` or more). ``matrix``: :func:`sentence_matrix` of the
    candidates, when at hand."""
    x = matrix if matrix is not None else sentence_matrix([_Text(t) for _, t in candidates])
    row = {key: r for r, (key, _) in enumerate(candidates)}
    similarity = x[[row[(aid, i)] for aid, i, _ in shown]] @ x.T
    sources = summary_sources(candidates, shown, threshold=params.source_threshold,
                              similarity=similarity)
    if judge is None:
        return sources
    return judged_sources([t for _, _, t in shown], sources,
                          [(aid, i, t) for (aid, i), t in candidates], judge,
                          similarity, params.judge_min_cosine, params.judge_per_article)


def summary_sources(
    candidates: Sequence[tuple[tuple[int, int], str]],
    shown: Sequence[tuple[int, int, str]],
    same_fact: SameFact | None = None,
    threshold: float = StoryParams.source_threshold,
    similarity: np.ndarray | None = None,
) -> list[list[tuple[int, int]]]:
    """For each summary sentence ``(article id, sentence index, text)``, every (article id,
    sentence index) among ``candidates`` (((article id, sentence index), text) of every
    sentence of the story's articles) that states it, by ``same_fact`` (a pairwise "same
    fact or not" judge; default :func:`.provenance.word_match` over the candidates at
    ``threshold``). The one place a fact judge plugs into the story summary's provenance
    and its "reported by N of M" counts. ``similarity``: the word match's cosines of the
    shown sentences (rows) and the candidates (columns), when at hand: read at
    ``threshold`` at once instead of pair by pair (no ``same_fact`` then)."""
    if similarity is not None and same_fact is None:
        return [sorted({candidates[r][0] for r in np.flatnonzero(similarity[k] >= threshold)}
                       | {(aid, i)}) for k, (aid, i, _) in enumerate(shown)]
    judge = same_fact or word_match([t for _, t in candidates], threshold)
    return [
        sorted(stating_sentences(t, candidates, judge, shown=(aid, i)))
        for aid, i, t in shown
    ]
