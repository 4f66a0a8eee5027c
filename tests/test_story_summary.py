"""Story summaries that read on their own, and their provenance (fictional text)."""

from __future__ import annotations

import pytest

from storydesk.summarize import StoryArticle, split_sentences, summarize_story
from storydesk.summarize.multi import summary_sources
from storydesk.summarize.names import name_before_introduction
from storydesk.summarize.provenance import FactJudge, stating_sentences, word_match
from storydesk.summarize.readability import (
    first_person_without_speaker,
    fragment_reason,
    needs_predecessor,
    opening_connective,
    opening_pronoun,
    opens_with_quote,
    quote_with_pronoun_speaker,
    quote_without_speaker,
    summary_problems,
)

# Three made-up reports of one made-up event. The central sentences of the second and
# third open with a quotation or a pronoun; the mayor's words appear as a bare quote.
B1 = "\n".join([
    "Dam gates opened at Lake Verin",
    "",
    "Engineers opened the floodgates of the Verin dam on Monday after heavy rain raised "
    "the lake to a record level, officials in Oskar County said.",
    "Residents of 300 homes below the Verin dam were evacuated on Monday on the orders "
    "of Mayor Tilda Harn.",
    "\"The Verin dam is safe and the floodgates will stay open until the lake level "
    "falls,\" the county engineer said on Monday.",
    "The lake level rose by two metres in three days of heavy rain.",
])
B2 = "\n".join([
    "Hundreds leave homes below Verin dam",
    "",
    "Residents of 300 homes below the Verin dam were evacuated on Monday as engineers "
    "opened the floodgates after record rain.",
    "Tilda Harn, the mayor of Oskar County, visited the evacuation centre in Brill.",
    "She said the Verin dam floodgates would stay open until the lake level falls.",
    "\"We are not taking any chances with the Verin dam,\" added the mayor.",
])
B3 = "\n".join([
    "Verin dam: floodgates open",
    "",
    "\"The lake level is at a record and the Verin dam floodgates are open,\" the "
    "county engineer told reporters in Oskar County on Monday.",
    "It was the first time the floodgates of the Verin dam had been opened since 1987.",
    "\"Nobody below the Verin dam should go back before Thursday.\"",
    "Heavy rain is forecast to ease by Wednesday across Oskar County.",
])
STORY = [StoryArticle(1, B1, "Verin Post"), StoryArticle(2, B2, "Brill Courier"),
         StoryArticle(3, B3, "County Radio")]
TEXTS = {1: B1, 2: B2, 3: B3}


def _sentence(aid: int, idx: int) -> str:
    return split_sentences(TEXTS[aid])[idx]


# ------------------------------------------------------------------ the rules


def test_rules_on_single_sentences() -> None:
    assert opens_with_quote('"We will win," she said.')
    assert opens_with_quote("``We will win,'' she said.")
    assert not opens_with_quote("She said: \"We will win.\"")
    assert opening_pronoun("He resigned on Friday.") == "he"
    assert opening_pronoun("These measures failed.") == "these"
    assert opening_pronoun("This morning the bridge reopened.") is None  # a time, not back
    assert opening_pronoun("There were no injuries.") is None
    assert opening_pronoun("Herbert resigned on Friday.") is None
    # a pronoun with a clitic points back as much as the pronoun alone
    assert opening_pronoun("He's the former player who went on a rampage.") == "he"
    assert opening_pronoun("They’re expected to vote on Monday.") == "they"
    assert opening_pronoun("That's why the vote failed.") == "that"
    assert opening_pronoun("Here's what happened at the dam.") is None
    # the others, of a group told before
    assert opening_pronoun("Other residents were moved to the school.") == "other"
    assert opening_pronoun("Others waited at the harbour.") == "others"
    assert opening_pronoun("Other than the dam, nothing was damaged.") is None
    assert opening_pronoun("Seven others on board were taken to a hospital.") == "seven others"
    assert opening_pronoun("The others escaped.") == "the others"
    assert opening_pronoun("Seven people on board were taken to a hospital.") is None
    assert quote_without_speaker('"Nobody should go back before Thursday."')
    assert not quote_without_speaker('"Nobody should go back," the mayor said.')
    assert not quote_without_speaker('The mayor told reporters: "Nobody should go back."')
    assert needs_predecessor("But the mayor disagreed with the engineers.")
    assert not needs_predecessor("The mayor disagreed with the engineers.")


def test_first_person_or_a_pronoun_speaker_needs_who_speaks() -> None:
    """A quotation printed without its marks (the first person, nothing attributing it)
    and a quotation put to "he said" with no name before it lean on an earlier sentence;
    Roman numerals, "US" and attributed first person do not."""
    assert first_person_without_speaker("I can't wait to get back to Brill.")
    assert first_person_without_speaker("We all saw this coming, to be honest.")
    assert first_person_without_speaker("The flood was, I think, the worst in years.")
    assert not first_person_without_speaker("World War I ended the old county.")
    assert not first_person_without_speaker("Henry I was crowned in Brill.")
    assert not first_person_without_speaker("The US sent two engineers to the dam.")
    assert not first_person_without_speaker("Give us time, the mayor said.")
    assert not first_person_without_speaker('"We are safe," residents told reporters.')
    assert needs_predecessor("I can't wait to get back to Brill.")
    assert quote_with_pronoun_speaker('At the dam on Monday, he said, "It is safe."', None)
    assert not quote_with_pronoun_speaker('When Harn arrived, she said: "It is safe."', None)
    assert not quote_with_pronoun_speaker('Harn said he was "not worried".', None)
    assert needs_predecessor('At the dam on Monday, he said, "It is safe."')
    problems = summary_problems([("The Verin dam opened its gates on Monday.", (1, 0)),
                                 ("I can't wait to get back to Brill.", (2, 5))])
    assert problems == ["sentence 2 quotes a speaker it does not name: "
                        "\"I can't wait to get back to Brill.\""]


