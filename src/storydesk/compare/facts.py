"""Articles to compare, their sentences, and facts aligned across them.

Alignment reuses the story summariser's fact clustering
(:func:`storydesk.summarize.story_facts`, average linkage): sentences of different
articles whose mean similarity reaches the threshold form one fact. The similarity is
paraphrase-aware by default (:mod:`.paraphrase`: canonical terms, so that "stepped
down" meets "resigned", and character n-grams), or plain TF-IDF cosine of stemmed
words with ``CompareSettings.alignment = "words"``. A fact stated by every article is
*shared*; one stated by a single article is *unique* to it (and so left out by the
others); anything between is *partial*. Sentence indexes are positions in
``split_sentences(article.text)``, the same numbering summaries use.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import numpy as np

from storydesk.settings import CompareSettings
from storydesk.summarize import StoryArticle, StoryParams, split_sentence_spans, story_facts
from storydesk.summarize.provenance import sentence_matrix
from storydesk.summarize.single import display_text

from .embed import embed
from .judge import judge_matrix, load_judge
from .paraphrase import METHODS, canonical_terms, char_cosine
from .records import CompareArticle, Sentence

__all__ = [
    "CompareArticle",
    "AlignedFact",
    "Sentence",
    "as_compare_articles",
    "align_facts",
    "fact_similarity",
    "sentence_similarity",
    "threshold",
    "article_sentences",
]


@dataclass
class AlignedFact:
    """One claim and every (article position, sentence index) stating it."""

    text: str
    members: list[tuple[int, int]]
    articles: frozenset[int] = field(default_factory=frozenset)

    def to_dict(self, arts: Sequence[CompareArticle], sents: dict[tuple[int, int], str]
                ) -> dict[str, Any]:
        return {
            "text": self.text,
            "sources": [
                {"article_id": arts[a].id, "sentence": i, "text": display_text(sents[(a, i)])}
                for a, i in self.members
            ],
        }


def as_compare_articles(articles: Iterable[Any]) -> list[CompareArticle]:
    """:class:`CompareArticle` from storydesk Articles, dicts or CompareArticles."""
    out: list[CompareArticle] = []
    for a in articles:
        if isinstance(a, CompareArticle):
            out.append(a)
            continue
        get = a.get if isinstance(a, dict) else (lambda k, d=None, a=a: getattr(a, k, d))
        cited = get("cited")
        out.append(CompareArticle(
            id=get("id"), text=get("text") or "", title=get("title") or "",
            outlet=get("outlet"), date=get("date"),
            cited=list(cited) if cited is not None else None,
            language=get("language"), duplicate_of=get("duplicate_of"),
        ))
    return out


def article_sentences(arts: Sequence[CompareArticle]) -> list[Sentence]:
    """Every sentence of every article (index: position in split_sentences)."""
    return [
        Sentence(ai, i, s.text, s.start, s.end)
        for ai, a in enumerate(arts)
        for i, s in enumerate(split_sentence_spans(a.text))
    ]


def sentence_similarity(texts: Sequence[str], settings: CompareSettings) -> np.ndarray:
    """Pairwise similarity of ``texts`` by ``settings.alignment`` (a symmetric matrix)."""
    method = settings.alignment
    if method not in METHODS:
        raise ValueError(f"unknown alignment {method!r}: one of {', '.join(METHODS)}")
    if method == "judge":
        return judge_matrix(texts, None, load_judge(settings.judge_model))
    rows = [SimpleNamespace(text=t) for t in texts]
    if method == "words":
        x = sentence_matrix(rows)
        return x @ x.T
    x = sentence_matrix(rows, terms=canonical_terms)
    w = settings.paraphrase_term_weight
    sim = w * (x @ x.T) + (1.0 - w) * char_cosine(texts)
    if method == "minilm":
        e = embed(list(texts))
        m = settings.minilm_weight
        sim = (1.0 - m) * sim + m * (e @ e.T)
    return sim


def threshold(settings: CompareSettings) -> float:
    """The similarity at which two sentences state one fact, for the chosen method."""
    return {"words": settings.fact_threshold, "paraphrase": settings.paraphrase_threshold,
            "minilm": settings.minilm_threshold,
            "judge": settings.align_threshold}[settings.alignment]


def fact_similarity(sents: Sequence[Sentence], settings: CompareSettings) -> np.ndarray:
    """How alike every two sentences are in what they state, by ``settings.alignment``
    (for the judge: its probability of one fact, over sentences of different articles)."""
    texts = [s.text for s in sents]
    if settings.alignment == "judge":
        return judge_matrix(texts, [s.article for s in sents], load_judge(settings.judge_model))
    return sentence_similarity(texts, settings)


def align_facts(arts: Sequence[CompareArticle], settings: CompareSettings,
                sents: Sequence[Sentence] | None = None, sim: np.ndarray | None = None
                ) -> list[AlignedFact]:
    """Facts of the articles, in order of first appearance (article order, then sentence).
    ``sents`` and ``sim``: :func:`article_sentences` and their :func:`fact_similarity`,
    when already computed."""
    story = [StoryArticle(i, a.text, None, language=getattr(a, "language", None))
             for i, a in enumerate(arts) if a.text.strip()]
    if not story:
        return []
    if sents is None or sim is None:
        sents = article_sentences(arts)
        sim = fact_similarity(sents, settings)
    row = {s.text: r for r, s in enumerate(sents)}

    def lookup(texts: list[str]) -> np.ndarray:
        idx = np.array([row[t] for t in texts], dtype=np.int64)
        return sim[np.ix_(idx, idx)]

    facts = story_facts(story, StoryParams(fact_threshold=threshold(settings)),
                        similarity=lookup)
    out = [
        AlignedFact(display_text(f.text), sorted(f.members), frozenset(m[0] for m in f.members))
        for f in facts
    ]
    out.sort(key=lambda f: (-len(f.articles), f.members[0]))
    return out
