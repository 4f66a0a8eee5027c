"""Extractive summary of one article.

Each sentence that could stand alone in a summary (see :func:`is_summary_sentence`) gets

    score = position_weight * shrink * 1 / (1 + rank / k) ** position_decay
          + centrality_weight * cos(sentence, article centroid) / max over the article
          + keyword_weight * mean frequency of its words in the article / max
          + graph_weight * PageRank on the sentences' cosine graph / max
          + title_weight * cos(sentence, headline)

where ``rank`` is the sentence's place among the eligible sentences, ``k`` the summary
size in sentences, ``shrink`` = min(1, position_full_share / (k / eligible sentences)) (a
summary that takes a large share of the article leans less on the lead), the vectors are
TF-IDF over the article's own sentences (stemmed content words) and the headline is a
leading line without final punctuation, or the ``title`` given. The best sentences are
taken greedily, skipping one too close to a sentence already taken (cosine above
``max_redundancy``), until ``n_sentences`` or the word budget is reached, and returned in
article order. The weights are :class:`SummaryParams` defaults (docs/summaries.md says how
they were chosen).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from storydesk.extract.chrome import is_site_notice, may_hold_notice
from storydesk.settings import SummaryParams
from storydesk.text import (
    Span,
    content_terms,
    is_caseless,
    mend_numbers,
    split_sentence_spans,
    word_count,
)

from .marks import QUOTE_START, TERMINAL, close_runs
from .readability import inside_quotation, reads

__all__ = [
    "SummaryParams",
    "summarize_article",
    "score_sentences",
    "is_summary_sentence",
    "display_text",
    "article_spans",
    "CHROME",
    "CHROME_ANYWHERE",
    "chrome_anywhere",
]


DEFAULT_PARAMS = SummaryParams()

CHROME = re.compile(
    r"^(?:by\b|updated\b|published\b|posted\b|last (?:updated|modified)\b|photo\b|image\b"
    r"|picture\b|pictured\b|caption\b|file photo|credit\b|click here|read more|follow\b"
    r"|share\b|watch\b|scroll down|advertisement|copyright|©|\(?(?:photo|image|video)\s*:"
    # what introduces a document, and a police appeal ("Following are excerpts from the
    # report: ...", "Anyone with information is asked to call ...")
    r"|(?:following|here) (?:are|is) (?:(?:the )?excerpts|the (?:full )?text"
    r"|an? (?:excerpt|transcript)|the transcript)|anyone with (?:any )?information\b"
    # a blog's byline ("On behalf of Newman, Anzalone & Newman, LLP. posted in Hit and Run
    # Accidents on Friday, September 20, 2013.")
    r"|on behalf of .{1,100}? posted (?:in|on|by)\b)",
    re.IGNORECASE,
)
CHROME_ANYWHERE = re.compile(
    r"\b\d{1,2}:\d{2}\s*(?:est|edt|gmt|bst|cet|et|pt|utc)\b|\|\s|\bclick here\b"
    r"|\bscroll down for video\b|\bget a summary\b|\bnext article\b|\bprevious article\b"
    # a sentence pointing at the page's links ("The Fix It solution is available from this
    # link.", "... register for updates on the Q10 at the link below.")
    r"|\b(?:this|the following) link\b|\bthe links? below\b"
    # a photo's credit or caption glued to a sentence ("(Photo by Rey Del Rio/Getty
    # Images) Detroit Lions ...", "... visit to the UK: Getty Donald Trump has ...",
    # "media_camera Charlie Noxon, 20, ...", "Image copyright EPA Image caption ...")
    r"|\((?:photo|image|picture|foto)s?(?: by| credit| courtesy|:)|\bgetty images\b|:\s*getty\b"
    r"|\((?:photo |image )?courtesy\b|\b\d+\s*min(?:ute)?s? read\b"
    r"|\bopinions expressed (?:by|in) .{0,80} (?:are|is) (?:their|his|her|the author.s) own\b"
    r"|\bap photo\b|\bshutterstock\b|\bmedia_camera\b|\bimage (?:copyright|caption|credit)\b"
    # a photo agency's caption: "DETROIT, MI - NOVEMBER 17: Damon Harrison #98 ..."
    r"|(?-i:\b[A-Z][A-Z.'\- ]{2,}, [A-Z][A-Za-z.\- ]{1,30} - [A-Z]{3,9}\.? \d{1,2}:)"
    r"|(?-i:^[A-Z]{3,9}\.? \d{1,2}:\s)"
    # a video player's button glued to the text ("... play now CLOSE At 30 years old")
    r"|(?-i:\bCLOSE (?=[A-Z][a-z]))",
    re.IGNORECASE,
)
# What every match of CHROME_ANYWHERE holds (lower case, and "CLOSE" as written): a
# sentence with none of them is not searched (most are not; the search is the slow part).
# A pattern added above needs its hint here (tests/test_story_summary.py checks both).
_ANYWHERE_HINTS = (
    ":", "|", "click here", "scroll down", "get a summary", "next article", "previous article",
    " link",
    "(photo", "(image", "(picture", "(foto", "getty", "courtesy", "min read", "mins read",
    "minute read", "minutes read", "opinions expressed", "ap photo", "shutterstock",
    "media_camera", "image copyright", "image caption", "image credit")


def chrome_anywhere(sentence: str, notices: bool = True) -> bool:
    """Chrome inside a sentence (:data:`CHROME_ANYWHERE`): a time with its zone, a
    separator, a button, a photo's credit or caption ...; or a site's notice about
    cookies or personal data (:func:`~storydesk.extract.chrome.is_site_notice`;
    ``notices`` False: not looked for, where :func:`may_hold_notice` of the whole article
    said no)."""
    if notices and is_site_notice(sentence):
        return True
    low = sentence.lower()
    if "CLOSE" not in sentence and not any(h in low for h in _ANYWHERE_HINTS):
        return False
    return CHROME_ANYWHERE.search(sentence) is not None


# News agencies whose name in brackets marks a dateline ("LONDON (Reuters) -", "Berlin
# (dpa) -", "(MENAFN - Gulf Times)"), read in any case.
_AGENCY = (r"(?i:cnn|reuters|ap|afp|upi|bloomberg|ians|pti|xinhua|tass|ria novosti|menafn"
           r"|kuna|sda|ansa|efe|yonhap|bss|dpa)")
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Za-z.'\- ]{1,40},?\s*(?:[A-Z][a-z]{2,8}\.? \d{1,2},?\s*)?)?"
    r"[(\[]\s*" + _AGENCY + r"[^)\]]{0,40}"
    r"[)\]]\s*(?:--|—|–|-|:|_)?\s*"
    r"|^\s*-lrb-\s*cnn\s*-rrb-\s*(?:--\s*)?"
    # a place in capitals ("WASHINGTON -- "); read case-sensitively, or "Four armed
    # robbers -- two dressed as women -- made off ..." would lose its subject
    r"|^\s*(?-i:[A-Z][A-Z.'\- ]{2,30})\s*(?:(?:--|—|–)\s+|_\s+(?=(?-i:[A-Z])))",
    re.IGNORECASE,
)
# "KARSK, Ostmark, March 18, 2026 (Meridian Wire) - ", "VELGRAD, 12 March 2026 /VSA/ -- ",
# "PORT ADLER - ": a place in capitals, optionally a region and a date, optionally an
# outlet in brackets or slashes, then a dash.
_DATELINE_CAPS = re.compile(
    r"^\s*[A-Z][A-Z.'\-]{2,}(?: [A-Z][A-Z.'\-]+)*(?:,[^()/\n]{0,60}?)?\s*"
    r"(?:\([^()]{2,40}\)|/[A-Za-z][^/\s]{1,20}/)\s*(?:--|—|–|-|:|_)\s+"
    r"|^\s*[A-Z]{3,}(?: [A-Z]{2,})*\s+(?:-|--|—|–)\s+(?=[A-Z])"
)


# a closing quotation mark a tokenizer set apart at the end ("... marriages. \"")
_SPACED_CLOSE = re.compile(r"([.!?…])\s+([\"”])$")


# The dash before an item of a list in AP and NYT copy ("_ Teams would get a right of
# first refusal ...").
_LIST_DASH = re.compile(r"^_\s+(?=\S)")


def display_text(sentence: str) -> str:
    """A sentence as shown in a summary: without a leading dateline ("LONDON (Reuters) -")
    or list dash ("_ "), decimals a tokenizer broke written whole ("$27. 5 million":
    :func:`mend_numbers`), a closing quotation mark a tokenizer set apart put back
    ("marriages. \"")."""
    sentence = _LIST_DASH.sub("", mend_numbers(sentence), count=1)
    out = _DATELINE.sub("", sentence, count=1)
    if out == sentence:
        out = _DATELINE_CAPS.sub("", sentence, count=1)
    if out and out[0].islower() and not sentence[:1].islower():
        out = out[0].upper() + out[1:]
    out = _SPACED_CLOSE.sub(r"\1\2", out.strip())
    return out or sentence


def is_summary_sentence(
    sentence: str, caseless: bool = False, params: SummaryParams = DEFAULT_PARAMS,
    notices: bool = True,
) -> bool:
    """Whether a sentence can stand in a summary: a whole sentence, not chrome (a site's
    notice about cookies or personal data too, unless ``notices`` is False: see
    :func:`chrome_anywhere`), a caption, a byline or a dateline fragment."""
    s = sentence.strip()
    n_words = word_count(s)
    if n_words < params.min_words or n_words > params.max_words:
        return False
    if not TERMINAL.search(s):
        return False  # a headline, a caption or a sentence cut short
    first = next((c for c in s if c.isalnum()), "")
    if not caseless and first.islower():
        return False  # starts in the middle of a sentence
    if CHROME.match(s.lstrip("([\"'“‘`- ")) or chrome_anywhere(s, notices):
        return False
    letters = sum(map(str.isalpha, s))
    if letters < 0.5 * len(s):
        return False  # tables, scores, lists of numbers
    if not caseless and sum(map(str.isupper, s)) > 0.6 * letters:
        return False  # ALL-CAPS banner
    return True


def _is_headline(span: Span, spans: list[Span], text: str) -> bool:
    """A first line with no final punctuation followed by a line break: the headline."""
    if span is not spans[0]:
        return False
    after = text[span.end : span.end + 2]
    return "\n" in after and not TERMINAL.search(span.text) and word_count(span.text) <= 25


# Words a headline in title case capitalises and a sentence does not ("Thousands Ring In
# 2020 At Grand Park", "Menthol Cigarettes To Be Made Illegal This Year").
_TITLE_WORDS = frozenset(
    "Of The In To For And A An At On With Is Are As By From Over After Into Up Out Off "
    "About Vs Be Was Will Has Have Not".split())


def _glued_title(sentence: str) -> bool:
    """The first sentence opens with a headline in title case glued to the lead, as text
    whose line breaks were lost prints it ("Menthol Cigarettes To Be Made Illegal This Year
    New laws are set to ..."): a run of at least 5 capitalised words holding at least two
    capitalised small words after its first, and at least 3 words after the run."""
    words = sentence.split()
    run = small = 0
    for w in words[:30]:
        core = w.strip("\"'“”‘’:,()-–—")
        if core and not (core[0].isupper() or core[0].isdigit()):
            break
        run += 1
        small += run > 1 and core in _TITLE_WORDS
    return run >= 5 and small >= 2 and len(words) - run >= 3


# A headline glued to the lead's dateline: a place in capitals after it, with a region
# (and a date) or an outlet in brackets, then a dash ("Golden Globes will serve
# plant-based meal at awards ceremony LOS ANGELES (AP) — The Golden Globes ...").
# What a glued headline is: 10 to 200 characters with no final punctuation (a dot only
# after a capital: "U.S.").
_HEADLINE = r"(?:[^.!?]|(?<=[A-Z])\.){10,200}?"
_GLUED_DATELINE = re.compile(
    _HEADLINE + r"\s[A-Z][A-Z.'’]+(?:\s[A-Z][A-Z.'’]+)*"
    r"(?:,\s[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)*(?:,\s[A-Z][a-z]{2,8}\.?\s\d{1,2}"
    r"(?:,\s\d{4})?)?(?:\s*\([^()]{2,40}\))?|\s*\([^()]{2,40}\))\s*(?:--|—|–|-)\s*(?=[A-Z])"
    # ... or to the lead by a video player's button ("... on gambling CLOSE Gov. Kay Ivey")
    r"|" + _HEADLINE + r"\sCLOSE\s+(?=[A-Z])")


# ... or before an agency in brackets ("Penguins rout Senators but lose Guentzel to injury
# (MENAFN - Gulf Times) Evgeni Malkin scored ...", "... in virus fight Berlin (AFP) - German
# leaders ..."), or any outlet in brackets followed by a dash; the headline has at least
# two words in lower case (a dateline such as "BRUSSELS, Belgium (AP) -" is no headline).
_GLUED_OUTLET = re.compile(
    r"(" + _HEADLINE + r")\s\((?:" + _AGENCY +
    r"(?:\s*[-/]\s*[^()]{1,40})?\)\s*(?:(?:--|—|–|-)\s*)?"
    r"|[A-Z][A-Za-z-]{1,10}(?:\s*[-/]\s*[^()]{1,40})?\)\s*(?:--|—|–|-)\s*)(?=[A-Z])")
_LOWER_WORD = re.compile(r"\b[^\W\d_A-Z][\w'’-]*")


def _glued_headline_end(sentence: str) -> int:
    """Where the lead begins in a first sentence that opens with a headline glued to its
    dateline or outlet (:data:`_GLUED_DATELINE`, :data:`_GLUED_OUTLET`); 0: none."""
    m = _GLUED_DATELINE.match(sentence)
    if m:
        return m.end()
    m = _GLUED_OUTLET.match(sentence)
    if m and len(_LOWER_WORD.findall(m.group(1))) >= 2 and not m.group(1)[:1].islower():
        return m.end()
    return 0


def article_spans(text: str, spans: list[Span] | None = None) -> tuple[list[Span], int | None]:
    """An article's sentence spans as the summarisers read them (``spans``: the text's
    split, if at hand) and the index of its headline, or None. The headline is a first
    line with no final punctuation before a line break, or a first sentence that opens
    with a headline in title case (:func:`_glued_title`). A headline glued to the lead's
    dateline or outlet is taken off the first sentence with them, the sentence's index
    unchanged."""
    spans = list(split_sentence_spans(text) if spans is None else spans)
    if not spans:
        return spans, None
    first = spans[0]
    if _is_headline(first, spans, text) or _glued_title(first.text):
        return spans, 0
    cut = _glued_headline_end(first.text)
    if cut:
        spans[0] = Span(first.start + cut, first.end, first.text[cut:])
    return spans, None


def _tfidf(
    bags: list[Counter[str]], extra: list[Counter[str]] | None = None
) -> list[dict[str, float]]:
    """Unit-length log-TF x IDF vectors; IDF over ``bags`` (sentences as documents)."""
    n = len(bags)
    df: Counter[str] = Counter()
    for b in bags:
        df.update(b.keys())
    out: list[dict[str, float]] = []
    for b in list(bags) + list(extra or []):
        v = {
            t: (1.0 + math.log(c)) * math.log((n + 1) / (df.get(t, 0) + 0.5)) for t, c in b.items()
        }
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        out.append({t: x / norm for t, x in v.items()})
    return out


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Dot product of two unit-length sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(t, 0.0) for t, x in a.items())


@dataclass
class _Prepared:
    spans: list[Span]
    eligible: list[int]  # indices into spans
    vectors: dict[int, dict[str, float]]  # span index -> unit TF-IDF vector
    title: dict[str, float] | None
    caseless: bool
    bags: dict[int, Counter[str]]
    leans: set[int]  # eligible span indices shown only right after the sentence before


def _readable(spans: list[Span], eligible: list[int], caseless: bool,
              language: str | None) -> tuple[list[int], set[int]]:
    """The eligible sentences that are whole (no fragment, no question in the summary's
    own voice: :mod:`.readability`), and those of them that lean on the sentence before
    (an opening pronoun, connective or quotation, the middle of a quotation ...): as
    :func:`.coverage.build_units` reads a story's sentences."""
    inside = inside_quotation([s.text for s in spans])
    whole: list[int] = []
    leans: set[int] = set()
    for i in eligible:
        ok, leaning = reads(display_text(spans[i].text), caseless, language)
        if not ok:
            continue
        whole.append(i)
        if inside[i] or leaning:
            leans.add(i)
    return whole, leans