@pytest.mark.parametrize(
    "sentence, reason",
    [
        ("The bridge reopened on Friday.", None),
        ("Rain fell across the county all week.", None),
        ("the bridge reopened on Friday.", "lower-case start"),
        ("The bridge reopened on Friday", "no final punctuation"),
        ("6 rattled the valley early on Thursday.", "starts with a figure"),
        ("The mayor told L.", "ends mid-sentence"),
        ("The new laptops run at up to 2.", "ends mid-sentence"),
        ("According to police, the man had a.", "ends mid-sentence"),
        ("A new bridge for the old town of Brill.", "no verb"),
        ("Mayor Orders Evacuation Below Verin Dam!", "title case (a headline)"),
        ("The quake struck at a depth of 10 kilometres (6.", "ends inside brackets"),
        ("The quake (a strong one) struck at dawn.", None),
        ("Made her way to the third floor, where she met two workers.", "no subject"),
        ("Walked into the office and fired twice.", "no subject"),
        ("Headquartered in Brill, the firm has 350 employees.", None),
        ("Dubbed the Oddfather for his ways, Gigante won often.", None),
        ("Need the river rise further before the dam opens?", None),
        ("Added to that is the cost of the new bridge.", None),
        ("Q. (italics)Earlier this month the council said rents would stay soft.",
         "an interview's question mark"),
    ],
)
def test_fragment_reason(sentence: str, reason: str | None) -> None:
    assert fragment_reason(sentence) == reason


def test_fragment_inside_brackets_in_any_language() -> None:
    assert fragment_reason("Das Beben lag in 10 Kilometern Tiefe (6.", language="de") == \
        "ends inside brackets"
    assert fragment_reason("Das Beben lag in 10 Kilometern Tiefe.", language="de") is None


def test_summary_problems_pronoun_with_and_without_its_referent() -> None:
    ok = [("Mayor Harn visited the centre.", (2, 1)), ("She said the gates stay open.", (2, 2))]
    assert summary_problems(ok) == []
    # The same pronoun sentence after a sentence of another article dangles.
    bad = [("Engineers opened the gates.", (1, 1)), ("She said the gates stay open.", (2, 2))]
    assert len(summary_problems(bad)) == 1 and "'she'" in summary_problems(bad)[0]
    assert summary_problems([('"The gates are open," he said.', (3, 1))])
    # a count of people named before points back as a pronoun does
    two = [("Engineers opened the gates.", (1, 1)),
           ("The two directed the repairs for a decade.", (2, 2))]
    assert len(summary_problems(two)) == 1 and "'the two'" in summary_problems(two)[0]
    assert summary_problems([("Both of the bridges reopened on Friday.", (1, 0))]) == []
    for lean in ("One lived near the harbour.", "Among them is the mayor of Brill.",
                 "Two of them were charged on Monday.",
                 "Since the 1990s, his works have sold well."):
        assert summary_problems([("Engineers opened the gates.", (1, 1)), (lean, (2, 4))]), lean
    for alone in ("One person was hurt in the blast.", "Among those hurt was the mayor.",
                  "Both Vell and Harn spoke on Monday.", "After Vell resigned, she left Brill.",
                  "The he-said, she-said row went on for weeks."):
        assert summary_problems([("Engineers opened the gates.", (1, 1)), (alone, (2, 4))]) \
            == [], alone
    well = [("Engineers opened the gates.", (1, 1)),
            ("As well, the council has paid for the repairs.", (2, 2))]
    assert "'as well'" in summary_problems(well)[0]


# ------------------------------------------------------------------ the summary


def test_story_summary_reads_on_its_own() -> None:
    for n in (2, 3, 4, 5):
        out = summarize_story(STORY, n_sentences=n)
        assert out
        assert summary_problems([(s.text, s.origin) for s in out]) == []
        assert not opens_with_quote(out[0].text) and opening_pronoun(out[0].text) is None
        assert not any(quote_without_speaker(s.text) for s in out)


def test_pronoun_sentence_comes_with_its_predecessor_or_not_at_all() -> None:
    out = summarize_story(STORY, n_sentences=5)
    origins = [s.origin for s in out]
    for k, s in enumerate(out):
        if opening_pronoun(s.text) or opens_with_quote(s.text):
            assert k > 0 and s.origin is not None
            prev = origins[k - 1]
            assert prev == (s.origin[0], s.origin[1] - 1)  # the sentence before it, shown


def test_quote_appears_with_its_speaker() -> None:
    out = summarize_story(STORY, n_sentences=5)
    texts = [s.text for s in out]
    assert "\"Nobody below the Verin dam should go back before Thursday.\"" not in texts
    for s in out:
        if '"' in s.text:
            assert not quote_without_speaker(s.text)


def test_opens_with_what_happened_and_says_each_fact_once() -> None:
    out = summarize_story(STORY, n_sentences=3)
    first = out[0]
    assert first.origin is not None and first.origin[1] == 1  # an article's opening
    assert "floodgates" in first.text and "Monday" in first.text
    # the floodgates opening is said once
    assert sum("opened the floodgates" in s.text or "floodgates opened" in s.text
               for s in out) == 1


def test_provenance_lists_every_sentence_stating_it() -> None:
    out = summarize_story(STORY, n_sentences=3)
    candidates = [((aid, i), t) for aid, text in TEXTS.items()
                  for i, t in enumerate(split_sentences(text))]
    judge = word_match([t for _, t in candidates])
    for s in out:
        assert s.origin in s.sources
        want = [k for k, t in candidates if k == s.origin or judge(_sentence(*s.origin), t)]
        assert s.sources == sorted(want)
        assert s.outlets == len({a for a, _ in s.sources})
    evac = next(s for s in summarize_story(STORY, n_sentences=5) if "300 homes" in s.text)
    stating = {a for a, i in evac.sources if "300 homes" in _sentence(a, i)}
    assert stating == {1, 2}  # both outlets that report the evacuation are listed


