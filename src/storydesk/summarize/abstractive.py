"""Optional abstractive summaries from an OpenAI-compatible chat endpoint, checked.

The model (Ollama, llama.cpp server, vLLM ... anything serving ``/v1/chat/completions``)
writes a summary; every sentence it writes is then checked against the source sentences:

* its content words (stemmed, stop words left out) and its numbers are looked up in the
  articles' sentences;
* it is **supported** when one source sentence, or at most ``max_support_sentences``
  together, hold at least ``support_threshold`` of its content words and every number it
  states; it is then linked to those sentences and to every other source sentence that
  supports it alone (so a fact several outlets state lists all of them);
* an unsupported sentence is dropped and counted.

Off by default (``AbstractiveSettings.enabled``); the extractive path never needs it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from storydesk.text import content_terms
from storydesk.text.sentences import split_sentence_spans, split_sentences

from .multi import StoryArticle, SummarySentence

if TYPE_CHECKING:
    from storydesk.settings import AbstractiveSettings

__all__ = ["AbstractiveError", "Checked", "check_support", "generate_summary"]

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


class AbstractiveError(RuntimeError):
    """The endpoint could not be used (not configured, unreachable, a bad answer)."""


@dataclass
class Checked:
    """Generated sentences kept (with their support) and those dropped."""

    kept: list[SummarySentence] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


@dataclass
class _Source:
    article: int  # article id
    index: int  # sentence index in the article's text
    outlet: str
    terms: frozenset[str]
    numbers: frozenset[str]


def _numbers(text: str) -> frozenset[str]:
    return frozenset(n.replace(",", "") for n in _NUMBER.findall(text))


def _sources(articles: Sequence[StoryArticle]) -> list[_Source]:
    out: list[_Source] = []
    for a in articles:
        for i, span in enumerate(split_sentence_spans(a.text)):
            out.append(
                _Source(
                    a.id,
                    i,
                    a.outlet or f"\x00{a.id}",
                    frozenset(content_terms(span.text, a.language)),
                    _numbers(span.text),
                )
            )
    return out


def _cover(
    terms: frozenset[str],
    nums: frozenset[str],
    sources: list[_Source],
    threshold: float,
    max_support: int,
) -> list[_Source]:
    """Up to ``max_support`` sources (greedy, most new content words first) holding at
    least ``threshold`` of ``terms`` and all of ``nums``; [] if there are none."""
    chosen: list[_Source] = []
    have: frozenset[str] = frozenset()
    have_nums: frozenset[str] = frozenset()
    for _ in range(max(1, max_support)):
        if not sources:
            break
        best = max(sources, key=lambda s: (len(terms & (have | s.terms)),
                                           len(nums & (have_nums | s.numbers))))
        if chosen and len(terms & (have | best.terms)) == len(terms & have) and (
            nums & (have_nums | best.numbers)
        ) == (nums & have_nums):
            break
        chosen.append(best)
        have |= best.terms
        have_nums |= best.numbers
        if len(terms & have) / len(terms) >= threshold and nums <= have_nums:
            return chosen
    return []


def check_support(
    generated: str,
    articles: Sequence[StoryArticle],
    threshold: float,
    max_support: int = 2,
) -> Checked:
    """Split ``generated`` into sentences and keep those the articles support."""
    sources = _sources(articles)
    by_article: dict[int, list[_Source]] = {}
    for src in sources:
        by_article.setdefault(src.article, []).append(src)
    out = Checked()
    for sent in split_sentences(generated):
        sent = sent.strip().lstrip("-*• ").strip()
        if not sent:
            continue
        terms = frozenset(content_terms(sent))
        nums = _numbers(sent)
        if not terms:
            out.dropped.append(sent)
            continue

        # Each article that supports it (with at most max_support of its sentences) is
        # linked; failing that, sentences of several articles together may support it.
        support: list[_Source] = []
        for group in by_article.values():
            support += _cover(terms, nums, group, threshold, max_support)
        if not support:
            support = _cover(terms, nums, sources, threshold, max_support)
        if not support:
            out.dropped.append(sent)
            continue
        pairs = sorted({(s.article, s.index) for s in support})
        outlets = len({s.outlet for s in support})
        out.kept.append(SummarySentence(sent, pairs, outlets))
    return out


def _endpoint(base_url: str) -> str:
    base = base_url.rstrip("/")
    if base.endswith("/chat/completions"):
        return base
    if not base.endswith("/v1"):
        base += "/v1"
    return base + "/chat/completions"


def _prompt(articles: Sequence[StoryArticle], n_sentences: int, words: int | None,
            max_words: int) -> list[dict[str, str]]:
    per = max(50, max_words // max(1, len(articles)))
    parts = []
    for k, a in enumerate(articles, 1):
        text = " ".join(a.text.split()[:per])
        parts.append(f"Article {k}" + (f" ({a.outlet})" if a.outlet else "") + f":\n{text}")
    length = f"at most {words} words" if words else f"{n_sentences} sentences"
    what = "these news articles on one event" if len(articles) > 1 else "this news article"
    return [
        {
            "role": "system",
            "content": "You summarise news. Use only facts stated in the articles given; "
            "add nothing. Answer with the summary only, plain sentences, no list, no preamble.",
        },
        {"role": "user", "content": f"Summarise {what} in {length}.\n\n" + "\n\n".join(parts)},
    ]


def _chat(settings: AbstractiveSettings, messages: list[dict[str, str]]) -> str:
    import httpx

    if not settings.base_url or not settings.model:
        raise AbstractiveError(
            "abstractive mode needs an endpoint and a model: set STORYDESK_LLM_URL "
            "(e.g. http://127.0.0.1:11434/v1) and STORYDESK_LLM_MODEL"
        )
    headers = {"Content-Type": "application/json"}
    key = os.environ.get(settings.api_key_env, "")
    if key:
        headers["Authorization"] = f"Bearer {key}"
    body: dict[str, Any] = {
        "model": settings.model,
        "messages": messages,
        "temperature": settings.temperature,
        "max_tokens": settings.max_tokens,
        "stream": False,
    }
    url = _endpoint(settings.base_url)
    try:
        resp = httpx.post(url, json=body, headers=headers, timeout=settings.timeout)
    except httpx.HTTPError as e:
        raise AbstractiveError(f"{url}: {type(e).__name__}: {e}") from None
    if resp.status_code != 200:
        raise AbstractiveError(f"{url}: HTTP {resp.status_code}: {resp.text[:200]}")
    try:
        content = resp.json()["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise AbstractiveError(f"{url}: not an OpenAI-style chat completion") from None
    return str(content or "")


def generate_summary(
    articles: Sequence[StoryArticle],
    settings: AbstractiveSettings,
    n_sentences: int = 5,
    words: int | None = None,
) -> Checked:
    """Ask the endpoint for a summary of ``articles`` and keep its supported sentences."""
    arts = [a for a in articles if a.text and a.text.strip()]
    if not arts:
        return Checked()
    content = _chat(settings, _prompt(arts, n_sentences, words, settings.max_input_words))
    return check_support(content, arts, settings.support_threshold,
                         settings.max_support_sentences)
