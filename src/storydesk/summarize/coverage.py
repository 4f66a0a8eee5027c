"""Story summary by concept coverage: the sentences that together state the most of what
the story's articles agree on, each reading on its own.

After Gillick & Favre (2009, ICSI's DUC/TAC summariser), with no model and no training:

1. **Units.** Every sentence that can stand in a summary
   (:func:`~storydesk.summarize.single.is_summary_sentence`, not a fragment) and reads on
   its own (:func:`~storydesk.summarize.readability.needs_predecessor` is false) is a unit.
   A sentence that leans on the one before it (opens with a quotation, a pronoun or a
   connective, or quotes without naming the speaker) is a unit only together with that
   predecessor, when the predecessor reads on its own: the pair is shown together.
2. **Concepts.** Stemmed word bigrams (stop words kept inside, a bigram of two stop words
   dropped), weighted by how many articles use them (``min_df`` at least), plus
   ``position_bonus`` for each article that uses one in its first ``lead_sentences``
   eligible sentences: what many outlets say in their lead is what happened.
3. **Selection.** The units whose concepts, each counted once, weigh most within the word
   budget (and, with a sentence count, at most that many sentences), solved exactly as an
   integer program (scipy's HiGHS) with at least one article's lead among them; a
   tie-breaking prior favours early sentences. Two units sharing a sentence, whose
   TF-IDF cosine is above ``max_redundancy``, or that state one fact by the repeat test
   of :mod:`.redundancy` (one sentence contained in the other, or in the taken ones
   together, with no number or name of its own; or, with a fact judge given, partly
   contained and judged one fact) are never both taken. The greedy cover (evaluated
   lazily: :func:`_fill`) asks the judge only about the unit it is about to take, and
   also skips a unit that tells a taken one's event again in other words (the story's
   event words, read off the articles' openings: :meth:`.redundancy.Repeats.retells`;
   not in the integer program).
4. **Order.** What happened first: of the chosen units that open their article, one that
   says when (a weekday, a month, "yesterday", "this morning" ...), closest to the story's
   TF-IDF centroid; then what the outlets add, in the articles'
   time order (their dates; undated ones last, as given) and each article's sentence order,
   except that a unit writing a name in full comes before one that uses it alone
   ("her publicist, Jack Ketsoyan" before "Ketsoyan would not say ...").
"""

from __future__ import annotations

import functools
import heapq
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from storydesk.dedup import text_fingerprint
from storydesk.settings import CoverageParams
from storydesk.text import stems, stopwords, word_count, words

from .names import bare_names, full_names, name_before_introduction
from .provenance import FactJudge
from .readability import _HAS_QUOTE, inside_quotation, quote_runs_on, reads
from .redundancy import RedundancyParams, Repeats
from .single import display_text

__all__ = ["CoverageParams", "Unit", "concepts_of", "select_units"]


@dataclass
class Unit:
    """One or two consecutive sentences of one article, shown together."""

    article: int  # position in the article list
    indices: tuple[int, ...]  # sentence indices in the article
    texts: tuple[str, ...]
    rank: int  # eligible rank of the first sentence in its article
    words: int
    concepts: frozenset[str]
    # its article copies an earlier one (copied_articles): it lends its concepts no weight
    copy: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.texts)


def concepts_of(text: str, language: str | None = None) -> frozenset[str]:
    """Stemmed word bigrams of a text, without those made of two stop words. Words, stop
    words and stems are the text layer's for ``language``; English stems are Porter2
    (``full``): measured on DUC 2004, R-2 9.48 with a light stemmer, 9.62 with Porter2."""
    toks = [w.lower() for w in words(text, language)]
    stop = stopwords(language)
    stemmed = stems(toks, language, full=True)
    is_stop = [w in stop for w in toks]
    return frozenset(
        f"{stemmed[i]} {stemmed[i + 1]}"
        for i in range(len(toks) - 1)
        if not (is_stop[i] and is_stop[i + 1])
    )