def test_a_fact_judge_plugs_in() -> None:
    """A judge that knows two wordings say one thing makes the fact "reported by 2"."""
    a = "The county closed Brill bridge to all traffic on Tuesday."
    b = "Nobody can drive across the river at Brill since Tuesday, officials said."
    arts = [StoryArticle(1, a + " Repairs will take a month, engineers said."),
            StoryArticle(2, b + " The detour adds twenty minutes for drivers.")]
    plain = summarize_story(arts, n_sentences=2)
    [first] = [s for s in plain if s.origin in {(1, 0), (2, 0)}]
    assert first.sources == [first.origin] and first.outlets == 1

    def judge(x: str, y: str) -> bool:
        return x == y or {x, y} == {a, b}

    judged = summarize_story(arts, n_sentences=2, judge=FactJudge.from_predicate(judge))
    [first] = [s for s in judged if s.origin in {(1, 0), (2, 0)}]
    assert first.sources == [(1, 0), (2, 0)] and first.outlets == 2
    # the same lookup, called directly
    cands = [((1, 0), a), ((2, 0), b), ((2, 1), "The detour adds twenty minutes.")]
    assert summary_sources(cands, [(1, 0, a)], judge) == [[(1, 0), (2, 0)]]
    assert stating_sentences(a, cands, judge, shown=(1, 0)) == [(1, 0), (2, 0)]


def test_word_budget_and_sentence_count() -> None:
    out = summarize_story(STORY, words=45)
    assert out and sum(len(s.text.split()) for s in out) <= 45
    assert len(summarize_story(STORY, n_sentences=2)) <= 2


def test_what_outlets_add_comes_in_time_order() -> None:
    """After what happened, the other sentences follow their articles' dates."""
    dated = [StoryArticle(1, B1, "Verin Post", "2026-03-03"),
             StoryArticle(2, B2, "Brill Courier", "2026-03-01"),
             StoryArticle(3, B3, "County Radio", "2026-03-02")]
    day = {1: "2026-03-03", 2: "2026-03-01", 3: "2026-03-02"}
    out = summarize_story(dated, n_sentences=5)
    assert len({s.origin[0] for s in out if s.origin}) >= 2
    rest = [(day[s.origin[0]], s.origin[1]) for s in out[1:] if s.origin]
    assert rest == sorted(rest)
    undated = summarize_story(STORY, n_sentences=5)
    rest = [s.origin for s in undated[1:] if s.origin]
    assert rest == sorted(rest)  # as given


def test_first_sentence_says_when() -> None:
    """Of two article openings, the one that says when it happened comes first."""
    c1 = ("President Arlo Venn must now decide whether to call early elections in Tessaly "
          "after the coalition lost its majority in parliament.\n"
          "The coalition lost its majority in parliament over the budget of Tessaly.")
    c2 = ("The Green Party of Tessaly voted on Sunday to leave the coalition, and the "
          "coalition lost its majority in parliament.\n"
          "President Arlo Venn must now decide whether to call early elections in Tessaly.")
    for arts in ([(1, c1), (2, c2)], [(2, c2), (1, c1)]):
        out = summarize_story(arts, n_sentences=3)
        assert out[0].text.startswith("The Green Party of Tessaly voted on Sunday")


def test_word_match_inside_and_outside_the_story() -> None:
    texts = ["The Verin dam floodgates were opened on Monday.",
             "Engineers opened the Verin dam floodgates on Monday morning.",
             "Heavy rain is forecast to ease by Wednesday."]
    same = word_match(texts)
    assert same(texts[0], texts[1]) and not same(texts[0], texts[2])
    # a sentence the story does not hold is compared with IDF over the story and the pair
    assert same("On Monday the Verin dam floodgates were opened by engineers.", texts[1])
    assert not same("The mayor of Brill visited a school.", texts[1])


def test_a_fact_judge_also_keeps_a_fact_from_being_said_twice() -> None:
    """Two openings that say one thing in other words, sharing a few words: the word-level
    checks let both in; a judge that knows they are one fact keeps one (it is asked
    because the containment filter passes the pair)."""
    a = "The Angels offered first baseman Rico Tess an eight-year deal on Friday night."
    b = "An eight-year contract for Tess is on the table in Anaheim, his agent told reporters."
    arts = [StoryArticle(1, a + "\nTess hit 33 home runs for Boston last season."),
            StoryArticle(2, b + "\nThe Nationals are said to have bid $160 million for Tess.")]
    plain = summarize_story(arts, n_sentences=3)
    assert {(1, 0), (2, 0)} <= {s.origin for s in plain}

    def judge(x: str, y: str) -> bool:
        return x == y or {x, y} == {a, b}

    judged = summarize_story(arts, n_sentences=3, judge=FactJudge.from_predicate(judge))
    assert len({(1, 0), (2, 0)} & {s.origin for s in judged}) == 1


def test_name_before_introduction() -> None:
    """A name used alone before the sentence that writes it in full is found; a leading
    "The" is not part of a name, and a name written in full first is fine."""
    assert name_before_introduction([
        "Floodgates opened at Lake Verin on Monday.",
        "Harn would not say when the gates close.",
        "The order came from the county mayor, Tilda Harn.",
    ]) == [("Harn", 1, 2)]
    assert name_before_introduction([
        "Tilda Harn ordered the evacuation.", "Harn visited Brill.",
    ]) == []
    assert name_before_introduction(["The Rangers won.", "The Verin Rangers lost."]) == []
    assert name_before_introduction(["卡尔斯克 发生 地震。", "地震。"], "zh") == []


def test_a_name_is_written_in_full_before_it_is_used_alone() -> None:
    """The summary's order puts the sentence that introduces a person before one that
    names them by surname alone, whatever the articles' order; the opening stays first."""
    a1 = ("Floodgates of the Verin dam were opened on Monday after record rain in Oskar "
          "County.\nHarn would not say when the floodgates of the Verin dam will close.")
    a2 = ("The Verin dam floodgates were opened on Monday as the lake rose in Oskar "
          "County.\nThe order to open them came from the county mayor, Tilda Harn, "
          "after a night of record rain.")
    for arts in ([(1, a1), (2, a2)], [(2, a2), (1, a1)]):
        out = [s.text for s in summarize_story(arts, n_sentences=4)]
        harn = [k for k, t in enumerate(out) if "Harn" in t]
        assert len(harn) == 2, out
        assert "Tilda Harn" in out[harn[0]], out
        assert name_before_introduction(out) == []


