"""How alike two sentences are in what they claim: the similarity that aligns facts.

Methods (``CompareSettings.alignment``):

``words``
    TF-IDF cosine of stemmed content words (:func:`storydesk.summarize.multi.sentence_matrix`,
    the story summariser's), cut at ``fact_threshold``. "The minister resigned" and "the
    minister stepped down" share only "minister".
``paraphrase`` (no model, no download)
    The weighted mean of two cosines, cut at ``paraphrase_threshold``:

    * TF-IDF cosine of *canonical terms* (weight ``paraphrase_term_weight``): content words
      stemmed, number words written as digits ("twelve" -> 12, "twenty-five" -> 25,
      "9,000" -> 9000, "2.4bn" -> 2.4 billion), and the words and phrases that report one
      thing in news (``data/paraphrases.tsv``: "stepped down" = "resigned", "quake" =
      "earthquake", "killed" = "died" = "death toll") as one term;
    * TF-IDF cosine of character 3- to 5-grams of the content words (inflections, spelling
      variants and compounds: "evacuated" / "evacuation", "hospitalised" / "hospitalized",
      "dockworkers" / "dock workers").

    Both IDFs are over the sentences being compared (the story's), so words every outlet
    uses weigh little.
``judge`` (the default)
    The fact judge's probability that two sentences state one fact (:mod:`.judge`),
    cut at ``align_threshold``.
``minilm`` (the ``transformers`` extra)
    The ``paraphrase`` similarity averaged with the cosine of all-MiniLM-L6-v2 sentence
    embeddings (weight ``minilm_weight``), cut at ``minilm_threshold``.

Measured on the labelled pairs of ``sample/alignment.jsonl``: docs/comparison.md.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

from storydesk.settings import CompareSettings
from storydesk.summarize.multi import sentence_matrix
from storydesk.text import base_language, content_terms, stem, stopwords

from .details import _WORDNUM

__all__ = ["METHODS", "LEXICON", "canonical_terms", "sentence_similarity", "threshold",
           "read_alignment_pairs", "evaluate_alignment"]

METHODS = ("words", "paraphrase", "minilm", "judge")
LEXICON = Path(__file__).resolve().parents[1] / "data" / "paraphrases.tsv"
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+(?:['’][a-z]+)?")
# Number words read as digits; "one" is left alone (mostly a pronoun), vague ones too.
_NUMBERS = {w: v for w, v in _WORDNUM.items()
            if " " not in w and w not in ("one", "hundreds", "thousands", "dozens")}
_TENS = {w for w, v in _NUMBERS.items() if 20 <= v <= 90 and v % 10 == 0}


@functools.cache
def lexicon() -> tuple[dict[tuple[str, ...], str], int]:
    """Stemmed phrase -> meaning ("~name") from ``data/paraphrases.tsv``, and the longest
    phrase's length in words."""
    table: dict[tuple[str, ...], str] = {}
    for line in LEXICON.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, variants = line.partition("\t")
        for v in variants.split(","):
            words = tuple(stem(w, "en") for w in _TOKEN.findall(v.strip().lower()))
            if words:
                table.setdefault(words, f"~{name.strip()}")
    return table, max(map(len, table), default=1)


def _number(tok: str) -> str:
    """ "9,000" -> "9000", "4.2" stays, "4,5" (a decimal comma) -> "4.5"."""
    if "," in tok:
        head, _, tail = tok.rpartition(",")
        tok = tok.replace(",", "") if len(tail) == 3 else f"{head.replace(',', '')}.{tail}"
    return tok