def build_units(
    sentences: Sequence[tuple[int, int, int, str]], params: CoverageParams,
    languages: Sequence[str | None] | None = None,
    caseless: Sequence[bool] | None = None,
    quoted: set[tuple[int, int]] | None = None,
) -> list[Unit]:
    """Units from eligible sentences ``(article, index, rank, text)`` in article order;
    ``languages``: each article's language, by article index (None: English);
    ``caseless``: whether each article's text has no case (lower-cased or a script
    without case), by article index (None: all cased); ``quoted``: (article, index) of
    the sentences inside a quotation, read over each article's every sentence (None:
    over each run of consecutive eligible ones)."""
    by_key = {(a, i): (r, t) for a, i, r, t in sentences}
    if quoted is None:
        quoted = _inside_quotation(sentences)

    def lang_of(a: int) -> str | None:
        return languages[a] if languages is not None else None

    # each sentence read once, as the summary shows it (without a dateline before it):
    # whether it is whole, whether it reads on its own, its size and its concepts
    whole: dict[tuple[int, int], bool] = {}
    alone: dict[tuple[int, int], bool] = {}
    size: dict[tuple[int, int], int] = {}
    runs_on: set[tuple[int, int]] = set()
    for a, i, _, t in sentences:
        shown, lang = display_text(t), lang_of(a)
        whole[(a, i)], leans = reads(shown, bool(caseless and caseless[a]), lang)
        alone[(a, i)] = (a, i) not in quoted and not leans
        size[(a, i)] = word_count(t, lang)
        if quote_runs_on(shown):
            runs_on.add((a, i))
    concepts: dict[tuple[int, int], frozenset[str]] = {}

    def concepts_at(a: int, i: int) -> frozenset[str]:
        if (a, i) not in concepts:
            concepts[(a, i)] = concepts_of(by_key[(a, i)][1], lang_of(a))
        return concepts[(a, i)]

    copies = copied_articles(sentences, params.copy_share)

    units: list[Unit] = []
    for a, i, r, t in sentences:
        key, before = (a, i), (a, i - 1)
        if not whole[key] or size[key] < params.min_words:
            continue
        if not params.quotes and _HAS_QUOTE.search(t):
            continue
        if alone[key]:
            units.append(Unit(a, (i,), (t,), r, size[key], concepts_at(a, i), a in copies))
            continue
        # it leans on the sentence before it: the two together, where that one reads on
        # its own, is whole, and is not where the quotation's speaker would be
        if not params.pairs or before not in by_key or not alone[before] \
                or not whole[before] or key in runs_on:
            continue
        units.append(Unit(a, (i - 1, i), (by_key[before][1], t), by_key[before][0],
                          size[key] + size[before], concepts_at(*before) | concepts_at(a, i),
                          a in copies))
    return units


def _inside_quotation(sentences: Sequence[tuple[int, int, int, str]]) -> set[tuple[int, int]]:
    """(article, index) of the sentences that begin inside a quotation opened in the
    sentence before them (:func:`readability.inside_quotation`), read over each run of an
    article's consecutive sentences: a sentence left out breaks the run."""
    out: set[tuple[int, int]] = set()
    run: list[tuple[int, int, str]] = []
    for a, i, _, t in [*sentences, (-1, -1, -1, "")]:
        if run and (a != run[-1][0] or i != run[-1][1] + 1):
            flags = inside_quotation([x[2] for x in run])
            out.update((x[0], x[1]) for x, f in zip(run, flags, strict=True) if f)
            run = []
        run.append((a, i, t))
    return out


def copied_articles(sentences: Sequence[tuple[int, int, int, str]], share: float) -> set[int]:
    """The articles that copy an earlier one: at least ``share`` of their eligible
    sentences ``(article, index, rank, text)`` are found word for word (case, spacing and
    punctuation aside: :func:`storydesk.dedup.text_fingerprint`) in one article before
    them. Outlets carrying one wire story are one source of its words (0: none)."""
    if share <= 0:
        return set()
    prints: dict[int, set[str]] = {}
    for a, _, _, t in sentences:
        prints.setdefault(a, set()).add(text_fingerprint(t))
    order = list(prints)
    return {b for n, b in enumerate(order)
            if any(len(prints[b] & prints[a]) >= share * len(prints[b]) for a in order[:n])}


def concept_weights(
    units: Sequence[Unit], n_articles: int, params: CoverageParams
) -> dict[str, float]:
    """Concept -> weight: articles using it, plus the lead bonus (see the module doc); an
    article that copies another counts for neither, nor among the ``n_articles``."""
    per_article: dict[int, set[str]] = {}
    lead: dict[int, set[str]] = {}
    copies: set[int] = set()
    for u in units:
        if u.copy:
            copies.add(u.article)
            continue
        per_article.setdefault(u.article, set()).update(u.concepts)
        if u.rank < params.lead_sentences:
            lead.setdefault(u.article, set()).update(u.concepts)
    df: Counter[str] = Counter()
    for cs in per_article.values():
        df.update(cs)
    ldf: Counter[str] = Counter()
    for cs in lead.values():
        ldf.update(cs)
    floor = min(params.min_df, max(2, n_articles - len(copies) - 1))
    return {c: d + params.position_bonus * ldf[c] for c, d in df.items() if d >= floor}