def test_summary_problems_flags_an_english_opening_connective_without_its_predecessor() -> None:
    summary = [("Floodgates of the Verin dam were opened on Monday.", (1, 0)),
               ("However, the lake kept rising through the night.", (2, 4))]
    assert any("'However'" in p or "'however'" in p for p in summary_problems(summary))
    assert summary_problems([summary[0], (summary[1][0], (1, 1))]) == []


def test_the_middle_of_a_quotation_is_not_shown_without_its_speaker() -> None:
    from storydesk.summarize.readability import continues_quote, inside_quotation

    lines = ["“I didn't know the storm would close the harbour.",
             "People forget the pier stood for a hundred years.",
             "I'm not just a harbour master. ”",
             "Mayor Olga Brandt reopened the Karsk harbour on Monday."]
    assert inside_quotation(lines) == [False, True, True, False]
    assert continues_quote("Nothing bad is going to happen. \"")
    assert not continues_quote("The port reopened on Monday.")
    # a new paragraph of the same quotation opens again; a stray mark is not held open
    assert inside_quotation(['"We will rebuild.', '"We always have," she said.',
                             "The port reopened."]) == [False, False, False]
    assert inside_quotation(['A stray "Mark.'] + ["The port reopened."] * 6) == [
        False, True, True, True, True, False, False]
    # German „...“ and »...« close with their own marks
    assert inside_quotation(["Er sagte: „Wir bauen neu.“", "Der Hafen ist offen.",
                             "Sie sagte: »Gut.«", "Dann ging sie."]) == [False] * 4
    # a story summary takes the quotation's middle only with its speaker, or not at all
    from storydesk.settings import CoverageParams
    from storydesk.summarize.coverage import build_units

    texts = ["Mayor Olga Brandt spoke at the Karsk harbour on Monday.",
             "She said: “The storm closed the Karsk harbour for twelve days.",
             "The fishing fleet lost a whole month of catches at the Karsk harbour.",
             "We will rebuild the Karsk pier and the fish market. ”",
             "The Karsk harbour reopened on Monday after twelve days."]
    units = build_units([(0, i, i, t) for i, t in enumerate(texts)], CoverageParams())
    assert [u.indices for u in units] == [(0,), (0, 1), (4,)]
    # where the quotation opens in a sentence that reads on its own, the two go together
    texts[1] = "Mayor Brandt said: “The storm closed the Karsk harbour for twelve days."
    units = build_units([(0, i, i, t) for i, t in enumerate(texts)], CoverageParams())
    assert [u.indices for u in units] == [(0,), (1,), (1, 2), (4,)]


def test_a_quotation_shown_without_its_next_sentence_is_closed() -> None:
    from storydesk.summarize.marks import close_quotation

    assert close_quotation('Mayor Brandt said: "The harbour is open.') == \
        'Mayor Brandt said: "The harbour is open."'
    assert close_quotation("Brandt said, ``No, I don't resign.") == \
        "Brandt said, ``No, I don't resign.''"
    assert close_quotation("Sie sagte: „Der Hafen ist offen.") == \
        "Sie sagte: „Der Hafen ist offen.“"
    for same in ('She said "open" on Monday.', "No quotation here.",
                 'Cut short "in the middle', '“One “two three.'):
        assert close_quotation(same) == same


def test_a_quotation_over_sentences_shown_together_is_closed_after_the_last() -> None:
    from storydesk.summarize.marks import close_runs

    shown = ["Mayor Brandt said the pier was shut “because the crane is unsafe.",
             "Nobody goes near it.", "The Karsk ferry sails on Monday."]
    # the first two are one article's consecutive sentences; the article's third, which
    # closes the quotation, is not shown
    assert close_runs(shown, [True, False, False]) == [
        shown[0], "Nobody goes near it.”", shown[2]]
    # shown apart, the first is closed itself
    assert close_runs(shown, [False, False, False]) == [
        shown[0] + "”", shown[1], shown[2]]
    closed = ['Brandt said: "The pier is shut."', "Nobody goes near it."]
    assert close_runs(closed, [True, False]) == closed


def test_a_question_asked_in_the_summarys_own_voice_is_left_out() -> None:
    from storydesk.settings import CoverageParams
    from storydesk.summarize.coverage import build_units
    from storydesk.summarize.readability import asks_question

    assert asks_question("Did the harbour of Karsk reopen too early?")
    assert asks_question("港口为什么关闭了？")
    assert not asks_question('"Why now?" Mayor Olga Brandt asked on Monday.')
    assert not asks_question("Mayor Brandt asked: ``Who pays for the pier?")
    texts = ["Should the Karsk harbour have stayed closed for two more weeks?",
             "The Karsk harbour reopened on Monday after twelve days."]
    units = build_units([(0, i, i, t) for i, t in enumerate(texts)], CoverageParams())
    assert [u.indices for u in units] == [(1,)]
    assert summary_problems([(texts[0], (0, 0))]) == [
        f"sentence 1 asks a question: {texts[0][:60]!r}"]


def test_outlets_openings_that_tell_one_event_are_shown_once() -> None:
    from storydesk.settings import CoverageParams, RedundancyParams, StoryParams

    arts = [(1, "Armed robbers stole jewels worth 80 million euros from a Karsk jeweller on "
                "Thursday, police said.\nThe robbers escaped in a grey van towards the "
                "harbour.\nInsurers said the jewels were covered."),
            (2, "A gang raided a luxury jeweller in central Karsk on Thursday, taking rings "
                "worth 80 million euros.\nPolice searched the harbour for the grey van until "
                "midnight.\nThe boutique reopened on Saturday with new guards."),
            (3, "Thieves dressed as women fled the Karsk shop in a grey van with rings and "
                "watches.\nThe interior minister called it the largest theft in Ostmark.\n"
                "A reward was offered for information on the gang.")]

    def openings(params: StoryParams) -> list[tuple[int, int]]:
        out = summarize_story(arts, n_sentences=4, params=params)
        assert len(out) == 4
        return [s.origin for s in out if s.origin is not None and s.origin[1] == 0]

    assert openings(StoryParams()) == [(1, 0)]  # what else the outlets say instead
    off = StoryParams(coverage=CoverageParams(redundancy=RedundancyParams(event_openings=0)))
    assert openings(off) == [(1, 0), (3, 0)]  # the third outlet tells the robbery again