def _prepare(text: str, params: SummaryParams, title: str | None = None,
             language: str | None = None) -> _Prepared:
    spans, title_idx = article_spans(text)
    caseless = is_caseless(text)
    notices = may_hold_notice(text)
    eligible = [
        i
        for i, s in enumerate(spans)
        if i != title_idx and is_summary_sentence(s.text, caseless, params, notices)
    ]
    leans: set[int] = set()
    if params.read_alone:
        eligible, leans = _readable(spans, eligible, caseless, language)
    bags = [Counter(content_terms(spans[i].text, language)) for i in eligible]
    if title_idx is not None:
        title = spans[title_idx].text
    extra = [Counter(content_terms(title, language))] if title else None
    vecs = _tfidf(bags, extra)
    title = vecs[-1] if extra else None
    return _Prepared(
        spans,
        eligible,
        dict(zip(eligible, vecs, strict=False)),
        title,
        caseless,
        dict(zip(eligible, bags, strict=False)),
        leans,
    )


def _scores(p: _Prepared, params: SummaryParams, k: float = 3.0) -> dict[int, float]:
    if not p.eligible:
        return {}
    centroid: dict[str, float] = {}
    for i in p.eligible:
        for t, x in p.vectors[i].items():
            centroid[t] = centroid.get(t, 0.0) + x
    norm = math.sqrt(sum(x * x for x in centroid.values())) or 1.0
    centroid = {t: x / norm for t, x in centroid.items()}
    cent = {i: cosine(p.vectors[i], centroid) for i in p.eligible}
    top = max(cent.values()) or 1.0
    kw: dict[int, float] = {}
    if params.keyword_weight:
        tf: Counter[str] = Counter()
        for i in p.eligible:
            tf.update(p.bags[i])
        for i in p.eligible:
            n = sum(p.bags[i].values())
            kw[i] = sum(tf[t] - 1 for t in p.bags[i].elements()) / n if n else 0.0
        ktop = max(kw.values()) or 1.0
        kw = {i: x / ktop for i, x in kw.items()}
    graph = _pagerank(p, params.graph_damping) if params.graph_weight else {}
    out: dict[int, float] = {}
    pw = params.position_weight
    share = k / len(p.eligible)
    if params.position_full_share and share > params.position_full_share:
        pw *= params.position_full_share / share  # a long summary leans less on the lead
    for rank, i in enumerate(p.eligible):
        s = pw / (1.0 + rank / k) ** params.position_decay
        s += params.centrality_weight * cent[i] / top
        if p.title is not None and params.title_weight:
            s += params.title_weight * cosine(p.vectors[i], p.title)
        if kw:
            s += params.keyword_weight * kw[i]
        if graph:
            s += params.graph_weight * graph[i]
        if params.quote_penalty and QUOTE_START.match(p.spans[i].text):
            s -= params.quote_penalty
        out[i] = s
    return out


