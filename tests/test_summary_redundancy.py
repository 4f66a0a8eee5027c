"""A story summary says each fact once, and "reported by" counts a fact worded
differently; the fact judge is passed in, summaries never import the comparison
(fictional text only)."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from storydesk.summarize import StoryArticle, StoryParams, split_sentences, summarize_story
from storydesk.summarize.coverage import CoverageParams, build_units, select_units
from storydesk.summarize.multi import story_sources
from storydesk.summarize.provenance import FactJudge
from storydesk.summarize.redundancy import RedundancyParams, Repeats, sentence_claims

SUMMARIZE = Path(__file__).resolve().parents[1] / "src" / "storydesk" / "summarize"

# A made-up fraud case told by three outlets: the second restates the ministry's
# accusation in fewer words and another order, with nothing the first does not say.
F1 = ("Police in Tarvo on Monday detained Ivo Marsk, the leader of the opposition Dawn party.\n"
      "In a statement, the Justice Ministry said Marsk was suspected of having embezzled "
      "money that a charity had collected for sick children.\n"
      "Officers searched the party's offices and seized computers.")
F2 = ("Ivo Marsk, the leader of the Dawn party, was detained in Tarvo on Monday.\n"
      "Marsk embezzled charity money, the Justice Ministry says.\n"
      "His lawyer, Hanna Lis, called the charges absurd.")
F3 = ("The Dawn party leader Ivo Marsk was detained by police in Tarvo on Monday.\n"
      "A court will decide on Wednesday whether to keep Marsk in custody.\n"
      "Supporters of the Dawn party gathered outside the police station in Tarvo.")


def _select(params: CoverageParams) -> list[str]:
    """The first sentences of the units chosen from F1-F3, with every pair of sentences
    at cosine 0 (so only the concept overlap and the repeat test can keep one out)."""
    sents = [(a, i, i, t) for a, text in enumerate([F1, F2, F3])
             for i, t in enumerate(split_sentences(text))]
    units = build_units(sents, params)
    vectors = np.eye(sum(len(u.indices) for u in units))
    return [units[k].texts[0] for k in select_units(units, 3, vectors, 200, 6, params)]


def test_a_fact_restated_in_fewer_words_is_said_once() -> None:
    """Without the repeat test both wordings of the accusation are taken (their bigrams
    differ); with it (no judge needed: one is contained in the other, with no number or
    name of its own) only one is, and the other facts still are."""
    off = CoverageParams(redundancy=RedundancyParams(contain=2.0, ask=2.0))
    before = _select(off)
    assert sum("embezzled" in t for t in before) == 2
    now = _select(CoverageParams())
    assert sum("embezzled" in t for t in now) == 1
    assert len(now) == len(before) - 1


def test_containment_and_agreement() -> None:
    long = ("The Justice Ministry said Marsk was suspected of embezzling 12 million crowns "
            "from a charity fund.")
    short = "The Justice Ministry says Marsk embezzled money from a charity fund."
    figure = "The Justice Ministry says Marsk embezzled 40 million crowns from a charity fund."
    other = "A court will decide on Wednesday whether to keep Marsk in custody."
    r = Repeats([long, short, figure, other])
    assert r.contained(1, 0) >= 0.6 and r.agrees(1, 0) and r.contains(0, 1)
    assert not r.agrees(2, 0)  # a figure the other does not state is a fact of its own
    assert not r.contains(0, 2) and not r.contains(1, 3)
    assert r.covered(1, [0, 3]) and not r.covered(3, [0, 1])
    c = sentence_claims("The crowd cheered as Mayor Tilda Harn paid 9,000 crowns.")
    assert c.numbers == {"9000"} and c.names == {"mayor", "tilda", "harn"}


class Recorder:
    """A fact judge that says "one fact" for the pairs it is told and records what it
    is asked."""

    def __init__(self, same: set[frozenset[str]]) -> None:
        self.same = same
        self.asked: list[tuple[str, str]] = []

    def __call__(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        self.asked += [(x, y) for x in a for y in b]
        return np.array([[float(x == y or frozenset((x, y)) in self.same) for y in b]
                         for x in a]).reshape(len(a), len(b))


def test_the_judge_is_asked_only_about_pairs_the_filter_passes() -> None:
    a = "The Angels offered first baseman Rico Tess an eight-year deal on Friday night."
    b = "The Angels put an eight-year deal for Tess on the table, his agent told reporters."
    c = "Snow closed the Brill pass to all lorries for the third day."
    arts = [StoryArticle(1, a + "\nTess hit 33 home runs for Boston last season."),
            StoryArticle(2, b + "\nThe Nationals are said to have bid $160 million for Tess."),
            StoryArticle(3, c + "\nThe Angels open their season in April against Boston.")]
    # (the two openings share four terms and the snow opening none: with the openings'
    # own test on, coverage._one_opening would leave one out before the judge is asked)
    params = StoryParams(coverage=CoverageParams(redundancy=RedundancyParams(
        opening_terms=0)))
    plain = summarize_story(arts, n_sentences=4, params=params)
    assert {(1, 0), (2, 0)} <= {s.origin for s in plain}
    rec = Recorder({frozenset((a, b))})
    judged = summarize_story(arts, n_sentences=4, params=params, judge=FactJudge(rec, 0.5))
    assert len({(1, 0), (2, 0)} & {s.origin for s in judged}) == 1
    # the repeat test asks the judge about the pair sharing content, never about the snow
    rec.asked.clear()
    r = Repeats([a, b, c], judge=FactJudge(rec, 0.5))
    r.ask_many([(0, 1), (0, 2), (1, 2)])
    assert rec.asked == [(a, b)]
    assert r.same(0, 1) and not r.same(0, 2) and rec.asked == [(a, b)]  # asked once


VERIN_ONE = ["Floods forced 300 families in Verin to leave their homes on Monday.",
             "The Verin council met on Monday night to discuss the floods.",
             "The mayor of Verin said the council would pay for repairs.",
             "Rain is forecast to ease in Verin by Thursday."]
VERIN_TWO = ["Verin's football ground was also under water on Monday.",
             "Schools in Verin stay shut until the water falls.",
             "On Monday 300 Verin households were evacuated because of flooding.",
             "The council of Verin has asked the army for help."]


def test_reported_by_counts_a_fact_worded_differently() -> None:
    """Word match misses a second outlet's other wording of the evacuation; the fact
    judge passed in (the comparison's) adds it: "reported by 2 of 2"."""
    from storydesk.services.comparisons import summary_judge
    from storydesk.settings import Settings

    fact = VERIN_ONE[0]
    one, two = "\n".join(VERIN_ONE), "\n".join(VERIN_TWO)
    cands = [((aid, i), t) for aid, text in ((1, one), (2, two))
             for i, t in enumerate(split_sentences(text))]
    shown = [(1, 0, fact), (1, 3, "Rain is forecast to ease in Verin by Thursday.")]
    words = story_sources(cands, shown, StoryParams())
    judged = story_sources(cands, shown, StoryParams(), summary_judge(Settings()))
    assert words[0] == [(1, 0)]
    assert judged[0] == [(1, 0), (2, 2)]
    assert judged[1] == [(1, 3)]  # the forecast: one outlet


def test_desk_story_summary_gets_the_judge(tmp_path: Path) -> None:
    """Desk.summarize gives the summary the comparison's judge: the evacuation, worded
    differently by the two files, is reported by both (word match alone says 1)."""
    from storydesk import Desk

    one = tmp_path / "one.txt"
    two = tmp_path / "two.txt"
    one.write_text("Floods in Verin\n\n" + "\n".join(VERIN_ONE) + "\n", encoding="utf-8")
    two.write_text("Verin under water\n\n" + "\n".join(VERIN_TWO) + "\n", encoding="utf-8")
    with Desk(str(tmp_path / "d.db")) as desk:
        summ = desk.summarize([str(one), str(two)], sentences=2)
    evac = [s for s in summ.sentences if "300" in s.text]
    assert evac and all(s.outlets == 2 for s in evac)


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def test_summarize_never_imports_the_comparison() -> None:
    for path in SUMMARIZE.glob("*.py"):
        bad = {m for m in _imports(path) if m.startswith("storydesk.compare")}
        assert not bad, f"{path.name} imports {bad}"
    code = ("import sys, storydesk.summarize, storydesk.services.summaries; "
            "print([m for m in sys.modules if m.startswith('storydesk.compare')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_summarize_modules_and_functions_stay_small() -> None:
    for path in SUMMARIZE.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 700, path.name
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                assert size <= 100, f"{path.name}: {node.name} has {size} lines"


def test_the_judge_sees_only_close_sentences_each_once() -> None:
    """judged_sources shows the judge each distinct text once, only those at the cosine
    floor, and with per_article only each article's closest ones."""
    from storydesk.summarize.provenance import judged_sources

    shown = ["The Verin dam opened its floodgates on Monday."]
    rows = [(1, 0, shown[0]), (2, 0, "Floodgates at Verin were opened."),
            (2, 1, "Floodgates at Verin were opened."), (2, 2, "Verin dam gates opened."),
            (3, 0, "Snow fell in Brill.")]
    sim = np.array([[1.0, 0.6, 0.6, 0.4, 0.0]])
    rec = Recorder({frozenset((shown[0], "Verin dam gates opened."))})
    out = judged_sources(shown, [[(1, 0)]], rows, FactJudge(rec, 0.5), sim, 0.1)
    assert out == [[(1, 0), (2, 2)]]
    assert sorted(y for _, y in rec.asked) == sorted(
        [shown[0], "Floodgates at Verin were opened.", "Verin dam gates opened."])
    rec.asked.clear()
    out = judged_sources(shown, [[(1, 0)]], rows, FactJudge(rec, 0.5), sim, 0.1, per_article=1)
    assert out == [[(1, 0)]]  # article 2's closest sentence is not the one stating it
    assert "Verin dam gates opened." not in {y for _, y in rec.asked}


def test_a_stored_story_summary_is_keyed_by_the_judge_settings() -> None:
    """Another judge model or threshold makes a stored story summary stale."""
    from dataclasses import replace

    from storydesk.services.summaries import summary_params_key
    from storydesk.settings import Settings

    s = Settings()
    other = Settings()
    other.compare = replace(other.compare, align_threshold=0.3)
    assert summary_params_key(s, "story", 5, None, False) != \
        summary_params_key(other, "story", 5, None, False)
    assert summary_params_key(s, "article", 3, None, False) == \
        summary_params_key(other, "article", 3, None, False)


# A made-up transfer told by four outlets: each opening tells the same event (the Rovers
# offer Pell Odum a five-year contract) in its own words, with a detail of its own (a
# coach, a place, an age, a sum), so no opening is contained in another.
ODUM = [
    ("The Tarvo Rovers have offered a five-year contract to striker Pell Odum, coach Ilsa "
     "Varn said on Friday night.\nOdum scored 31 goals for Kessa last season.\n"
     "The Brill Lions are also said to want Odum."),
    ("The Rovers of Tarvo made a five-year offer to the Kessa striker Pell Odum at the "
     "winter meeting in Brill.\nKessa want a fee of at least 12 million crowns for Odum.\n"
     "Rovers fans sang outside the stadium in Tarvo on Saturday."),
    ("Pell Odum, 24, has a five-year contract offer from the Tarvo Rovers, his agent Dag "
     "Moor confirmed.\nMoor said Odum would decide before the new year.\n"
     "Odum scored 31 goals for Kessa last season."),
    ("A five-year contract offer from the Rovers worth 9 million crowns awaits Pell Odum "
     "in Tarvo.\nThe Brill Lions are also said to want Odum.\n"
     "Kessa want a fee of at least 12 million crowns for Odum."),
]


def _odum(params: RedundancyParams) -> list[str]:
    arts = [StoryArticle(i, t) for i, t in enumerate(ODUM)]
    p = StoryParams(coverage=CoverageParams(redundancy=params))
    return [s.text for s in summarize_story(arts, n_sentences=4, params=p)]


def test_two_outlets_openings_of_one_event_are_said_once() -> None:
    """Without the event test the summary takes two or more of the four openings (their
    bigrams differ, each states a name or number of its own); with it, one, and the
    sentences that add something (the fee, the rivals, the goals) are still taken."""
    def openings(texts: list[str]) -> int:
        return sum("five-year" in t for t in texts)

    before = _odum(RedundancyParams(event_min=0))
    assert openings(before) >= 2
    now = _odum(RedundancyParams())
    assert openings(now) == 1
    assert any("12 million" in t or "Lions" in t or "31 goals" in t for t in now)


def test_retells_needs_the_story_event_words() -> None:
    """A sentence retells a taken one when most of the story's event words it uses (the
    words the openings share, weighted by how many use them) are in that one; a sentence
    on the same people with an event of its own does not."""
    openings = [t.split("\n")[0] for t in ODUM]
    other = "Kessa want a fee of at least 12 million crowns for Odum and the Rovers."
    r = Repeats([*openings, other])
    r.set_openings([[0], [1], [2], [3]])
    assert {"five", "contract", "offer", "odum", "rover", "tarvo"} <= set(r.events)
    assert r.retells(1, [0]) and r.retells(2, [0]) and r.retells(0, [3])
    assert not r.retells(4, [0])  # the fee: only Odum and the Rovers in common
    off = Repeats([*openings, other], params=RedundancyParams(event_min=0))
    off.set_openings([[0], [1], [2], [3]])
    assert not off.retells(1, [0])


def test_judged_sources_asks_a_masked_judge_only_about_articles_not_yet_sources() -> None:
    """With a judge that takes a mask (``FactJudge.some``), judged_sources asks it only
    about the pairs it reads: a row of an article already among the sources is not."""
    from storydesk.summarize.provenance import judged_sources

    shown = ["The Verin dam opened its floodgates on Monday."]
    rows = [(1, 0, shown[0]), (1, 1, "Floodgates at Verin were opened."),
            (2, 0, "Verin dam gates opened.")]
    sim = np.array([[1.0, 0.6, 0.4]])
    masks: list[np.ndarray] = []

    def some(a: list[str], b: list[str], mask: np.ndarray) -> np.ndarray:
        masks.append(mask)
        return np.where(mask, 0.9, 0.0)

    judge = FactJudge(lambda a, b: np.full((len(a), len(b)), 0.9), 0.5, some)
    out = judged_sources(shown, [[(1, 0)]], rows, judge, sim, 0.1)
    assert out == [[(1, 0), (2, 0)]]
    assert [m.tolist() for m in masks] == [[[False, False, True]]]


def test_openings_widen_when_the_outlets_open_on_a_hook() -> None:
    """Where the articles' first sentences share too few words to tell their event (a
    hook: "Here we go again."), the event words come from their first two sentences, so
    the event told again in other words is caught; with the leads cut to one sentence
    the same sentence does not retell."""
    hooks = ["Here we go again at the harbour.", "Nobody saw this coming in Velmar.",
             "Another week, another twist.", "Velmar has seen stranger days.",
             "What a morning it was."]
    events = ["The Velmar ferry Northern Star ran aground off Pellan Point on Tuesday.",
              "The ferry Northern Star has run aground near Pellan Point, the coastguard said.",
              "Velmar's ferry Northern Star went aground at Pellan Point early Tuesday.",
              "A ferry, the Northern Star, ran aground off Pellan Point in fog.",
              "The Northern Star ferry from Velmar ran aground on rocks at Pellan Point."]
    texts = [*hooks, *events]
    leads = [[k, k + 5] for k in range(5)]
    wide = Repeats(texts)
    wide.set_openings(leads)
    assert {"ferry", "northern", "star", "aground", "pellan", "point"} <= set(wide.events)
    assert wide.retells(6, [5]) and wide.retells(9, [7])
    narrow = Repeats(texts, params=RedundancyParams(event_lead=1))
    narrow.set_openings(leads)
    assert not narrow.retells(6, [5])


def test_an_article_copying_another_adds_no_support() -> None:
    """Outlets carrying one wire story are one source of its words: an article whose
    sentences are another's word for word (case, spacing and punctuation aside) gives its
    concepts no weight, so three copies of one article do not outvote what two
    independent outlets agree on; an article sharing one sentence is no copy."""
    from storydesk.summarize.coverage import concept_weights

    copy = ("Ivo Marsk, the Dawn party leader, was detained in Tarvo on Monday.\n"
            "His lawyer Hanna Lis called the charges absurd and politically motivated.")
    other = ("Police detained the opposition leader Ivo Marsk in Tarvo.\n"
             "The Justice Ministry accused the leader of embezzling charity money.")
    other2 = ("Ivo Marsk was detained by police in Tarvo.\n"
              "The Justice Ministry accused the opposition leader of embezzling charity money.")
    texts = [copy, copy.upper().replace(",", " ,"), copy, other, other2]
    sents = [(a, i, i, t) for a, text in enumerate(texts)
             for i, t in enumerate(split_sentences(text))]
    params = CoverageParams(min_df=2)
    units = build_units(sents, params)
    weights = concept_weights(units, len(texts), params)
    assert "charg absurd" not in weights  # one source, however many copies
    assert weights["justic ministri"] >= 2 and weights["ivo marsk"] >= 3
    # with copies counted (copy_share 0), each is an outlet
    counted = CoverageParams(min_df=2, copy_share=0.0)
    assert "charg absurd" in concept_weights(build_units(sents, counted), len(texts), counted)
    # a copy is not one of the story's articles either: three sources, so two agreeing
    # is enough (the floor of a story of n <= min_df articles is n - 1)
    four = [(a, i, i, t) for a, text in enumerate([copy, copy, other, other2])
            for i, t in enumerate(split_sentences(text))]
    assert "justic ministri" in concept_weights(build_units(four, CoverageParams()), 4,
                                                CoverageParams())
    # one sentence in common is no copy: both articles count
    shared = [copy, other.split("\n")[0] + "\n" + copy.split("\n")[1]]
    sents = [(a, i, i, t) for a, text in enumerate(shared)
             for i, t in enumerate(split_sentences(text))]
    assert "charg absurd" in concept_weights(build_units(sents, params), 2, params)



def test_the_lazy_greedy_chooses_what_testing_every_unit_would() -> None:
    """coverage._fill keeps units in a heap under their last gain; a plain greedy that
    tests every unit at every step (the first of equals winning) chooses the same, over
    the fictional stories at several budgets."""
    from storydesk.summarize import coverage as cov

    def plain(units, pool, weights, sim, max_words, max_sentences, params, chosen):
        chosen, out = list(chosen), set()
        while True:
            covered = set().union(*(units[k].concepts for k in chosen))
            used = sum(units[k].words for k in chosen)
            best, best_gain = -1, 0.0
            for k in pool:
                u = units[k]
                if k in out or k in chosen:
                    continue
                if used + u.words > max_words or any(
                        cov._conflict(units, sim, k, j, params, judge=False) for j in chosen) \
                        or sim.covered(k, chosen) or sim.retells(k, chosen):
                    out.add(k)
                    continue
                g = (sum(weights.get(c, 0.0) for c in u.concepts - covered)
                     + params.prior_weight * cov._prior(u)) / u.words**params.length_exponent
                if g > best_gain:
                    best, best_gain = k, g
            if best < 0:
                return chosen
            if chosen and sim.judged_repeat(best, chosen):
                out.add(best)
                continue
            chosen.append(best)

    params = CoverageParams()
    for texts in ([F1, F2, F3], ODUM, [F1, F2, F3, *ODUM]):
        sents = [(a, i, i, t) for a, text in enumerate(texts)
                 for i, t in enumerate(split_sentences(text))]
        units = build_units(sents, params)
        rows = sum(len(u.indices) for u in units)
        sim = cov._Similarity(np.eye(rows), units, params.redundancy)
        weights = cov.concept_weights(units, len(texts), params)
        pool = list(range(len(units)))
        for words in (15, 30, 60, 120, 400):
            assert cov._fill(units, pool, weights, sim, words, None, params, []) == \
                plain(units, pool, weights, sim, words, None, params, [])