def test_openings_that_tell_one_event_are_shown_once_with_no_event_words() -> None:
    # the third outlet opens on another angle, so no word is in every opening (the story
    # has no event words); the first two openings share "Karsk", "boutique", "Thursday"
    from storydesk.settings import CoverageParams, RedundancyParams, StoryParams

    arts = [(0, "Four armed robbers dressed as women made off with jewels from the Lind "
                "boutique in Karsk on Thursday. The boutique had been robbed once before, "
                "in 2024."),
            (1, "A gang of thieves in wigs raided a famed Karsk boutique on Harbour Street on "
                "Thursday and escaped in a grey van. The staff were unhurt."),
            (2, "Insurers in Velgrad expect claims to rise, a trade group said on Friday. "
                "Thieves in wigs raided a famed jeweller on Harbour Street and escaped in a "
                "grey van. The group wants more police patrols.")]

    def openings(params: StoryParams) -> list[tuple[int, int]]:
        return [s.origin for s in summarize_story(arts, n_sentences=3, params=params)
                if s.origin is not None and s.origin[1] == 0]

    assert (0, 0) not in openings(StoryParams())
    off = StoryParams(coverage=CoverageParams(redundancy=RedundancyParams(opening_terms=0)))
    assert {(0, 0), (1, 0)} <= set(openings(off))  # the robbery told twice


def test_a_time_told_from_the_sentence_before_points_back() -> None:
    for s in ("Less than two weeks later, the Karsk harbour master was arrested.",
              "The next day, the harbour reopened.", "Earlier, officials had warned of a storm.",
              "Years later, the pier was rebuilt."):
        assert opening_connective(s) is not None and needs_predecessor(s), s
    for s in ("Later Tuesday, the harbour reopened.", "Earlier this week, the harbour closed."):
        assert opening_connective(s) is None, s
    assert opening_connective("In fact, the harbour never closed.") == "in fact"
    assert opening_connective("Again, the ferry could not dock.") == "again"
    assert opening_connective("Since then, the ferry has not docked.") == "since then"
    assert opening_connective("At that point, the mayor left.") == "at that point"


def test_the_rest_of_a_sentence_cut_at_a_line_break_is_a_fragment() -> None:
    assert fragment_reason("(KSC), a shipping company based in Karsk, owns the pier.") == \
        "goes on from the sentence before"
    assert fragment_reason(", dann hätten die Flammen sich ausgebreitet.", language="de") == \
        "goes on from the sentence before"
    assert fragment_reason("(Reuters) The Karsk harbour reopened on Monday.") is None
    assert fragment_reason("NOTES: Karsk FC's keeper left with a knee injury.") == \
        "opens with a label"
    assert fragment_reason("READ MORE: Karsk harbour reopens.") == "opens with a label"
    # a teaser or a quotation cut off, in any language
    for cut in ("The Karsk ferry was stopped when the storm hit the harbour of...",
                "The mayor of Karsk said the pier would reopen within the …",
                'Brandt said: "The harbour stays shut . . ."'):
        assert fragment_reason(cut) == "ends on an ellipsis", cut
    assert fragment_reason("Der Hafen von Karsk bleibt geschlossen …", language="de") == \
        "ends on an ellipsis"
    assert fragment_reason("The ferry paused... then sailed to Karsk.") is None


def test_a_quotation_whose_speaker_comes_after_it_is_not_paired_with_the_sentence_before() -> None:
    from storydesk.settings import CoverageParams
    from storydesk.summarize.coverage import build_units
    from storydesk.summarize.readability import quote_runs_on

    assert quote_runs_on('"The ferry turned back towards the harbour.')
    assert not quote_runs_on('"The ferry turned back," the captain said.')
    texts = ["The Karsk ferry was caught in the storm on Monday.",
             '"The ferry turned back towards the harbour.',
             'All 212 passengers were safe, " the captain said.']
    units = build_units([(0, i, i, t) for i, t in enumerate(texts)], CoverageParams())
    assert [u.indices for u in units] == [(0,)]  # not the quotation without its speaker
    texts[1:] = ['"The ferry turned back towards the harbour," the captain said.',
                 "The storm passed by the evening."]
    units = build_units([(0, i, i, t) for i, t in enumerate(texts)], CoverageParams())
    assert [u.indices for u in units] == [(0,), (0, 1), (2,)]


def test_a_straight_mark_before_punctuation_or_a_lower_case_word_opens_no_quotation() -> None:
    from storydesk.summarize.readability import inside_quotation

    # it closes a quotation opened sentences before, as scraped and translated text has it
    assert inside_quotation(['a celebrare la festa religiosa", ha detto il sindaco.',
                             "Ha aggiunto che il porto resta aperto."]) == [False, False]
    assert inside_quotation(['Mayor Brandt said, "The port stays open.',
                             "It will reopen on Monday.\""]) == [False, True]


def test_a_reply_or_an_aside_leans_on_the_sentence_before() -> None:
    for s in ("Right, the harbour never had a second crane.", "Well, the ferry left anyway.",
              "All right, so the ferry will not sail this week.",
              "Not only that, but the mayor resigned.", "Worse still, the pier flooded.",
              "For that reason, the ferry stays in Karsk.",
              "With that in mind, the council met on Monday.",
              "No, the mayor did not resign.", "Of course, the pier stayed shut.",
              "That said, the harbour master was hopeful."):
        assert opening_connective(s) is not None and needs_predecessor(s), s
    assert opening_connective("No one was hurt in the collapse.") is None
    assert fragment_reason("(Fares on the north line have risen too.)") == "an aside in brackets"
    assert fragment_reason("(Fares auf der Nordlinie sind gestiegen.)", language="de") == \
        "an aside in brackets"
    assert fragment_reason("Fares rose (as the harbour expected).") is None