def select_units(
    units: Sequence[Unit],
    n_articles: int,
    vectors: np.ndarray,
    max_words: int,
    max_sentences: int | None,
    params: CoverageParams,
    article_order: Sequence[int] | None = None,
    judge: FactJudge | None = None,
    languages: Sequence[str | None] | None = None,
    context: Sequence[tuple[str, str | None]] | None = None,
    weights: dict[str, float] | None = None,
) -> list[int]:
    """Indices of the chosen units, in the order shown (see the module doc). ``vectors``:
    unit-length TF-IDF rows of the units' sentences, unit after unit, for the redundancy
    check (two units repeat each other when a sentence of one is close to one of the
    other). ``article_order``: each article's place in time (default: as given).
    ``judge``: the fact judge, asked about pairs the containment filter passes
    (:mod:`.redundancy`); ``languages``: each article's language (None: English);
    ``context``: the story's sentences (text, language), the IDF of the repeat test
    (default: the units' sentences); ``weights``: :func:`concept_weights` of the units,
    when the caller has them."""
    if weights is None:
        weights = concept_weights(units, n_articles, params)
    if not weights:  # too few articles agree on anything: unigram-free fallback, by prior
        weights = {c: 1.0 for u in units for c in u.concepts}
    fits = [k for k, u in enumerate(units)
            if u.words <= max_words and (max_sentences is None or len(u.indices) <= max_sentences)]
    if not fits:
        return []
    sim = _Similarity(vectors, units, params.redundancy, judge, languages, context)
    chosen: list[int] | None = None
    if params.ilp:
        chosen = _ilp(units, fits, weights, sim, max_words, max_sentences, params)
    if chosen is None:
        chosen = _greedy(units, fits, weights, sim, max_words, max_sentences, params)
    order = _order(units, chosen, sim, article_order)
    return _introduce_names(units, order, languages[units[order[0]].article]
                            if languages and order else None)


class _Similarity:
    """The highest cosine between a sentence of one unit and a sentence of another, a
    column at a time (a story can have a thousand units; ``vectors``: the units'
    sentences' rows, unit after unit), and the repeat test of :mod:`.redundancy` over
    the units' distinct sentences."""

    def __init__(
        self, vectors: np.ndarray, units: Sequence[Unit],
        params: RedundancyParams, judge: FactJudge | None = None,
        languages: Sequence[str | None] | None = None,
        context: Sequence[tuple[str, str | None]] | None = None,
    ) -> None:
        self.vectors = vectors
        self.starts = np.concatenate([[0], np.cumsum([len(u.indices) for u in units])[:-1]]
                                     ).astype(int)
        self.cols: dict[int, np.ndarray] = {}
        row: dict[tuple[int, int], int] = {}
        texts: list[str] = []
        langs: list[str | None] = []
        self.rows: list[list[int]] = []
        for u in units:
            for i, t in zip(u.indices, u.texts, strict=True):
                if (u.article, i) not in row:
                    row[(u.article, i)] = len(texts)
                    texts.append(t)
                    langs.append(languages[u.article] if languages else None)
            self.rows.append([row[(u.article, i)] for i in u.indices])
        self.rep = Repeats(texts, langs, params, judge, context)
        lead: dict[int, dict[int, int]] = {}  # article -> rank -> sentence row
        for k, u in enumerate(units):
            for j, r in enumerate(self.rows[k]):
                lead.setdefault(u.article, {}).setdefault(u.rank + j, r)
        self.rep.set_openings([[v[rank] for rank in sorted(v)] for _, v in sorted(lead.items())])

    def repeats(self, a: int, b: int, limit: float, judge: bool = True) -> bool:
        """Units a and b state a fact in common: a sentence pair's cosine at least
        ``limit``, or the repeat test (without the fact judge when ``judge`` is false)."""
        if self[a, b] >= limit:
            return True
        test = self.rep.same if judge else self.rep.contains
        return any(test(x, y) for x in self.rows[a] for y in self.rows[b])

    def covered(self, k: int, chosen: Sequence[int]) -> bool:
        """Every sentence of unit ``k`` says little the ``chosen`` units do not say
        together (:meth:`.redundancy.Repeats.covered`)."""
        rows = [r for j in chosen for r in self.rows[j]]
        return all(self.rep.covered(x, rows) for x in self.rows[k])

    def retells(self, k: int, chosen: Sequence[int]) -> bool:
        """A sentence of unit ``k`` tells the event of a ``chosen`` one's sentence again
        (:meth:`.redundancy.Repeats.retells`)."""
        rows = [r for j in chosen for r in self.rows[j]]
        return any(self.rep.retells(x, rows) for x in self.rows[k])

    @functools.cached_property
    def centroid(self) -> np.ndarray:
        """The unit-length mean of the units' sentence rows: the story's centroid."""
        c = self.vectors.mean(axis=0)
        return c / (np.linalg.norm(c) or 1.0)

    def event_terms(self, k: int) -> set[str]:
        """The story's event words that unit ``k`` uses (:mod:`.redundancy`)."""
        ev = self.rep.events
        return {t for t in self.terms(k) if t in ev}

    def terms(self, k: int) -> set[str]:
        """The content terms of unit ``k``'s sentences (the repeat test's)."""
        return {t for r in self.rows[k] for t in self.rep.claims[r].terms}

    def judged_repeat(self, k: int, chosen: Sequence[int]) -> bool:
        """Unit ``k`` repeats one of ``chosen`` by the fact judge (one call for all)."""
        pairs = [(x, y) for j in chosen for x in self.rows[k] for y in self.rows[j]]
        self.rep.ask_many(pairs)
        return any(self.rep.same(x, y) for x, y in pairs)

    def __getitem__(self, pair: tuple[int, int]) -> float:
        a, b = pair
        col = self.cols.get(b)
        if col is None:
            s = self.starts[b]
            block = self.vectors[s : s + (self.starts[b + 1] - s if b + 1 < len(self.starts)
                                          else len(self.vectors) - s)]
            col = (self.vectors @ block.T).max(axis=1)
            col = self.cols[b] = np.maximum.reduceat(col, self.starts)
        return float(col[a])


