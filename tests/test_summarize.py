"""Summaries: sentence splitting, one article, a story. Texts are made up for the tests."""

from __future__ import annotations

import pytest

from storydesk.settings import SummaryParams
from storydesk.summarize import (
    StoryArticle,
    split_sentence_spans,
    split_sentences,
    summarize_article,
    summarize_story,
)

# ------------------------------------------------------------------ splitter


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
        ("Gen. Ross visited St. Mary's. He left.", ["Gen. Ross visited St. Mary's.", "He left."]),
        (
            "It opened on Jan. 5 this year. Crowds came.",
            ["It opened on Jan. 5 this year.", "Crowds came."],
        ),
        ("J. R. R. Tolkien wrote it. It sold.", ["J. R. R. Tolkien wrote it.", "It sold."]),
        ("The U.S. Navy sailed. It was late.", ["The U.S. Navy sailed.", "It was late."]),
        (
            "They flew to the U.S. The trip was long.",
            ["They flew to the U.S.", "The trip was long."],
        ),
        ('"We are ready," he said. "Are you?"', ['"We are ready," he said.', '"Are you?"']),
        ('"Where?" she asked. He pointed.', ['"Where?" she asked.', "He pointed."]),
        (
            "Growth was 3.5 percent. It cost $1.2 million.",
            ["Growth was 3.5 percent.", "It cost $1.2 million."],
        ),
        ("He paused... then spoke. Silence.", ["He paused... then spoke.", "Silence."]),
        (  # decimals a tokenizer broke with a space; a year before a number still ends one
            "Thieves took $27. 5 million. A 6. 1 - magnitude quake hit at 8. 40am. "
            "It began in 1998. 5 people died. He had a. 38 caliber gun.",
            ["Thieves took $27. 5 million.", "A 6. 1 - magnitude quake hit at 8. 40am.",
             "It began in 1998.", "5 people died.", "He had a. 38 caliber gun."],
        ),
        (
            "Profit hit $10.9bn.For the year, sales rose.",
            ["Profit hit $10.9bn.", "For the year, sales rose."],
        ),
        (
            "It ends at 5 p.m. on Friday. Come early.",
            ["It ends at 5 p.m. on Friday.", "Come early."],
        ),
        (  # a spaced "a. m." before a month written short (as ECB+ prints times)
            "The pier closed at 1: 30 a. m. Feb. 1 in Karsk. It reopened.",
            ["The pier closed at 1: 30 a. m. Feb. 1 in Karsk.", "It reopened."],
        ),
        (  # an aside set off by dashes after an abbreviation; an AP list item after a stop
            "The pier of Karsk Co. _ the oldest in Ostmark _ closed. _ The ferry stopped too. "
            "Rain fell at 5 p.m. -- the usual time.",
            ["The pier of Karsk Co. _ the oldest in Ostmark _ closed.",
             "_ The ferry stopped too.", "Rain fell at 5 p.m. -- the usual time."],
        ),
        (
            "dr. lee went to the u.s. and canada . he returned .",
            ["dr. lee went to the u.s. and canada .", "he returned ."],
        ),
    ],
)
def test_split_cases(text: str, want: list[str]) -> None:
    assert split_sentences(text) == want


def test_mend_numbers() -> None:
    from storydesk.summarize.single import display_text
    from storydesk.text import mend_numbers

    assert mend_numbers("($2. 6 - million) at 8. 40am, 5. 9, in 1998. 5 x") == \
        "($2.6 - million) at 8.40am, 5.9, in 1998. 5 x"
    assert mend_numbers("had a. 38 caliber gun, the. 357") == "had a .38 caliber gun, the .357"
    assert mend_numbers("170, 000 people at 9: 25, in 2004, 300 died; 7, 8, 9") == \
        "170,000 people at 9:25, in 2004, 300 died; 7, 8, 9"
    assert display_text("Thieves took $27. 5 million.") == "Thieves took $27.5 million."