def test_a_photo_credit_or_caption_glued_to_a_sentence_is_chrome() -> None:
    from storydesk.summarize.single import CHROME, CHROME_ANYWHERE, is_summary_sentence

    for s in ("(Photo by Ana Lind/Getty Images) Karsk Harbour FC signed a new goalkeeper.",
              "The mayor toured the pier during a visit: Getty The mayor was criticised later.",
              "Police said the diver was found. media_camera Ana Lind, 20, was a student.",
              "Image copyright Meridian Image caption Thousands marched to the harbour.",
              "(Courtesy of Karsk Harbour) Ana Lind is the new harbour master of Karsk.",
              "December 31, 2026 4 min read Opinions expressed by Meridian contributors are "
              "their own.",
              "Karsk's goalkeeper is healthy enough to play now CLOSE At 30, Ana Lind said "
              "she has more football left in her.",
              "Karsk Harbour FC: why the loss hurts KARSK, OSTMARK - MARCH 17: Ana Lind of "
              "Karsk Harbour FC walks off the field."):
        assert not is_summary_sentence(s), s
        assert CHROME_ANYWHERE.search(s) or CHROME.match(s), s  # the pattern, not a hint
    for s in ("The photo agency Getty said it would appeal the ruling on Monday.",
              "Lind, a former AP photographer, said the pictures of the pier were real.",
              "The missing link between the two ferry lines of Karsk was a bridge."):
        assert is_summary_sentence(s), s
    # a blog's byline
    assert not is_summary_sentence("On behalf of Lind & Renko, LLP. posted in Ferry "
                                   "Accidents on Friday, September 20, 2026.")
    assert is_summary_sentence("The firm acted on behalf of the crew, whose letter was "
                               "posted on its website.")
    # a sentence pointing at the page's links
    for s in ("The Karsk timetable is available from this link.",
              "Passengers can register for updates on the ferry at the link below."):
        assert not is_summary_sentence(s), s
        assert CHROME_ANYWHERE.search(s), s


def test_naming_or_judging_what_was_told_before_as_it_leans_back() -> None:
    _lean(("The harbour office called it a disgrace.",
           "Authorities have described them as reckless."),
          ("Lind, who saw the ferry sink, called it a disgrace.",
           "The harbour office called its report a disgrace."))


def test_reported_speech_put_to_a_pronoun_leans_on_the_sentence_before() -> None:
    assert needs_predecessor("The ferry will sail again once the pier is mended, he said.")
    assert needs_predecessor("The new law falls short of what the harbour needs, she wrote.")
    assert not needs_predecessor("The ferry will sail again on Monday, the harbour master said.")
    _lean(("The ferry will sail again on Monday, the newspaper reported.",
           "No one was hurt, the station said."), ("No one was hurt, the police said.",))
    assert not needs_predecessor("Ana Lind said he would sail again on Monday.")
    # the name the pronoun stands for opens the sentence
    assert not needs_predecessor("Harbour master Ana Lind believes the ferry will sail "
                                 "again once the pier is mended, she said.")
    # a name that is what is reported is not the speaker; the pronoun also leans within
    # the sentence, or after an opening phrase that names no one
    _lean(("The Karsk Ferry Company is not sure what caused the delay, she said.",
           "Ana Lind lived in that house on the pier, he said.",
           "The ferry, she said, will sail again once the pier is mended.",
           "Karsk will mend the pier, he said, but only if the council pays.",
           "Speaking to reporters, they said the ferry would sail on Monday."),
          ("While Lind could not say when, she noted that the ferry would sail.",))


def test_it_or_them_after_an_opening_preposition_or_a_role_with_an_age_leans_back() -> None:
    _lean(("In it, the mayor called on the council to mend the pier.",
           "Without it, the ferry company is unlikely to sail before May.",
           "The harbour master, 58, retired on Friday."),
          ("In its report, the council called for a new pier.",
           "The harbour master Ana Lind, 58, retired on Friday."))


def test_a_description_that_only_names_what_was_said_before_leans_back() -> None:
    for s in ("The exception was Karsk, which kept its ferry.", "The answer is far from clear.",
              "The result strengthened the mayor's hand.", "The latter said no."):
        assert opening_pronoun(s) is not None and needs_predecessor(s), s
    assert opening_pronoun("The former said no, the latter yes.") == "the former"
    for s in ("The reason for the delay was a storm.", "The results of the vote came late.",
              "The exceptionally calm sea helped the divers.",
              "The former harbour master of Karsk was arrested on Monday."):
        assert opening_pronoun(s) is None, s


def test_a_document_introduced_or_a_police_appeal_is_no_summary_sentence() -> None:
    from storydesk.summarize.single import is_summary_sentence

    for s in ("Following are excerpts from the harbour report issued on Thursday: FINDING The "
              "pier was unsafe.", "Here is the transcript of the mayor's announcement.",
              "Anyone with information is asked to call Karsk police on 0845 125 2222."):
        assert not is_summary_sentence(s), s
    assert is_summary_sentence("The following year, the Karsk harbour reopened to ferries.")
    for s in ("Previously, the date of the sailing was leaked.",
              "Now, the company has to get serious about ferries."):
        assert needs_predecessor(s), s
    assert not needs_predecessor("Now the ferry sails twice a day.")