def _prior(u: Unit) -> float:
    return 1.0 / (1.0 + u.rank)


def _conflict(
    units: Sequence[Unit], sim: _Similarity, a: int, b: int, params: CoverageParams,
    judge: bool = True,
) -> bool:
    """Two units that share a sentence or say the same thing (by the fact judge too,
    unless ``judge`` is false)."""
    ua, ub = units[a], units[b]
    if ua.article == ub.article and set(ua.indices) & set(ub.indices):
        return True
    if sim.repeats(a, b, params.max_redundancy, judge):
        return True
    small = min(len(ua.concepts), len(ub.concepts))
    return bool(small and len(ua.concepts & ub.concepts) > params.max_overlap * small)


def _conflicts(
    units: Sequence[Unit], sim: _Similarity, cand: list[int], params: CoverageParams
) -> list[tuple[int, int]]:
    """Pairs (x, y), x < y, of positions in ``cand`` that may not both be taken."""
    return [(x, y) for x in range(len(cand)) for y in range(x + 1, len(cand))
            if _conflict(units, sim, cand[x], cand[y], params)]


def _is_lead(u: Unit) -> bool:
    return u.rank == 0


def _ilp(
    units: Sequence[Unit], fits: list[int], weights: dict[str, float], sim: _Similarity,
    max_words: int, max_sentences: int | None, params: CoverageParams,
) -> list[int] | None:
    try:
        from scipy.optimize import Bounds, LinearConstraint, milp
        from scipy.sparse import coo_matrix
    except ImportError:  # pragma: no cover - scipy without MILP
        return None
    cand = [k for k in fits if units[k].concepts & weights.keys()]
    if not cand:
        return None
    concepts = sorted({c for k in cand for c in units[k].concepts if c in weights})
    cidx = {c: i for i, c in enumerate(concepts)}
    ns, nc = len(cand), len(concepts)
    # Variables: s_0..s_{ns-1} (units), then c_0..c_{nc-1} (concepts).
    obj = np.concatenate([
        [-params.prior_weight * _prior(units[k]) for k in cand],
        [-weights[c] for c in concepts],
    ])
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lo: list[float] = []
    hi: list[float] = []
    r = 0

    def add(entries: list[tuple[int, float]], low: float, high: float) -> None:
        nonlocal r
        for col, v in entries:
            rows.append(r)
            cols.append(col)
            vals.append(v)
        lo.append(low)
        hi.append(high)
        r += 1

    add([(j, float(units[k].words)) for j, k in enumerate(cand)], -np.inf, max_words)
    if max_sentences is not None:
        add([(j, float(len(units[k].indices))) for j, k in enumerate(cand)], -np.inf,
            max_sentences)
    holders: dict[int, list[int]] = {}
    for j, k in enumerate(cand):
        for c in units[k].concepts:
            if c in cidx:
                i = cidx[c]
                holders.setdefault(i, []).append(j)
                add([(j, 1.0), (ns + i, -1.0)], -np.inf, 0.0)  # s_j <= c_i
    for i, js in holders.items():
        add([(j, 1.0) for j in js] + [(ns + i, -1.0)], 0.0, np.inf)  # c_i <= sum s_j
    for x, y in _conflicts(units, sim, cand, params):
        add([(x, 1.0), (y, 1.0)], -np.inf, 1.0)
    if params.require_lead:
        leads = [j for j, k in enumerate(cand) if _is_lead(units[k])]
        if leads:
            add([(j, 1.0) for j in leads], 1.0, np.inf)
    a = coo_matrix((vals, (rows, cols)), shape=(r, ns + nc)).tocsr()
    res = milp(
        obj,
        constraints=LinearConstraint(a, np.array(lo), np.array(hi)),
        integrality=np.ones(ns + nc),
        bounds=Bounds(0, 1),
        options={"time_limit": params.ilp_time_limit, "presolve": True},
    )
    if res.x is None or res.status not in (0, 1):
        return None
    return [cand[j] for j in range(ns) if res.x[j] > 0.5]