def _pagerank(p: _Prepared, damping: float, iterations: int = 30) -> dict[int, float]:
    """PageRank of each eligible sentence on the graph weighted by TF-IDF cosine, / max."""
    import numpy as np

    n = len(p.eligible)
    if n < 2:
        return {i: 1.0 for i in p.eligible}
    vocab: dict[str, int] = {}
    for i in p.eligible:
        for t in p.vectors[i]:
            vocab.setdefault(t, len(vocab))
    x = np.zeros((n, max(1, len(vocab))))
    for r, i in enumerate(p.eligible):
        for t, v in p.vectors[i].items():
            x[r, vocab[t]] = v
    w = x @ x.T
    np.fill_diagonal(w, 0.0)
    out = w.sum(axis=1)
    out[out == 0] = 1.0
    m = (w / out[:, None]).T  # column-stochastic: m[a, b] = w[b, a] / out[b]
    r = np.full(n, 1.0 / n)
    for _ in range(iterations):
        r = (1.0 - damping) / n + damping * (m @ r)
    r /= r.max() or 1.0
    return {i: float(r[k]) for k, i in enumerate(p.eligible)}


def score_sentences(text: str, params: SummaryParams = DEFAULT_PARAMS) -> list[tuple[int, float]]:
    """(sentence index, score) for every sentence that may enter a summary."""
    p = _prepare(text, params)
    return sorted(_scores(p, params).items())