def test_a_pronoun_after_a_phrase_of_place_or_time_leans_back() -> None:
    for s in ("In Karsk's old harbour district, he shot a customs officer.",
              "In February, she became the first mayor to visit the pier.",
              # a tokenizer's spaced hyphen, as ECB+ prints one
              "After a quarter - century of silence, he spoke of the pier.",
              # two or three such phrases
              "At one point, rather than answer the council, she walked out of the hall."):
        assert opening_pronoun(s) in ("he", "she") and needs_predecessor(s), s
    assert opening_pronoun("After Ana Lind resigned, she left Karsk.") is None
    for s in ("Last week, it also refused to open the Karsk pier.",
              "On Monday, it rejected the mayor's plan for the pier."):
        assert opening_pronoun(s) == "it" and needs_predecessor(s), s
    for s in ("If the two ferry companies merge, it would create the largest in Karsk.",
              "On Monday, it was announced that the Karsk pier would reopen."):
        assert opening_pronoun(s) != "it", s
    assert opening_pronoun("At one point, after Ana Lind resigned, she left Karsk.") is None


def test_a_pronoun_subject_of_an_opening_clause_leans_back() -> None:
    for s in ("When he turned he saw the fire on the pier.",
              "As they stepped off the Karsk ferry, one after the other, they looked sad.",
              "Although her term ends in May, the mayor opened the pier.",
              "The last time they were seen in Karsk, they were fishing off the pier.",
              "Even though he was warned, the skipper sailed out of Karsk.",
              "Whether they will come back to Karsk is anyone's guess."):
        assert opening_pronoun(s) in ("he", "they", "her") and needs_predecessor(s), s
    # a name after the clause is whom the pronoun stands for
    assert not needs_predecessor("After she left the clinic, Ana Lind flew to Karsk.")
    assert not needs_predecessor("Even though he was warned, Ivo Brandt sailed out.")
    assert not needs_predecessor("When it comes to ferries, Karsk has three.")


def _lean(leaning: tuple[str, ...], alone: tuple[str, ...] = ()) -> None:
    """Each of ``leaning`` needs the sentence before it; none of ``alone`` does."""
    for s in leaning:
        assert needs_predecessor(s), s
    for s in alone:
        assert not needs_predecessor(s), s


def test_what_is_told_beside_or_besides_earlier_news_leans_back() -> None:
    _lean(("In another landslide, a farm road near Karsk was buried on Thursday.",
           "In a separate report, the harbour board said the pier would stay shut.",
           "At the same meeting, the mayor of Karsk promised new dykes.",
           "The other ferry reached Port Adler before dawn.",
           "The only other problem was a broken crane at the Karsk pier.",
           "None of the other boats in the Karsk harbour was damaged.",
           "Seven other fishermen were hiding in the Karsk boathouse.",
           "Another 19 residents of Karsk were treated for cuts.",
           "Rescuers pulled another five people from the Karsk ferry.",
           "Another reason is that the Karsk pier has no crane.",
           "Another problem was the broken crane of the Karsk pier."),
          ("The other day the Karsk harbour master retired after 30 years.",
           "Another storm of that size would flood the Karsk pier.",
           "Another fisherman was killed off Karsk on Monday.",
           "Ana Lind and other residents of Karsk asked for new dykes.",
           "About 1,000 people marched in Karsk and another 1,000 in Port Adler.",
           "The Karsk pier will stay shut for another three weeks.",
           "In a statement on Friday, the harbour board of Karsk closed the pier."))


def test_what_was_told_before_as_that_leans_back() -> None:
    _lean(("In exchange for that, the Karsk council pays for the new crane.",
           "To do that, the harbour board of Karsk hired two divers.",
           "Three years after that, the Karsk pier was rebuilt.",
           "The fishermen of Karsk are happy with that.",
           "Two storms changed all that in March in Karsk.",
           "The harbour board of Karsk said this would delay the new pier."),
          ("The Karsk council agreed that the crane was unsafe.",
           "The fishermen of Karsk said that the pier was unsafe.",
           "Three years after the flood, the Karsk pier was rebuilt.",
           "The harbour board of Karsk said this week that the pier would reopen."))


def test_neither_of_what_was_told_leans_back() -> None:
    _lean(("Neither claim could be confirmed independently.",
           "Neither side expects the Karsk pier to reopen soon.",
           "Neither did the harbour master of Karsk."),
          ("Neither Ana Lind nor the mayor would comment.",
           "Neither the harbour nor the pier was damaged."))


def test_a_noun_that_only_stands_for_a_step_told_before_leans_back() -> None:
    _lean(("The decision came less than three hours after the pier collapsed.",
           "The procedure is part of the Karsk harbour agreement.",
           "The deal, which makes Ana Lind harbour master, ended the dispute.",
           "The attack took place on Tuesday near the Karsk pier."),
          ("The decision to close the Karsk pier angered fishermen.",
           "The attack on the Karsk pier killed two guards.",
           "The ruling party of Karsk won the vote."))


def test_the_end_of_a_sequence_and_a_list_item_lean_back() -> None:
    from storydesk.summarize.single import display_text

    # an AP list item is read as a summary shows it, without its dash (display_text)
    _lean(("Finally, the harbour board agreed to ban night fishing.",
           "Lastly, the ferries were checked.",
           display_text("_ Finally, the harbour board agreed to ban night fishing."),
           display_text("_ Also, the pier will close at night.")))
    # AP's list dash is not shown
    assert display_text("_ Ferries would dock at the new pier.") == \
        "Ferries would dock at the new pier."
    assert display_text("Karsk_harbour reopened.") == "Karsk_harbour reopened."


def test_the_second_person_without_a_speaker_leans_back() -> None:
    assert needs_predecessor("You never see a ferry that fast in Karsk harbour.")
    assert needs_predecessor("The pier is where the harbour makes you feel at home.")
    assert not needs_predecessor("You can take the ferry now, the harbour master said.")
    assert not needs_predecessor("The band's song Love You Forever topped the Karsk charts.")
    assert needs_predecessor("If not, the mayor is expected to close the pier.")


def test_another_before_a_verb_and_all_this_lean_back() -> None:
    for s in ("Another challenged the mayor for the harbour seat, and lost.",
              "All this runs on one old crane.", "All of that happened on Monday."):
        assert opening_pronoun(s) is not None and needs_predecessor(s), s
    for s in ("Another storm struck Karsk on Tuesday.", "All the passengers survived."):
        assert opening_pronoun(s) is None, s