def canonical_terms(text: str, language: str | None = None) -> list[str]:
    """Content terms of ``text`` with paraphrases as one term (see the module's doc); the
    paraphrase table is English, so text in another language gets its plain content
    terms (:func:`storydesk.text.content_terms`)."""
    if base_language(language) not in (None, "en"):
        return content_terms(text, language)
    stop = stopwords("en")
    table, longest = lexicon()
    raw = _TOKEN.findall(text.lower().replace("%", " percent "))
    toks: list[str] = []
    for t in raw:  # "2.4bn" -> 2.4 billion
        if t[0].isdigit():
            toks.append(_number(t))
        else:
            toks.append(t)
    stems = [stem(t, "en") if not t[0].isdigit() else t for t in toks]
    out: list[str] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t in _NUMBERS:
            v = _NUMBERS[t]
            if t in _TENS and i + 1 < len(toks) and toks[i + 1] in _NUMBERS \
                    and _NUMBERS[toks[i + 1]] < 10:
                v += _NUMBERS[toks[i + 1]]
                i += 1
            out.append(str(v))
            i += 1
            continue
        for n in range(min(longest, len(toks) - i), 0, -1):
            meaning = table.get(tuple(stems[i:i + n]))
            if meaning:
                out.append(meaning)
                i += n
                break
        else:
            if t[0].isdigit() or (t not in stop and len(t) > 1):
                out.append(stems[i])
            i += 1
    return out


def _content_words(text: str) -> str:
    stop = stopwords("en")
    return " ".join(w for w in _TOKEN.findall(text.lower()) if w not in stop)


def _char_cosine(texts: Sequence[str]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [_content_words(t) for t in texts]
    if not any(docs):
        return np.zeros((len(texts), len(texts)), dtype=np.float32)
    v = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                        dtype=np.float32)
    x = v.fit_transform(docs)
    return np.asarray((x @ x.T).todense(), dtype=np.float32)


def sentence_similarity(texts: Sequence[str], settings: CompareSettings) -> np.ndarray:
    """Pairwise similarity of ``texts`` by ``settings.alignment`` (a symmetric matrix)."""
    method = settings.alignment
    if method not in METHODS:
        raise ValueError(f"unknown alignment {method!r}: one of {', '.join(METHODS)}")
    if method == "judge":
        from .judge import judge_matrix, load_judge

        return judge_matrix(texts, None, load_judge(settings.judge_model))
    rows = [SimpleNamespace(text=t) for t in texts]
    if method == "words":
        x = sentence_matrix(rows)
        return x @ x.T
    x = sentence_matrix(rows, terms=canonical_terms)
    w = settings.paraphrase_term_weight
    sim = w * (x @ x.T) + (1.0 - w) * _char_cosine(texts)
    if method == "minilm":
        from .similarity import _embed

        e = _embed(list(texts))
        m = settings.minilm_weight
        sim = (1.0 - m) * sim + m * (e @ e.T)
    return sim


def threshold(settings: CompareSettings) -> float:
    """The similarity at which two sentences state one fact, for the chosen method."""
    return {"words": settings.fact_threshold, "paraphrase": settings.paraphrase_threshold,
            "minilm": settings.minilm_threshold,
            "judge": settings.align_threshold}[settings.alignment]


# -- measuring alignment on labelled pairs -------------------------------------------------

ALIGNMENT_PAIRS = Path(__file__).resolve().parents[1] / "sample" / "alignment.jsonl"
_FIELD = {"money": "number", "percent": "number", "age": "number", "time": "date",
          "quote_attribution": "quote", "quote_wording": "quote"}


def read_alignment_pairs(path: str | Path | None = None) -> list[dict[str, Any]]:
    """The labelled pairs (``sample/alignment.jsonl``, fictional): two articles as lists
    of sentences, the sentence pairs that state one fact (``shared``: [a, b, kind]) and
    the contradicting details (``contradictions``: field, a, b). A sentence in no shared
    pair is unique to its article. Each item gets ``articles``: two CompareArticles whose
    text splits back into exactly the labelled sentences (checked)."""
    import json

    from storydesk.summarize import split_sentence_spans

    from .facts import CompareArticle

    items = [json.loads(x) for x in Path(path or ALIGNMENT_PAIRS).read_text(
        encoding="utf-8").splitlines() if x.strip()]
    for it in items:
        arts = []
        for side in ("a", "b"):
            a = it[side]
            text = " ".join(a["sentences"])
            got = [s.text for s in split_sentence_spans(text)]
            if got != a["sentences"]:
                raise ValueError(f"{it['id']}/{side}: sentences split differently: {got}")
            arts.append(CompareArticle(id=f"{it['id']}/{side}", text=text, title=a["title"],
                                       outlet=a["outlet"], date=a["date"]))
        it["articles"] = arts
    return items