def _select(
    order: list[int],
    vectors: dict[int, dict[str, float]],
    lengths: dict[int, int],
    n_sentences: int,
    words: int | None,
    max_redundancy: float,
    leans: frozenset[int] | set[int] = frozenset(),
    chosen: list[int] | None = None,
) -> list[int]:
    """Best first, skipping a sentence over the budget or close to a sentence taken. A
    sentence of ``leans`` comes with the sentence before it, when that one is eligible
    and reads on its own, and is skipped when the two do not fit. ``chosen``: the
    sentences already taken."""
    chosen = list(chosen or [])
    used = sum(lengths[k] for k in chosen)
    for i in order:
        if i in chosen:
            continue
        if words is None and len(chosen) >= n_sentences:
            break
        take = [i]
        if i in leans and i - 1 not in chosen:
            if i - 1 not in vectors or i - 1 in leans:
                continue
            take = [i - 1, i]
        size = sum(lengths[k] for k in take)
        if words is not None and used + size > words:
            continue
        if words is None and len(chosen) + len(take) > n_sentences:
            continue
        if any(cosine(vectors[k], vectors[j]) > max_redundancy for k in take for j in chosen):
            continue
        chosen.extend(take)
        used += size
    return chosen


def summarize_article(
    text: str,
    n_sentences: int = 3,
    words: int | None = None,
    params: SummaryParams = DEFAULT_PARAMS,
    title: str | None = None,
    language: str | None = None,
) -> list[tuple[int, str]]:
    """The article's best sentences, in article order, as (index, sentence); ``language``
    (ISO 639-1) chooses stop words and stems.

    ``index`` is the sentence's position in ``split_sentences(text)``. With ``words``
    set, sentences are added while the total stays within that many words (a
    sentence that would overrun is skipped for a shorter one) and ``n_sentences`` is
    ignored. The sentence text is shown without a leading dateline. ``title``: the
    headline, when the text does not start with it (a stored article's text does not).
    """
    p = _prepare(text, params, title, language)
    k = n_sentences if words is None else max(1.0, words / 25.0)
    scores = _scores(p, params, k)
    order = sorted(scores, key=lambda i: (-scores[i], i))
    lengths = {i: word_count(p.spans[i].text) for i in order}
    chosen = _select(order, p.vectors, lengths, n_sentences, words, params.max_redundancy,
                     p.leans)
    if p.leans and len(chosen) < (n_sentences if words is None else 1):
        # too few sentences read on their own (a column in the first person, a thread
        # of quotations): the best of the others fill the summary, as without the rule
        chosen = _select(order, p.vectors, lengths, n_sentences, words,
                         params.max_redundancy, chosen=chosen)
    # a quotation left open is closed unless the sentence after it, shown next, goes on
    shown = sorted(chosen)
    return list(zip(shown, close_runs([display_text(p.spans[i].text) for i in shown],
                                      [i + 1 in chosen for i in shown]), strict=True))
