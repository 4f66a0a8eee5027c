"""People a story summary names by surname alone are written in full at first mention
(summarize/names.py). Fictional text."""

from storydesk.summarize import summarize_story
from storydesk.summarize.multi import StoryArticle
from storydesk.summarize.names import person_names, write_names_in_full


def test_person_names_are_the_taggers_people() -> None:
    names = person_names(
        "Police named the victim as Jose Morales, a jail officer. He had studied at Xavier "
        "University. Mayor Anna Vell and Tom Vell both spoke to reporters. Morales was shot "
        "outside his home in Brill, police said. Officers said Morales died at the scene.")
    assert names.get("Morales") == "Jose Morales"
    assert "University" not in names  # an organisation, not a person
    assert "Vell" not in names  # two people of one surname: left alone
    assert person_names("Jose Morales fue asesinado en su casa.", "es") == {}


def test_person_names_asked_for_some_surnames_reads_them_as_a_full_run() -> None:
    from storydesk.extract.tagger import shipped_model

    body = ("Police named the victim as Jose Morales, a jail officer. The Karsk harbour "
            "reopened on Monday. Mayor Anna Lind spoke to reporters. Lind said the pier "
            "was safe. Morales was shot outside his home in Brill, police said.")
    full = person_names(body)
    assert full == {"Morales": "Jose Morales", "Lind": "Anna Lind"}
    assert person_names(body, None, {"Morales"}) == {"Morales": "Jose Morales"}
    assert person_names(body, None, {"Lind"}) == {"Lind": "Anna Lind"}
    # the tagger reads only the sentences holding an asked-for string, with the same names
    spans = shipped_model("en").tag(body, None, {"Lind"})
    assert {s.text for s in spans} == {"Anna Lind", "Lind"}


def test_a_name_written_in_full_once_counts_when_its_first_word_is_no_english_word(
        monkeypatch) -> None:
    """An unlisted first name written once ("Zdravko Mucic" in a DUC report) still gives
    the surname its full name, unless the first word is one the article writes in lower
    case, a stop word or an English word's form ("Both ...", "Describing ...") (the
    tagger's mentions given, as it tagged them in DUC and ECB+ reports)."""
    import storydesk.extract.entity_models as em

    for first, kept in (("Tavrek", True), ("Both", False), ("Describing", False),
                        ("Tall", False)):
        found = [(f"{first} Olund", "person"), ("Olund", "person")]
        monkeypatch.setattr(em, "mentions",
                            lambda text, model, lines_with=None, found=found: found)
        body = f"{first} Olund spoke. Olund left. A tall man waited."
        assert ("Olund" in person_names(body)) is kept, first


def test_a_listed_first_name_counts_where_the_tagger_reads_the_surname_as_a_company(
        monkeypatch) -> None:
    """The tagger reads rare surnames alone as companies ("Ford", "Brandau" in ECB+
    reports): a full name opening on a listed first name still counts, unless the surname
    opens a longer name too ("Ford Motor Co."); a full name tagged a place counts with a
    listed first name ("Juan Antonio Samaranch"); a generation ("III") is no surname."""
    import storydesk.extract.entity_models as em

    def names(body: str, found: list[tuple[str, str]]) -> dict[str, str]:
        monkeypatch.setattr(em, "mentions", lambda text, model, lines_with=None: found)
        return person_names(body)

    assert names("Phil Ford scored. Ford left.",
                 [("Phil Ford", "person"), ("Ford", "organisation")]) == {"Ford": "Phil Ford"}
    assert names("Phil Ford scored. Ford Motor Co. paid.",
                 [("Phil Ford", "person"), ("Ford", "organisation")]) == {}
    assert names("Tavrek Ford scored. Ford left.",  # no listed first name
                 [("Tavrek Ford", "person"), ("Ford", "organisation")]) == {}
    assert names("Juan Antonio Olund spoke. Olund left.",
                 [("Juan Antonio Olund", "place"), ("Olund", "person")]) == \
        {"Olund": "Juan Antonio Olund"}
    assert names("Tavrek Olund spoke. Olund left.",
                 [("Tavrek Olund", "place"), ("Olund", "person")]) == {}
    # the son and his mother: two full names, so neither
    assert names("Anthony Olund III fled. Michele Olund wept. Olund was caught.",
                 [("Anthony Olund III", "person"), ("Michele Olund", "person"),
                  ("Olund", "organisation")]) == {}