def _ratio(n: int, d: int) -> float:
    return round(n / d, 3) if d else float("nan")


def evaluate_alignment(items: Sequence[dict[str, Any]], settings: CompareSettings,
                       split: str | None = None) -> dict[str, Any]:
    """Precision and recall of shared-fact alignment (sentence pairs), of unique facts
    (sentences aligned with nothing) and of contradictions (field and both sentences)
    over ``items`` (:func:`read_alignment_pairs`), optionally one ``split`` only."""
    from . import compare

    c: Counter[str] = Counter()
    misses: list[tuple[str, int, int, str]] = []
    extras: list[tuple[str, int, int]] = []
    for it in items:
        if split and it["split"] != split:
            continue
        result = compare(it["articles"], settings, similarity=False)
        pred: set[tuple[int, int]] = set()
        for f in result.facts:
            a = [i for art, i in f.members if art == 0]
            b = [j for art, j in f.members if art == 1]
            pred |= {(i, j) for i in a for j in b}
        gold = {(i, j): kind for i, j, kind in it["shared"]}
        for key, kind in gold.items():
            c[f"shared_{kind}"] += 1
            if key in pred:
                c[f"found_{kind}"] += 1
            else:
                misses.append((it["id"], *key, kind))
        extras += [(it["id"], *key) for key in pred - set(gold)]
        c["pred"] += len(pred)
        c["tp"] += len(pred & set(gold))
        for side in (0, 1):
            n = len(it["ab"[side]]["sentences"])
            gold_u = set(range(n)) - {k[side] for k in gold}
            pred_u = {f.members[0][1] for f in result.facts if f.articles == frozenset([side])}
            c["u_gold"] += len(gold_u)
            c["u_pred"] += len(pred_u)
            c["u_tp"] += len(gold_u & pred_u)
        want = {(x["field"], x["a"], x["b"]) for x in it["contradictions"]}
        got = set()
        for k in result.contradictions:
            s = {(x.article, x.sentence) for x in k.sides}
            for i, j in {(i, j) for ai, i in s if ai == 0 for bj, j in s if bj == 1}:
                got.add((_FIELD.get(k.type, k.type), i, j))
        c["c_gold"] += len(want)
        c["c_pred"] += len(got)
        c["c_tp"] += len(want & got)
    n_gold = c["shared_words"] + c["shared_paraphrase"]
    return {
        "method": settings.alignment, "split": split or "all",
        "shared": {"precision": _ratio(c["tp"], c["pred"]), "recall": _ratio(c["tp"], n_gold),
                   "tp": c["tp"], "predicted": c["pred"], "labelled": n_gold},
        "shared_paraphrased_recall": _ratio(c["found_paraphrase"], c["shared_paraphrase"]),
        "shared_same_words_recall": _ratio(c["found_words"], c["shared_words"]),
        "unique": {"precision": _ratio(c["u_tp"], c["u_pred"]),
                   "recall": _ratio(c["u_tp"], c["u_gold"]), "labelled": c["u_gold"]},
        "contradictions": {"precision": _ratio(c["c_tp"], c["c_pred"]),
                           "recall": _ratio(c["c_tp"], c["c_gold"]),
                           "labelled": c["c_gold"]},
        "missed": misses, "wrong": extras,
    }
