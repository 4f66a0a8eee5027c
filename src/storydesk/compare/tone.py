"""Tone and framing of each article, with the sentences that carry them.

Tone is lexicon-based: VADER (vaderSentiment, its lexicon and rules for negation,
intensifiers and "but") with ``data/tone_news.tsv`` adding news words VADER lacks
("crackdown", "sanctions", "cooperation"). An article's tone is the mean compound
score of its sentences; its tone towards an entity is the mean over the sentences
naming it. Labels: positive above ``tone_positive``, negative below ``tone_negative``.

Framing: the entities and themes (content words) an article stresses that the other
articles never use.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from storydesk.settings import CompareSettings
from storydesk.summarize.single import display_text
from storydesk.text import stem, stopwords, words

from .records import CompareArticle, Sentence

__all__ = ["sentence_tones", "article_tone", "label", "framing", "NEWS_LEXICON"]

NEWS_LEXICON = Path(__file__).resolve().parents[1] / "data" / "tone_news.tsv"


@functools.cache
def _analyzer() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()
    for line in NEWS_LEXICON.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, value = line.split("\t")
            sia.lexicon[word] = float(value)
    return sia


def sentence_tones(texts: Sequence[str]) -> list[float]:
    """VADER compound score (-1..1) of each sentence."""
    sia = _analyzer()
    return [float(sia.polarity_scores(t)["compound"]) for t in texts]


def label(score: float, settings: CompareSettings) -> str:
    if score > settings.tone_positive:
        return "positive"
    if score < settings.tone_negative:
        return "negative"
    return "neutral"


def _carrying(rows: list[tuple[Sentence, float]], score: float, n: int) -> list[dict[str, Any]]:
    sign = 1 if score >= 0 else -1
    best = sorted(rows, key=lambda r: -sign * r[1])[:n]
    return [{"sentence": s.index, "text": display_text(s.text), "score": round(v, 3)}
            for s, v in best if v * sign > 0]


def article_tone(
    sents: Sequence[Sentence],
    tones: Sequence[float],
    entities: Sequence[str],
    settings: CompareSettings,
) -> dict[str, Any]:
    """Tone of one article overall and towards each of ``entities`` it names."""
    rows = list(zip(sents, tones, strict=True))
    score = sum(tones) / len(tones) if tones else 0.0
    out: dict[str, Any] = {
        "tone": label(score, settings),
        "score": round(score, 3),
        "sentences": _carrying(rows, score, settings.tone_sentences),
        "entities": {},
    }
    for name in entities:
        last = name.split()[-1]
        hits = [(s, v) for s, v in rows if name in s.text or (len(last) > 3 and last in s.text)]
        if not hits:
            continue
        es = sum(v for _, v in hits) / len(hits)
        out["entities"][name] = {
            "tone": label(es, settings), "score": round(es, 3), "mentions": len(hits),
            "sentences": _carrying(hits, es, 2),
        }
    return out


def _terms(text: str, language: str | None) -> list[str]:
    """Lower-case content words of three letters or more, stop words of ``language`` out."""
    stop = stopwords(language)
    return [w for w in words(text, language)
            if len(w) >= 3 and not w[0].isdigit() and w not in stop]


def framing(
    arts: Sequence[CompareArticle], entity_counts: Sequence[Counter[str]],
    settings: CompareSettings,
) -> dict[Any, dict[str, list[str]]]:
    """Per article: entities and themes it stresses that no other article names."""
    lowered = [f"{a.title}\n{a.text}".lower() for a in arts]
    langs = [getattr(a, "language", None) for a in arts]
    stems = [Counter(stem(w, lang) for w in _terms(t, lang)) for t, lang in zip(lowered, langs,
                                                                            strict=True)]
    surface: list[dict[str, Counter[str]]] = []
    for t, lang in zip(lowered, langs, strict=True):
        sf: dict[str, Counter[str]] = {}
        for w in _terms(t, lang):
            sf.setdefault(stem(w, lang), Counter())[w] += 1
        surface.append(sf)
    out: dict[Any, dict[str, list[str]]] = {}
    for i, a in enumerate(arts):
        others = [k for k in range(len(arts)) if k != i]
        ents = [name for name, c in entity_counts[i].most_common()
                if not any(name.lower() in lowered[k] for k in others)]
        themes = [
            surface[i][st].most_common(1)[0][0]
            for st, c in stems[i].most_common()
            if c >= settings.framing_min_count and all(stems[k][st] == 0 for k in others)
            and not any(st in e.lower() for e in entity_counts[i])
        ]
        out[a.id] = {"entities": ents[: settings.framing_terms],
                     "themes": themes[: settings.framing_terms]}
    return out