def test_first_bare_mention_written_in_full_within_budget() -> None:
    names = {"Morales": "Jose Morales"}
    texts = ["A jail officer was shot on Monday.", "Morales was shot outside his home.",
             "Morales had worked at the jail for years."]
    out = write_names_in_full(texts, [names] * 3)
    assert out[1] == "Jose Morales was shot outside his home."
    assert out[2] == texts[2]  # introduced once
    assert write_names_in_full(texts, [names] * 3, budget=20) == texts  # 20 words: no room
    # written in full already, or after "the": left alone
    assert write_names_in_full(["Jose Morales spoke.", "Morales left."], [names] * 2) == \
        ["Jose Morales spoke.", "Morales left."]
    assert write_names_in_full(["It was the Morales family home."], [names]) == \
        ["It was the Morales family home."]
    # before "administration" or "era" it names a time or a body, not the person
    assert write_names_in_full(["A Morales administration rule fell."], [names]) == \
        ["A Morales administration rule fell."]
    assert write_names_in_full(["Morales's campaign ended."], [names]) == \
        ["Jose Morales's campaign ended."]
    # after a quoted nickname, the surname ends a name written in full
    nick = 'Fans cheered for Jose "Snacks" Morales on Monday.'
    assert write_names_in_full([nick], [names]) == [nick]
    # the first mention is written in full even where its own article does not name
    # the person in full; an article not in English keeps its names as written
    texts = ["A photograph of Morales was shown.", "Jose Morales is not a suspect."]
    assert write_names_in_full(texts, [{}, names]) == \
        ["A photograph of Jose Morales was shown.", "Jose Morales is not a suspect."]
    assert write_names_in_full(texts[:1], [None]) == texts[:1]
    # two articles giving one surname two full names: the sentence's own article decides,
    # and a sentence from a third article leaves it alone
    assert write_names_in_full(texts[:1], [{"Morales": "Ana Morales"}, names]) == \
        ["A photograph of Ana Morales was shown."]
    assert write_names_in_full(["The pier closed.", texts[0]],
                               [{"Morales": "Ana Morales"}, {}, names][:2]) == \
        ["The pier closed.", "A photograph of Ana Morales was shown."]


def test_story_summary_writes_a_surname_its_article_names_in_full() -> None:
    a = ("A jail officer was shot dead outside his home in Brill on Monday, police in the "
         "town said. The officer had worked at the jail for years.")
    b = ("Morales was shot dead outside his home in Brill on Monday. "
         "Police named the officer as Jose Morales, 41.")
    [s] = summarize_story([(1, a), (2, b)], n_sentences=1)
    assert s.origin == (2, 0)
    assert s.text == "Jose Morales was shot dead outside his home in Brill on Monday."
    # an article in another language keeps its names as written
    [g] = summarize_story([StoryArticle(1, a), StoryArticle(2, b, language="de")],
                          n_sentences=1)
    assert g.origin == (2, 0) and g.text.startswith("Morales was shot")


def test_a_full_name_whose_surname_the_tagger_reads_alone_as_nothing(monkeypatch) -> None:
    """"Vishwanand Subryan" ... "Subryan is charged ..." in an ECB+ report: the tagger
    tags the full name a person once and the surname alone as nothing. It counts where the
    article uses the surname alone and the first word only before it; not where the
    surname follows "the" ("Congress Democrats" ... "the Democrats"), where the first word
    stands without it ("Congolese troops"), or where either is tagged as anything else."""
    import storydesk.extract.entity_models as em

    def names(body: str, found: list[tuple[str, str]]) -> dict[str, str]:
        monkeypatch.setattr(em, "mentions", lambda text, model, lines_with=None: found)
        return person_names(body)

    assert names("Police arrested Tavrek Olund, 23. Olund is charged with manslaughter.",
                 [("Tavrek Olund", "person")]) == {"Olund": "Tavrek Olund"}
    assert names("Tavrek Olund spoke. The Olund left.", [("Tavrek Olund", "person")]) == {}
    assert names("Tavrek Olund spoke. Tavrek troops left. Olund stayed.",
                 [("Tavrek Olund", "person")]) == {}
    assert names("Tavrek Olund spoke. Olund stayed.",
                 [("Tavrek Olund", "person"), ("Tavrek Olund", "place")]) == {}
    assert names("Tavrek Olund spoke. Olund stayed.",
                 [("Tavrek Olund", "person"), ("Olund", "organisation")]) == {}
    assert names("Tavrek Olund spoke. Nobody else did.", [("Tavrek Olund", "person")]) == {}


def test_the_sentences_own_article_decides_between_two_full_names() -> None:
    """Two of the summary's articles give one surname two full names: a sentence's own
    article's full name is written, and a sentence whose article gives none leaves the
    surname alone. A generation is no surname in a name written in full ("Tavrek Olund
    Jr." introduces "Olund")."""
    own, other = {"Olund": "Tavrek Olund"}, {"Olund": "Mira Olund"}
    assert write_names_in_full(["The pier closed.", "Olund was charged."], [other, own]) == \
        ["The pier closed.", "Tavrek Olund was charged."]
    assert write_names_in_full(["The pier closed.", "The ferry sailed.", "Olund was charged."],
                               [other, own, {}]) == \
        ["The pier closed.", "The ferry sailed.", "Olund was charged."]
    assert write_names_in_full(["Tavrek Olund Jr. fled.", "Olund was caught."], [own, own]) \
        == ["Tavrek Olund Jr. fled.", "Olund was caught."]


def test_a_full_name_from_another_of_the_summarys_articles() -> None:
    """A sentence uses a surname alone and its own article never writes it in full;
    another article the summary shows a sentence of does: that article is read for the
    full name too."""
    a = ("Olund was charged with arson in Karsk on Monday after the pier fire. Olund, a "
         "ferry worker, denied setting the fire at the pier.")
    b = ("A fire destroyed the old pier in Karsk on Sunday night, the harbour board said. "
         "Police named the suspect as Peter Olund, a ferry worker. Olund was held overnight.")
    texts = [s.text for s in summarize_story([(1, a), (2, b)], n_sentences=3)]
    assert "Peter Olund was charged with arson in Karsk on Monday after the pier fire." in texts