def _greedy(
    units: Sequence[Unit], fits: list[int], weights: dict[str, float], sim: _Similarity,
    max_words: int, max_sentences: int | None, params: CoverageParams,
) -> list[int]:
    chosen: list[int] = []
    if params.require_lead:
        leads = [k for k in fits if _is_lead(units[k])]
        if leads:
            chosen.append(max(leads, key=lambda k: sum(weights.get(c, 0.0)
                                                        for c in units[k].concepts)
                              / units[k].words))
    chosen = _fill(units, fits, weights, sim, max_words, max_sentences, params, chosen)
    return _one_opening(units, fits, weights, sim, max_words, max_sentences, params, chosen)


def _fill(
    units: Sequence[Unit], pool: Sequence[int], weights: dict[str, float], sim: _Similarity,
    max_words: int, max_sentences: int | None, params: CoverageParams, chosen: list[int],
) -> list[int]:
    """Greedy budgeted coverage from ``chosen``: the unit of ``pool`` adding the most
    uncovered concept weight per word (the first in ``pool`` of equals), while one fits
    and repeats nothing taken.

    Lazily evaluated (Minoux's accelerated greedy): a unit's gain only falls as the
    chosen units cover more, so units wait in a heap under the gain they last had, and
    only the top one is tested and its gain made current; it is taken when that still
    tops the heap. This chooses what testing every unit at every step would."""
    chosen = list(chosen)
    covered: set[str] = set().union(*(units[k].concepts for k in chosen))
    used = sum(units[k].words for k in chosen)
    sents = sum(len(units[k].indices) for k in chosen)

    def gain(k: int) -> float:
        u = units[k]
        g = sum(weights.get(c, 0.0) for c in u.concepts - covered)
        return (g + params.prior_weight * _prior(u)) / u.words**params.length_exponent

    # A unit out once stays out (the budget only shrinks, the chosen units only grow:
    # a conflict, a covered sentence or a retelling stays one), and a unit is tested for
    # a conflict only against the units chosen since it was last looked at.
    seen: dict[int, int] = {}

    def fits(k: int) -> bool:
        u = units[k]
        if used + u.words > max_words or (
                max_sentences is not None and sents + len(u.indices) > max_sentences):
            return False
        if any(_conflict(units, sim, k, j, params, judge=False)
               for j in chosen[seen.get(k, 0):]):
            return False
        seen[k] = len(chosen)
        return not (sim.covered(k, chosen) or sim.retells(k, chosen))

    taken = set(chosen)
    heap = [(-gain(k), place, k) for place, k in enumerate(pool) if k not in taken]
    heapq.heapify(heap)
    while heap:
        _, place, k = heapq.heappop(heap)
        if not fits(k):
            continue
        g = gain(k)
        if heap and (-g, place) > heap[0][:2]:
            heapq.heappush(heap, (-g, place, k))  # another may gain more now
            continue
        if g <= 0:
            return chosen
        if chosen and sim.judged_repeat(k, chosen):  # the judge only for the best
            continue
        chosen.append(k)
        covered |= units[k].concepts
        used += units[k].words
        sents += len(units[k].indices)
    return chosen