def test_spans_point_into_text() -> None:
    text = "Title line\n\nFirst one here. Second one, Mr. Brown said.\nThird."
    spans = split_sentence_spans(text)
    assert [s.text for s in spans] == [
        "Title line",
        "First one here.",
        "Second one, Mr. Brown said.",
        "Third.",
    ]
    for s in spans:
        assert text[s.start : s.end] == s.text


def test_split_empty() -> None:
    assert split_sentences("") == []
    assert split_sentences("   \n ") == []
    assert split_sentences("Just one sentence here.") == ["Just one sentence here."]


# ------------------------------------------------------------------ one article

ARTICLE = """Flood waters close Riverton bridge

By Jane Doe, Staff Reporter

The Riverton bridge was closed on Tuesday after flood waters rose above the safety mark.
Engineers said the bridge would stay closed until the water level fell below four metres.
Photo: Getty Images
The river rose by two metres overnight after three days of heavy rain across the valley.
Local schools were closed and about 300 residents were moved to a sports hall in Riverton.
"We have never seen the river this high," said the mayor, Ana Ruiz.
Traffic was diverted through Oakford, adding about 40 minutes to journeys into the town.
Forecasters expect more heavy rain on Thursday, and the flood warning remains in place.
The bridge, built in 1902, was last closed by flooding in 1998.
"""


def test_article_n_sentences_in_order_with_indices() -> None:
    out = summarize_article(ARTICLE, n_sentences=3)
    assert len(out) == 3
    idx = [i for i, _ in out]
    assert idx == sorted(idx)
    sents = split_sentences(ARTICLE)
    for i, t in out:
        assert t == sents[i]


def test_article_never_chrome_byline_or_headline() -> None:
    sents = split_sentences(ARTICLE)
    bad = {i for i, s in enumerate(sents) if s.startswith(("By ", "Photo", "Flood waters close"))}
    assert len(bad) == 3
    for n in range(1, 8):
        assert not bad & {i for i, _ in summarize_article(ARTICLE, n_sentences=n)}


def test_article_leads_with_the_main_fact() -> None:
    out = summarize_article(ARTICLE, n_sentences=1)
    assert "closed on Tuesday" in out[0][1]


@pytest.mark.parametrize("budget", [15, 30, 45, 80])
def test_article_word_budget(budget: int) -> None:
    out = summarize_article(ARTICLE, words=budget)
    assert out
    assert sum(len(t.split()) for _, t in out) <= budget
    idx = [i for i, _ in out]
    assert idx == sorted(idx)


def test_article_empty_and_one_sentence() -> None:
    assert summarize_article("") == []
    one = "The council approved the new budget on Monday evening after a long debate."
    assert summarize_article(one) == [(0, one)]
    assert summarize_article("No sentence end here") == []


def test_article_dateline_stripped() -> None:
    text = (
        "LONDON (Reuters) - The central bank raised interest rates by a quarter point on "
        "Thursday. Markets had expected the move for weeks. Shares rose slightly afterwards "
        "in late trading."
    )
    out = summarize_article(text, n_sentences=1)
    assert out[0] == (0, "The central bank raised interest rates by a quarter point on Thursday.")
    # newswire that writes its dash as an underscore (AP and NYT copy in DUC)
    from storydesk.summarize.single import display_text

    assert display_text("KARSK, Ostmark (AP) _ The harbour reopened on Monday.") == \
        "The harbour reopened on Monday."
    assert display_text("KARSK _ The harbour reopened on Monday.") == \
        "The harbour reopened on Monday."
    # an aside between dashes is no dateline
    assert display_text("NASA _ the agency _ said so.") == "NASA _ the agency _ said so."
    # a dateline is a place in capitals: a subject before an aside keeps its words
    assert display_text("KARSK -- The harbour reopened on Monday.") == \
        "The harbour reopened on Monday."
    assert display_text("Four masked men -- two of them armed -- robbed the kiosk.") == \
        "Four masked men -- two of them armed -- robbed the kiosk."
    assert display_text("The ferries -- all three of them -- sailed.") == \
        "The ferries -- all three of them -- sailed."


# ------------------------------------------------------------------ story

