"""ROUGE evaluation of article summaries against reference summaries.

``evaluate(rows)`` scores storydesk (and lead-3, and any other systems passed in) with
Google's ``rouge-score`` (ROUGE-1, ROUGE-2, ROUGE-Lsum F, Porter stemmer), the mean over
documents and a 95% bootstrap interval of that mean. Rows are dicts with ``id``, ``text``
and ``reference`` (a list of sentences, or a string, split here with storydesk's
splitter, which also parts sentences glued without a space).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from storydesk.text.sentences import split_sentences

from .single import SummaryParams, display_text, summarize_article

__all__ = [
    "storydesk_system",
    "evaluate", "reference_sentences", "rouge_scores", "rouge_recall", "truncate_words", "lead_n",
]

METRICS = ("rouge1", "rouge2", "rougeLsum")
System = Callable[[Mapping[str, Any], int | None, int | None], Sequence[str] | None]


def reference_sentences(row: Mapping[str, Any]) -> list[str]:
    ref = row["reference"]
    if isinstance(ref, str):
        return split_sentences(ref)
    return [str(s) for s in ref]


class _CachedTokenizer:
    """rouge-score's default tokenizer (lower-case, [a-z0-9] words, Porter stems), cached."""

    def __init__(self) -> None:
        from rouge_score.tokenizers import DefaultTokenizer

        self._tok = DefaultTokenizer(use_stemmer=True)
        self._tokenize = lru_cache(maxsize=200_000)(self._tok.tokenize)

    def tokenize(self, text: str) -> list[str]:
        return self._tokenize(text)


_SCORER: Any = None


def _scorer() -> Any:
    global _SCORER
    if _SCORER is None:
        try:
            from rouge_score import rouge_scorer
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise RuntimeError("evaluation needs rouge-score: pip install rouge-score") from e
        _SCORER = rouge_scorer.RougeScorer(list(METRICS), tokenizer=_CachedTokenizer())
    return _SCORER


def rouge_scores(summary: Sequence[str], reference: Sequence[str]) -> dict[str, float]:
    """ROUGE-1/2/Lsum F of one summary (sentences) against one reference (sentences)."""
    s = _scorer().score("\n".join(reference), "\n".join(summary))
    return {m: s[m].fmeasure for m in METRICS}


def lead_n(row: Mapping[str, Any], n: int | None, words: int | None) -> list[str]:
    """The article's first sentences (all of them, headline included: the plain baseline)."""
    sents = split_sentences(row["text"])
    if words is None:
        return sents[: n or 3]
    out: list[str] = []
    used = 0
    for s in sents:
        k = len(s.split())
        if used + k > words:
            break
        out.append(s)
        used += k
    return out


def storydesk_system(params: SummaryParams | None) -> System:
    """storydesk's article summariser with ``params`` (None: the defaults) as a System."""
    def run(row: Mapping[str, Any], n: int | None, words: int | None) -> list[str]:
        kw = {"params": params} if params is not None else {}
        return [t for _, t in summarize_article(row["text"], n_sentences=n or 3, words=words, **kw)]

    return run


def _bootstrap(values: list[float], samples: int, seed: int) -> tuple[float, float]:
    if not values:
        return (0.0, 0.0)
    rng = random.Random(seed)
    n = len(values)
    means = sorted(sum(values[rng.randrange(n)] for _ in range(n)) / n for _ in range(samples))
    return (means[int(0.025 * samples)], means[min(samples - 1, int(0.975 * samples))])


def evaluate(
    rows: Iterable[Mapping[str, Any]],
    n_sentences: int | None = None,
    words: bool = False,
    systems: Mapping[str, System] | None = None,
    params: SummaryParams | None = None,
    bootstrap: int = 1000,
    seed: int = 0,
) -> dict[str, dict[str, Any]]:
    """Score storydesk, lead-3 and ``systems`` on rows with a reference summary.

    Length: ``n_sentences`` sentences if given, else as many sentences as the
    reference has; with ``words=True``, a budget of the reference's word count instead.
    A system is ``f(row, n, words) -> sentences``, or None where it has no output for
    that row (then it is scored on the rows it covers, and ``n`` says how many).

    Returns ``{system: {"rouge1", "rouge2", "rougeLsum": mean F in 0..1,
    "rouge1_ci" ...: [low, high] (95% bootstrap), "n": documents}}`` with keys
    ``storydesk``, ``lead3`` and one per entry of ``systems``.
    """
    runners: dict[str, System] = {"storydesk": storydesk_system(params), "lead3": lead_n}
    runners.update(systems or {})
    per: dict[str, dict[str, list[float]]] = {k: {m: [] for m in METRICS} for k in runners}
    for row in rows:
        ref = reference_sentences(row)
        if not ref:
            continue
        n = n_sentences if n_sentences is not None else len(ref)
        budget = sum(len(s.split()) for s in ref) if words else None
        for name, fn in runners.items():
            out = fn(row, n, budget)
            if out is None:
                continue
            sc = rouge_scores([display_text(s) if name == "storydesk" else s for s in out], ref)
            for m in METRICS:
                per[name][m].append(sc[m])
    result: dict[str, dict[str, Any]] = {}
    for name, vals in per.items():
        res: dict[str, Any] = {}
        for m in METRICS:
            v = vals[m]
            res[m] = sum(v) / len(v) if v else 0.0
            res[m + "_ci"] = list(_bootstrap(v, bootstrap, seed))
        res["n"] = len(vals["rouge1"])
        result[name] = res
    return result


def truncate_words(text: str, max_words: int) -> str:
    """The first ``max_words`` whitespace-separated words of a text (ROUGE-1.5.5's ``-l``)."""
    return " ".join(text.split()[:max_words])


def rouge_recall(
    summary: str, references: Sequence[str], max_words: int | None = 100
) -> dict[str, float]:
    """ROUGE-1 and ROUGE-2 recall of one summary against several references, the DUC way:
    the summary cut to ``max_words`` words, rouge-score's tokenizer (lower case, [a-z0-9]
    words, Porter stems, no stop-word removal), and matches and reference n-grams summed
    over the references before dividing (ROUGE-1.5.5's ``-f A``)."""
    from collections import Counter

    _scorer()  # rouge-score installed
    tok = _tokenizer()
    if max_words is not None:
        summary = truncate_words(summary, max_words)
    words = tok.tokenize(summary)
    out: dict[str, float] = {}
    for n in (1, 2):
        grams = Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
        hit = total = 0
        for ref in references:
            r = tok.tokenize(ref)
            rg = Counter(tuple(r[i : i + n]) for i in range(len(r) - n + 1))
            hit += sum(min(c, grams[g]) for g, c in rg.items())
            total += sum(rg.values())
        out[f"rouge{n}"] = hit / total if total else 0.0
    return out


_TOKENIZER: Any = None


def _tokenizer() -> Any:
    global _TOKENIZER
    if _TOKENIZER is None:
        _TOKENIZER = _CachedTokenizer()
    return _TOKENIZER