def _one_opening(
    units: Sequence[Unit], fits: list[int], weights: dict[str, float], sim: _Similarity,
    max_words: int, max_sentences: int | None, params: CoverageParams, chosen: list[int],
) -> list[int]:
    """Outlets' openings tell one event in their own words, each with a detail of its own
    (the event test's pairs that escape it: "Armed robbers stole gems worth 85 million
    euros ..." / "A savvy band of jewel thieves ... stealing more than e85 million"). Of
    the article openings ``chosen`` holds, the one shown first (:func:`_lead_key`) stays;
    one sharing at least ``event_openings`` of the story's event words with it is left
    out, with every other such opening, and the greedy fills the words it frees. Where
    the story has no event words (its openings agree on too few), an opening sharing at
    least ``opening_terms`` of the first one's content terms is left out instead ("Four
    armed robbers -- two dressed as women -- made off with $137-million of diamonds ..."
    after "A gang of four thieves -- two of them disguised as women -- ... stole nearly
    all the jewels ...")."""
    need = params.redundancy.event_openings
    opens = [k for k in chosen if _is_lead(units[k])]
    if need <= 0 or len(opens) < 2 or params.redundancy.event_min <= 0:
        return chosen
    key = _lead_key(units, sim)
    first = max(opens, key=key)
    terms = sim.event_terms
    if not sim.rep.events:
        need = params.redundancy.opening_terms
        if need <= 0:
            return chosen
        terms = sim.terms
    told = terms(first)

    def retells(k: int) -> bool:
        return k != first and _is_lead(units[k]) and len(terms(k) & told) >= need

    if not any(retells(k) for k in opens):
        return chosen
    return _fill(units, [k for k in fits if not retells(k)], weights, sim, max_words,
                 max_sentences, params, [k for k in chosen if not retells(k)])


# A sentence that says when: a weekday, a month, today / yesterday / tonight, this
# morning ... (what happened is told with its time; background and comment rarely are).
_WHEN = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tonight"
    r"|overnight|(?:this|last|early|late) (?:morning|afternoon|evening|night|week|month)"
    r"|jan(?:uary)?|feb(?:ruary)?|march|april|june|july|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b",
    re.IGNORECASE,
)


def _lead_key(units: Sequence[Unit], sim: _Similarity) -> Callable[[int], tuple[bool, float]]:
    """What a unit is worth as the summary's first sentence, what happened: whether it
    says when (:data:`_WHEN`), then its cosine to the story's TF-IDF centroid."""
    centroid = sim.centroid

    def key(k: int) -> tuple[bool, float]:
        return bool(_WHEN.search(units[k].texts[0])), float(sim.vectors[sim.starts[k]] @ centroid)

    return key


def _order(
    units: Sequence[Unit], chosen: list[int], sim: _Similarity,
    article_order: Sequence[int] | None,
) -> list[int]:
    """What happened first: of the chosen units that open their article (or, failing
    that, come earliest), one that says when (:data:`_WHEN`), closest to the story's
    centroid (:func:`_lead_key`); then the rest in the articles' time order and each
    article's sentence order."""
    if not chosen:
        return []
    top = min(units[k].rank for k in chosen)
    first = max((k for k in chosen if units[k].rank == top), key=_lead_key(units, sim))
    place = article_order or range(max(u.article for u in units) + 1)
    rest = sorted((k for k in chosen if k != first),
                  key=lambda k: (place[units[k].article], units[k].indices[0]))
    return [first, *rest]


def _introduce_names(units: Sequence[Unit], order: list[int], language: str | None) -> list[int]:
    """A unit that writes a name in full moves up to just before the first unit that uses
    the name alone (:func:`.names.name_before_introduction`), the opening staying
    first; not when the unit itself uses alone a name that a unit it would pass writes in
    full (two units naming each other's people keep their order)."""
    order = list(order)
    for _ in range(len(order)):
        texts = [units[k].text for k in order]
        for _name, i, j in name_before_introduction(texts, language):
            passed = set().union(*(full_names(t) for t in texts[i:j]))
            if i >= 1 and not (bare_names(texts[j]) & passed):
                order.insert(i, order.pop(j))
                break
        else:
            return order
    return order