A1 = """Storm Elin hits coast

Storm Elin brought winds of 140 km/h to the northern coast on Sunday, cutting power to 20,000 homes.
Two fishermen were rescued by helicopter off Port Maren in the afternoon.
The regional governor praised the work of the emergency services during the storm.
"""
A2 = """Power cut for thousands as storm batters coast

Winds of 140 km/h from Storm Elin cut power to 20,000 homes on the northern coast on Sunday.
Rail services between Port Maren and Kelby were suspended until Monday morning.
Engineers worked overnight to restore electricity to the affected homes.
"""
A3 = """Storm Elin: ferries cancelled

All ferries from Port Maren were cancelled on Sunday as Storm Elin reached the coast.
The storm cut power to 20,000 homes along the northern coast, the grid operator said.
"""


def test_story_merges_one_fact_from_two_articles() -> None:
    out = summarize_story([(11, A1), (12, A2), (13, A3)], n_sentences=3)
    assert out
    lead = out[0]
    assert "20,000 homes" in lead.text
    arts = {a for a, _ in lead.sources}
    assert arts >= {11, 12}
    assert lead.outlets == len(arts)
    # the sources are the sentences that state it
    for aid, idx in lead.sources:
        text = {11: A1, 12: A2, 13: A3}[aid]
        assert "20,000" in split_sentences(text)[idx]


def test_story_avoids_redundancy() -> None:
    out = summarize_story([(1, A1), (2, A2), (3, A3)], n_sentences=5)
    assert sum("20,000" in s.text for s in out) == 1
    texts = [s.text for s in out]
    assert len(set(texts)) == len(texts)
    # every (article, sentence) pair appears in at most one summary sentence
    pairs = [p for s in out for p in s.sources]
    assert len(pairs) == len(set(pairs))


def test_story_leads_with_most_reported_and_counts_outlets() -> None:
    arts = [
        StoryArticle(1, A1, "Coast Daily"),
        StoryArticle(2, A2, "Coast Daily"),
        StoryArticle(3, A3, "Harbour News"),
    ]
    out = summarize_story(arts, n_sentences=4)
    assert out[0].outlets == 2  # two articles of one outlet count once
    # It opens with what happened: an article's opening sentence, stated by most outlets.
    assert out[0].origin is not None and out[0].origin[1] == 1  # after the headline
    assert out[0].outlets == max(s.outlets for s in out)


def test_story_word_budget() -> None:
    out = summarize_story([(1, A1), (2, A2), (3, A3)], words=40)
    assert out
    assert sum(len(s.text.split()) for s in out) <= 40


def test_story_empty_and_single() -> None:
    assert summarize_story([]) == []
    assert summarize_story([(1, "")]) == []
    out = summarize_story([(7, A1)], n_sentences=2)
    assert len(out) == 2
    assert all(s.sources[0][0] == 7 and len(s.sources) == 1 for s in out)
    one = summarize_story([(1, "A single sentence about the storm that hit the coast.")])
    assert len(one) == 1 and one[0].sources == [(1, 0)]


_LEANING = (
    "The harbour authority of Port Adler closed the north quay on Monday after a crane "
    "collapsed onto a cargo ship. "
    "Dock workers had warned about cracks for months, according to their union. "
    "It said the crane collapse at the north quay of the Port Adler harbour could have "
    "killed dock workers on the cargo ship. "
    "The weather on Monday was calm. "
    "A ferry to the islands left on time. "
    "\"The crane at the north quay had cracks, and the harbour authority knew,\" said "
    "union leader Piet Vos. "
    "\"Dock workers on the cargo ship could have died.\" "
    "The authority said the crane collapse at the north quay is being investigated. "
    "Shipping lines said delays at the Port Adler harbour would be short."
)


def test_article_summary_reads_on_its_own() -> None:
    from storydesk.summarize.readability import summary_problems

    def problems(params: SummaryParams) -> list[str]:
        summ = summarize_article(_LEANING, 3, params=params)
        return summary_problems([(t, (0, i)) for i, t in summ])

    # without the rule, "It said ..." is shown after a sentence that is not its own
    assert problems(SummaryParams(read_alone=False))
    summ = summarize_article(_LEANING, 3)
    assert [i for i, _ in summ] == [0, 1, 2]  # "It said" comes with the union's sentence
    assert not problems(SummaryParams())


