"""Compare coverage: how the outlets' accounts of one story differ.

    from storydesk.compare import compare
    result = compare(articles)          # 2+ Articles (or CompareArticles, or dicts)
    result.to_dict()["comparison"]      # shared, unique, contradictions, cited, tone...

Pure functions on text, no database and no model download; docs/comparison.md
describes the method and its measured quality and speed.

* :mod:`.facts`: facts aligned across articles (the summariser's fact clustering);
* :mod:`.judge`: same fact or not, for two sentences (fitted on MSRP);
* :mod:`.details`, :mod:`.quantities`, :mod:`.quotes` and :mod:`.contradictions`: typed
  details, which of them measure the same thing, who a quote is credited to, and the
  conflicts between statements of one fact;
* :mod:`.sources`: citations and rewrites of one copy;
* :mod:`.tone`: tone (VADER lexicon) and framing;
* :mod:`.similarity`: the SemEval-2022 similarity profile of each pair;
* :mod:`.report`: the terminal report.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from storydesk.settings import CompareSettings

from .contradictions import ArticleInfo, Contradiction, find_contradictions
from .facts import (
    AlignedFact,
    CompareArticle,
    align_facts,
    article_sentences,
    as_compare_articles,
    fact_similarity,
)
from .judge import judge_matrices, load_judge
from .similarity import (
    PairText,
    describe,
    evaluate_similarity,
    load_model,
    profile,
    profiles,
)
from .sources import cited_sources, rewrites
from .tone import article_tone, framing, sentence_tones

__all__ = [
    "CompareArticle",
    "Comparison",
    "compare",
    "evaluate_similarity",
    "profile",
    "PairText",
]


@dataclass
class Comparison:
    """The result of :func:`compare`; ``to_dict()`` gives the JSON shape."""

    articles: list[CompareArticle]
    facts: list[AlignedFact]
    contradictions: list[Contradiction]
    cited: dict[Any, list[str]]
    rewrites: list[dict[str, Any]]
    tone: dict[Any, dict[str, Any]]
    framing: dict[Any, dict[str, list[str]]]
    similarity: list[dict[str, Any]]
    sentences: dict[tuple[int, int], str] = field(default_factory=dict, repr=False)
    min_confidence: float = 0.0  # contradictions below it are held back from to_dict()

    @property
    def confident(self) -> list[Contradiction]:
        """The contradictions from ``min_confidence`` on (what readers show)."""
        return [c for c in self.contradictions if c.confidence >= self.min_confidence]

    @property
    def shared(self) -> list[AlignedFact]:
        return [f for f in self.facts if len(f.articles) == len(self.articles)]

    @property
    def partial(self) -> list[AlignedFact]:
        return [f for f in self.facts if 1 < len(f.articles) < len(self.articles)]

    def unique(self, position: int) -> list[AlignedFact]:
        return [f for f in self.facts if f.articles == frozenset([position])]

    def to_dict(self) -> dict[str, Any]:
        arts, s = self.articles, self.sentences
        return {
            "articles": [
                {"id": a.id, "title": a.title, "outlet": a.outlet, "date": a.date}
                for a in arts
            ],
            "comparison": {
                "shared": [f.to_dict(arts, s) for f in self.shared],
                "partial": [f.to_dict(arts, s) for f in self.partial],
                "unique": {a.id: [f.to_dict(arts, s) for f in self.unique(i)]
                           for i, a in enumerate(arts)},
                "contradictions": [c.to_dict(arts) for c in self.confident],
                "contradictions_held_back": len(self.contradictions) - len(self.confident),
                "cited": self.cited,
                "rewrites": self.rewrites,
                "tone": self.tone,
                "framing": self.framing,
                "similarity": self.similarity,
            },
        }


_EXTRA_HEADS = frozenset("Point Head Quay Harbour Pier Station Terminal Beach Reef Sound".split())
_LOCATED = re.compile(
    r"\b(?:off|near|at|in|outside|on)\s+(?:the\s+)?((?:[A-Z][\w'’-]+\s+){0,2}[A-Z][\w'’-]+)")


def _located(text: str) -> set[str]:
    """Capitalised names after a locative preposition ending in a place word
    ("near Hollis Point", "off Tarr Island") that the entity tagger may miss."""
    from storydesk.extract.entities import PLACE_HEADS

    heads = PLACE_HEADS | _EXTRA_HEADS
    return {m.group(1) for m in _LOCATED.finditer(text)
            if m.group(1).split()[-1] in heads and len(m.group(1).split()) > 1}


def compare(
    articles: Iterable[Any], settings: CompareSettings | None = None, *, similarity: bool = True
) -> Comparison:
    """Compare two or more articles on one story (see the module's documentation).

    ``articles``: storydesk :class:`~storydesk.models.Article` objects, dicts or
    :class:`CompareArticle` (id, text, title, outlet, date, cited). Ids must differ.
    """
    from storydesk.extract.entities import extract_entities

    settings = settings or CompareSettings()
    arts = as_compare_articles(articles)
    if len(arts) < 2:
        raise ValueError("compare needs at least two articles")
    if len({a.id for a in arts}) != len(arts):
        raise ValueError("article ids must differ")
    sents = article_sentences(arts)
    same, apart = judge_matrices([s.text for s in sents], [s.article for s in sents],
                                 load_judge(settings.judge_model))
    sim = same if settings.alignment == "judge" else fact_similarity(sents, settings)
    facts = align_facts(arts, settings, sents, sim)

    ents = [extract_entities(a.text, title=a.title, language=a.language or "en") for a in arts]
    infos = [
        ArticleInfo(
            places=sorted({e.name for e in es if e.type == "place"} | _located(a.text),
                          key=len, reverse=True),
            persons=sorted({e.name for e in es if e.type == "person"}, key=len, reverse=True),
            text_lower=f"{a.title}\n{a.text}".lower(),
        )
        for a, es in zip(arts, ents, strict=True)
    ]
    contradictions = find_contradictions(arts, sents, apart, infos, settings)

    # tone: main entities of the story = most mentioned over all articles
    total: Counter[str] = Counter()
    for es in ents:
        for e in es:
            total[e.name] += e.count
    main = [n for n, _ in total.most_common(settings.main_entities)]
    tones = sentence_tones([s.text for s in sents])
    tone = {}
    for i, a in enumerate(arts):
        rows = [k for k, s in enumerate(sents) if s.article == i]
        tone[a.id] = article_tone([sents[k] for k in rows], [tones[k] for k in rows], main,
                                  settings)
    frames = framing(arts, [Counter({e.name: e.count for e in es}) for es in ents], settings)

    sim: list[dict[str, Any]] = []
    if similarity:
        texts = [PairText(a.text, a.title, a.date, a.language, entities=es,
                          tone=tone[a.id]["score"])
                 for a, es in zip(arts, ents, strict=True)]
        index = [(i, j) for i in range(len(arts)) for j in range(i + 1, len(arts))]
        model = load_model(settings.similarity_model)
        _, prof = profiles([(texts[i], texts[j]) for i, j in index], model)
        # which model made the profile (the default one reads no text embeddings)
        name = settings.similarity_model or os.environ.get("STORYDESK_SIMILARITY") or "default"
        how = describe(model, name)
        for k, (i, j) in enumerate(index):
            sim.append({"articles": [arts[i].id, arts[j].id],
                        "profile": {d: round(float(v[k]), 2) for d, v in prof.items()},
                        "model": how})
    return Comparison(
        articles=arts, facts=facts, contradictions=contradictions, cited=cited_sources(arts),
        rewrites=rewrites(arts, settings), tone=tone, framing=frames, similarity=sim,
        sentences={(s.article, s.index): s.text for s in sents},
        min_confidence=settings.min_confidence,
    )