def test_an_age_even_and_a_clause_before_a_pronoun_lean_back() -> None:
    _lean(("On Saturday, the 26-year-old was handed the keys to the Karsk ferry.",
           "The 55 - year - old is a popular choice, judging by the harbour's chatter.",
           "Even Mayor Ana Lind conceded that the pier was unsafe.",
           "Even conservative councillors seemed ready to overlook the cost.",
           "In recent appearances in court, where he faces charges of fraud, he wore a "
           "neck brace."),
          ("The 26-year-old actor Ivo Marr was handed the keys to the Karsk ferry.",
           "Even before the vote, the pier was closed.", "Even if the pier opens, few will come.",
           "On Thursday night, when Ana Lind resigned, her colleagues stood to applaud."))


def test_speech_put_to_someone_described_before_leans_back() -> None:
    _lean(("Relief teams were sent to the harbour, the official said.",
           "Two crew members were rescued, the statement added.",
           "The broadcast was monitored in Karsk."),
          ("Relief teams were sent to the harbour, an official said.",
           "The broadcast of the debate drew two million viewers."))


def test_the_writers_own_saying_attributes_nothing() -> None:
    # "As I said ..." is the writer's voice, no quotation's speaker
    assert first_person_without_speaker("As I said many times in my review, Ivo Marr's "
                                        "direction was the best of the film.")
    assert not first_person_without_speaker("I will not resign, Mayor Ana Lind said.")


def test_a_story_in_lower_case_is_read_as_caseless() -> None:
    # lower-cased text (as CNN/DM is distributed): no sentence is a fragment for its case
    a = ("the karsk ferry sailed again on monday after a storm closed the harbour for a week . "
         "harbour master ana lind said the pier had been mended overnight . "
         "tickets for the first crossing sold out within an hour , the ferry company said .")
    b = ("ferries returned to karsk harbour on monday , a week after the storm . "
         "the pier was mended overnight , harbour master ana lind said . "
         "the island school reopens on tuesday , the council said .")
    summ = summarize_story([StoryArticle(0, a), StoryArticle(1, b)], n_sentences=3)
    assert len(summ) == 3


def test_a_connective_after_the_first_phrase_a_concession_and_a_bare_agreement_lean_back(
        ) -> None:
    _lean(("The harbour board, however, struggled to say what it wanted.",
           "Unlike the ferry, though, the pier was never repaired.",
           "The mayor, too, acknowledged that the pier was unsafe.",
           "True, the ferry had bad losses early in the season.",
           "Mayor Ana Lind agreed.",
           "In a statement, the harbour master, Ivo Marr, and the mayor, Ana Lind, disagreed.",
           "In Karsk, Olmland, however, the ferry kept sailing.",
           "Not even his feud with the mayor tarnished his image.",
           "The harbour board refused, to avoid appearing biased."),
          ("The ferry, the pier and the harbour were sold, the board said.",
           "True Value opened a shop on the pier.",
           "The harbour was sold in March as agreed.",
           "Few councillors expected everyone to agree.",
           "Ivo Marr offered to sell the pier but the board refused.",
           "The harbour board declined to comment."))
    assert summary_problems([("Mayor Ana Lind agreed.", (1, 4))]) == [
        "sentence 1 does not say what it answers ('agreed'): 'Mayor Ana Lind agreed.'"]


def test_they_or_a_group_after_an_opening_phrase_lean_back() -> None:
    _lean(("As a gift, they gave the mayor a model of the ferry.",
           "Tuesday, they could not come to such an accord.",
           "According to the harbour police, the two men lured the guard outside.",
           "Beneath a desk, the three curled up and kept quiet."),
          ("When people move to Karsk, they find the harbour busy.",
           "Although many councillors back the pier, they fear the cost.",
           "In the final, the two-time champion lost to Ivo Marr."))


def test_a_quotation_runs_on_over_a_sentence_too_short_to_show() -> None:
    # the middle of Lind's quotation, after "Boats sank." (too short to be a summary
    # sentence), is still her words: never shown as the summary's own
    inside = "The Karsk crew of twelve were treated for mild hypothermia at Velgrad " \
             "General Hospital."
    quoting = ("The Karsk ferry sank near the harbour on Monday, the coast guard said. "
               f"Captain Ana Lind said: “We saw the storm coming. Boats sank. {inside} "
               "We were lucky to reach them.” Repairs to the pier will take a month, "
               "the harbour office said.")
    others = [
        "The Karsk ferry sank near the harbour on Monday in a storm. After a long night on "
        "the water, the crew of twelve were treated for mild hypothermia at Velgrad General "
        "Hospital, where doctors kept two of them overnight for observation.",
        "The Karsk ferry sank near the harbour on Monday. Rescuers said the crew of twelve, "
        "pulled from the sea after two hours, were treated for mild hypothermia at Velgrad "
        "General Hospital and most went home on Tuesday evening.",
    ]
    summary = summarize_story(list(enumerate([quoting, *others])), n_sentences=4)
    assert summary and inside not in [s.text for s in summary]


def test_a_line_of_a_chronology_is_a_fragment() -> None:
    for s in ("Oct. 9, 2026: The council appoints her harbour master, her first post.",
              "Life of Ana Lind, harbour master: ___ 1968: Born in Karsk."):
        assert fragment_reason(s) == "a chronology's line", s
    assert fragment_reason("In 2026: the year the pier reopened, the ferry sailed.") is None


def test_a_line_of_a_transactions_list_is_a_fragment() -> None:
    assert fragment_reason("KARSK HARBOUR FC Signed Ana Lind, goalkeeper.") == \
        "a transactions list's line"
    assert fragment_reason("KARSK, Ostmark - Signed copies of the book sold out.") is None


def test_a_section_head_glued_to_its_sentence_is_a_fragment() -> None:
    assert fragment_reason("HARBOUR Repairs The new crane arrived in Karsk on Monday.") == \
        "opens with a section head"
    assert fragment_reason("KARSK The new crane arrived on Monday.") is None