def test_article_summary_fills_when_few_sentences_read_alone() -> None:
    # a thread of sentences that each lean on the one before: the best of them still fill
    text = ("Port Adler's ferry left late on Monday. " + " ".join(
        f"But the {w} crew said it had waited for the harbour master's signal." for w in
        ("first", "second", "third", "fourth")))
    assert len(summarize_article(text, 3)) == 3


def test_a_headline_glued_to_the_lead_is_not_shown() -> None:
    from storydesk.summarize.single import article_spans

    # line breaks lost: a title-case headline glued to the lead is the headline
    spans, title = article_spans("Karsk Ferry To Resume Service On Monday After Storm The ferry "
                                 "to the islands will sail again on Monday. Tickets are on sale.")
    assert title == 0
    # a headline glued to the lead's dateline goes with the dateline
    spans, title = article_spans("Karsk ferry to resume service after storm KARSK, Ostmark "
                                 "(Meridian Wire) — The ferry will sail again on Monday. "
                                 "Tickets are on sale.")
    assert title is None and spans[0].text == "The ferry will sail again on Monday."
    spans, title = article_spans("Mayor: no new ferry before she gets the facts CLOSE Mayor "
                                 "Ana Lind said she would not buy a ferry. Tickets are on sale.")
    assert title is None and spans[0].text == "Mayor Ana Lind said she would not buy a ferry."
    assert summarize_article("Karsk ferry to resume service after storm KARSK (Meridian Wire) - "
                             "The ferry to the islands will sail again on Monday after the "
                             "storm. Tickets are on sale.", 1) == \
        [(0, "The ferry to the islands will sail again on Monday after the storm.")]
    # ... or to its outlet in brackets; a dateline alone is no headline
    spans, _ = article_spans("Karsk ferry sails again after storm (MENAFN - Meridian Wire) "
                             "The ferry to the islands sailed on Monday. Tickets are on sale.")
    assert spans[0].text == "The ferry to the islands sailed on Monday."
    spans, _ = article_spans("Ferry to sail again in Karsk, says mayor Karsk (AFP) - The ferry "
                             "sails on Monday. Tickets are on sale.")
    assert spans[0].text == "The ferry sails on Monday."
    for text in ("KARSK, Ostmark (AP) - The ferry sailed again on Monday.",
                 "The Karsk Harbour Authority (KHA) Director said on Monday the ferry sails."):
        spans, _ = article_spans(text)
        assert spans[0].text == text
    # a name with a capitalised small word in a sentence is not a headline
    for text in ("The Port Of Karsk Authority said on Monday that the ferry would sail.",
                 "U.S. - Ostmark talks on the ferry ended on Monday without a deal."):
        spans, title = article_spans(text)
        assert title is None and spans[0].text == text
    # a photo agency's caption left after the dateline is chrome
    spans, _ = article_spans("Why Karsk lost KARSK, OSTMARK - MARCH 17: Ana Lind of Karsk walks "
                             "off the field after the loss. The coach was angry.")
    from storydesk.summarize.single import is_summary_sentence

    assert not is_summary_sentence(spans[0].text)


def test_a_site_notice_is_never_a_summary_sentence() -> None:
    """A cookie notice glued to an article (scraped pages) stays out of its summary and
    out of a story's, in any language the notice rules know."""
    from storydesk.summarize.single import is_summary_sentence

    notice = "Wir verwenden auf unserer Webseite Cookies, um das Angebot zu verbessern."
    assert not is_summary_sentence(notice)
    assert is_summary_sentence(notice, notices=False)  # the article was found to hold none
    text = ("Die Fähre nach Karsk ist am Montag im Hafen gesunken. " + notice +
            " Alle zwölf Passagiere wurden gerettet, sagte die Polizei. "
            "Die Ursache des Unglücks ist noch unklar.")
    for summ in (summarize_article(text, n_sentences=3, language="de"),
                 [s.text for s in summarize_story([StoryArticle(1, text, language="de")],
                                                   n_sentences=3)]):
        assert summ and not any("Cookies" in s for s in summ), summ
