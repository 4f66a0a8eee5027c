"""The text layer: words, stop words, stems, sentences and counts per language.

The sample is fictional (a harbour reopening in the made-up town of Karsk), written for
these tests in English and translated by hand into German, Russian, Arabic and Chinese.
"""

from __future__ import annotations

import time

import pytest

from storydesk.text import (
    base_language,
    content_terms,
    repair_text,
    split_sentence_spans,
    split_sentences,
    stem,
    stopwords,
    translit_key,
    word_count,
    words,
)

SAMPLE = {
    "en": "The harbour of Karsk reopened on Monday. Mayor Olga Brandt said the ships "
          "would return. The storm had closed it for twelve days.",
    "de": "Der Hafen von Karsk wurde am Montag wieder geöffnet. Bürgermeisterin Olga Brandt "
          "sagte, die Schiffe würden zurückkehren. Der Sturm hatte ihn zwölf Tage geschlossen.",
    "ru": "Порт Карска вновь открылся в понедельник. Мэр Ольга Брандт заявила, что суда "
          "вернутся. Шторм закрыл его на двенадцать дней.",
    "ar": "أعيد فتح ميناء كارسك يوم الاثنين. وقالت رئيسة البلدية أولغا براندت إن السفن "
          "ستعود. هل أغلقته العاصفة اثني عشر يوما؟ نعم.",
    "zh": "卡尔斯克港周一重新开放。市长奥尔加·布兰特表示，船只将会返回！风暴使港口关闭了十二天。",
}


def test_base_language() -> None:
    assert base_language("de-AT") == "de"
    assert base_language("zh_CN") == "zh"
    assert base_language(None) is None


@pytest.mark.parametrize("lang", sorted(SAMPLE))
def test_three_sentences_in_every_language(lang: str) -> None:
    sents = split_sentences(SAMPLE[lang], lang)
    assert len(sents) == (4 if lang == "ar" else 3), sents
    assert "".join(sents).replace(" ", "") == SAMPLE[lang].replace(" ", "")


def test_sentences_keep_english_rules() -> None:
    text = ('Dr. Smith met Gen. Brandt on Jan. 5 at No. 10. "Why?" he asked. '
            "J. R. R. Tolkien wrote it. The U.S. Army came.")
    assert split_sentences(text) == [
        "Dr. Smith met Gen. Brandt on Jan. 5 at No. 10.",
        '"Why?" he asked.',
        "J. R. R. Tolkien wrote it.",
        "The U.S. Army came.",
    ]


def test_cjk_sentences_end_with_closing_quotes() -> None:
    text = "他说：「港口今天开放。」船只已经返回。"
    assert split_sentences(text, "zh") == ["他说：「港口今天开放。」", "船只已经返回。"]


def _paragraph(n_chars: int) -> str:
    base = (
        "Mayor Olga Brandt of Karsk said on Jan. 5 that the U.S. and E.U. envoys met Dr. "
        "J. R. Holm at 3.5 p.m. in St. Anne's hall. \"Why now?\" he asked. The storm, which "
        "closed No. 4 pier for 12 days... cost $1.2bn.Officials said more was to come! "
    )
    return (base * (n_chars // len(base) + 1))[:n_chars]


def test_sentence_splitting_is_linear_on_one_long_paragraph() -> None:
    text = _paragraph(400_000)
    assert "\n" not in text
    t = time.perf_counter()
    sents = split_sentences(text)
    elapsed = time.perf_counter() - t
    assert len(sents) > 4000
    assert elapsed < 1.0, f"{elapsed:.2f} s for 400 KB"


def test_splitting_is_linear_with_many_marks_set_apart() -> None:
    text = 'He said it was over. "\n' * 20_000  # 460 KB, a closing mark on every line
    t = time.perf_counter()
    assert len(split_sentences(text)) == 20_000
    assert time.perf_counter() - t < 2.0


def test_cjk_splitting_is_linear() -> None:
    text = "卡尔斯克港周一重新开放，市长表示船只将会返回。" * 20_000
    t = time.perf_counter()
    assert len(split_sentences(text, "zh")) == 20_000
    assert time.perf_counter() - t < 1.0


def test_words_per_script() -> None:
    assert words("Baden-Württemberg's e-mail, don't", "de") == [
        "Baden-Württemberg's", "e-mail", "don't"]
    assert words("Мэр Ольга Брандт заявила", "ru") == ["Мэр", "Ольга", "Брандт", "заявила"]
    # Devanagari vowel signs are combining marks: they stay inside their word.
    assert words("नमस्ते दुनिया", "hi") == ["नमस्ते", "दुनिया"]
    zh = words(SAMPLE["zh"], "zh")
    assert "市长" in zh and "船只" in zh and "。" not in zh
    # Japanese has no segmenter here: character bigrams.
    assert words("東京で会議", "ja") == ["東京", "京で", "で会", "会議"]


def test_word_counts_count_chinese() -> None:
    assert word_count(SAMPLE["en"], "en") == 23
    n = word_count(SAMPLE["zh"], "zh")
    assert 15 <= n <= 30  # segmented words, not 0 and not one per clause
    assert word_count("東京で会議", "ja") == 5  # one per character without a segmenter
    assert word_count("", "en") == 0


def test_stop_words_per_language() -> None:
    assert "der" in stopwords("de") and "der" not in stopwords("en")
    assert "что" in stopwords("ru")
    assert "في" in stopwords("ar")
    assert "said" in stopwords("en") and "said" in stopwords(None)
    assert stopwords("xx") == frozenset()
    de = content_terms(SAMPLE["de"], "de")
    assert "der" not in de and "von" not in de and stem("hafen", "de") in de


def test_stems_per_language() -> None:
    assert stem("reported", "en") == stem("reports", "en") == "report"
    assert stem("berichtete", "de") == stem("berichten", "de")
    assert stem("путина", "ru") == stem("путин", "ru")
    assert stem("putins", "en") == "putin"
    assert stem("12th", "en") == "12th"
    assert stem("港口", "zh") == "港口"  # no stemmer: the word itself


def test_stems_are_right_when_threads_stem_at_once() -> None:
    """The reader's requests and its background pass stem at the same time: each word
    gets its own stem, never another thread's (nor an IndexError)."""
    import itertools
    import threading

    import snowballstemmer

    parts = ["nation", "general", "hope", "report", "elect", "attack", "organ", "form"]
    ends = ["alizations", "fulness", "ational", "ingly", "ements", "ousness", "ities"]
    failures: list[str] = []

    def work(k: int) -> None:
        alone = snowballstemmer.stemmer("english")
        for n, (a, b, c) in enumerate(itertools.product(parts, parts, ends)):
            word = f"{a}{'abcdefghij'[k]}{b}{n}x{c}".replace(str(n), "q" * (n % 7 + 1))
            try:
                got = stem(word, "en", full=True)
            except IndexError as e:
                failures.append(f"{word}: {e}")
                continue
            if got != alone.stemWord(word):
                failures.append(f"{word}: {got}")

    for _round in range(3):
        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not failures, failures[:5]


def test_content_terms_drop_clitics() -> None:
    assert content_terms("The reporter’s e-mails", "en") == ["reporter", "e", "mail"]
    assert content_terms("l'homme qu'il", "fr")[0] == stem("homme", "fr")


def test_repair_mojibake() -> None:
    assert repair_text("gÃ¼nlÃ¼k haber") == "günlük haber"
    assert repair_text("â€œHelloâ€\x9d") == "“Hello”"
    for lang, text in SAMPLE.items():
        assert repair_text(text) == text, lang
    assert repair_text("Le cafe\u0301") == "Le café"  # NFC


def test_translit_keys_meet_across_scripts() -> None:
    assert translit_key("Брандт") == translit_key("Brandt")
    assert translit_key("Ольга") == translit_key("Olga")


def test_english_stems_are_light() -> None:
    assert stem("marine", "en") != stem("marinate", "en")  # Porter2 joins them
    assert stem("studies", "en") == "study" and stem("cutting", "en") == "cut"


def test_story_vectors_read_each_language() -> None:
    from storydesk.stories.vectorize import featurize

    en = featurize(SAMPLE["en"], language="en")
    ru = featurize(SAMPLE["ru"], language="ru")
    de = featurize(SAMPLE["de"], language="de")
    # Names in Cyrillic meet their Latin spelling; what they share is shown by name.
    shared = set(en.idx[en.entity].tolist()) & set(ru.idx[ru.entity].tolist())
    assert {en.names[b] for b in shared} >= {"Olga", "Brandt"}
    # German capitalises every noun: "Hafen", "Schiffe" are no names there.
    named = {de.names[b] for b in de.idx[de.entity].tolist()}
    assert not named & {"Hafen", "Schiffe", "Sturm", "Tage"}
    # German stop words are left out, English ones are not looked for in German.
    words_de = set(de.names.values())
    assert not words_de & {"der", "von", "die", "am"}
    assert featurize(SAMPLE["zh"], language="zh").idx.size >= 10  # segmented words


def test_a_closing_mark_a_tokenizer_set_apart_stays_with_its_sentence() -> None:
    # tokenized news text: a closing quote after a space at the end of a line, a quotation
    # that runs over lines, an opening mark left at the end of the line before it
    text = ('"And she showed up in the morning and hated it.\n'
            'She wants to go back there because she knows everyone. "\n'
            '"My client is settled, " her lawyer argued at the hearing. "\n'
            "She's in rehab right now.\n"
            'Nothing bad is going to happen. "\n'
            "The judge said he was surprised.")
    spans = split_sentence_spans(text)
    assert [s.text for s in spans] == [
        '"And she showed up in the morning and hated it.',
        'She wants to go back there because she knows everyone. "',
        '"My client is settled, " her lawyer argued at the hearing.',
        '" She\'s in rehab right now.',
        'Nothing bad is going to happen. "',
        "The judge said he was surprised.",
    ]
    for s in spans:
        assert text[s.start:s.end].replace("\n", " ") == s.text
    # a closing curly mark or French closing guillemet after a space ends the sentence too
    assert split_sentences("It was the “ apple of his eye. ” This is why.") == [
        "It was the “ apple of his eye. ”", "This is why."]
    assert split_sentences("Il a dit : « Nous allons gagner. » Le match commence.",
                           "fr") == ["Il a dit : « Nous allons gagner. »", "Le match commence."]
    # German »...« opens with », glued to its word: not a closing mark
    assert split_sentences("Sie sagte es. »Gut.« Dann ging sie.", "de")[1].startswith("»Gut.")


def test_plural_titles_and_a_weekday_after_a_company_are_no_sentence_end() -> None:
    assert split_sentences("The slate names Reps. Olga Brandt and Ivo Marr. It was leaked.") == [
        "The slate names Reps. Olga Brandt and Ivo Marr.", "It was leaked."]
    assert split_sentences("Karsk Shipping Inc. Tuesday laid out its plans. Shares rose.") == [
        "Karsk Shipping Inc. Tuesday laid out its plans.", "Shares rose."]
    assert split_sentences("He founded Karsk Shipping Inc. The firm grew.") == [
        "He founded Karsk Shipping Inc.", "The firm grew."]


def test_a_spaced_am_or_pm_before_a_day_or_a_time_zone_ends_no_sentence() -> None:
    assert split_sentences("Crews were called at 3: 30 a. m. Tuesday to the harbour. They came.") \
        == ["Crews were called at 3: 30 a. m. Tuesday to the harbour.", "They came."]
    assert split_sentences("The call is at 4: 45 p. m. EST today. Shares rose.") == [
        "The call is at 4: 45 p. m. EST today.", "Shares rose."]
    assert split_sentences("The mayor left about 3 p. m. Deputies stayed.") == [
        "The mayor left about 3 p. m.", "Deputies stayed."]


# (text, its sentences): a title keeps its name, at the end of a line too; a street does
# not go on with the next line.
TITLE_CASES = [
    ("It was a shock,” Karsk police Const.\nIvo Marr told reporters.\nHe left.",
     ["It was a shock,” Karsk police Const. Ivo Marr told reporters.", "He left."]),
    ("Karsk police Const. Ivo Marr spoke. He left.",
     ["Karsk police Const. Ivo Marr spoke.", "He left."]),
    ("The shop is on Harbour St.\nThe owner left.",
     ["The shop is on Harbour St.", "The owner left."]),
    ("The tribunal cleared Cmndr. Ivo Marr of the Karsk Army. Msgr. Ana Lind spoke.",
     ["The tribunal cleared Cmndr. Ivo Marr of the Karsk Army.", "Msgr. Ana Lind spoke."]),
    # a title word the text writes as part of a name ends a sentence there, and only there
    ("Talks went on with Premier Oda Sen. The envoy left. Oda Sen said no. Sen. Ivo Marr spoke.",
     ["Talks went on with Premier Oda Sen.", "The envoy left.", "Oda Sen said no.",
      "Sen. Ivo Marr spoke."]),
    ("Talks went on with Premier Oda Sen. The envoy left.",
     ["Talks went on with Premier Oda Sen. The envoy left."]),
    ("Republican Sen. Ivo Marr spoke. Republican leaders agreed.",
     ["Republican Sen. Ivo Marr spoke.", "Republican leaders agreed."]),
    # a street is no name: "Harbour St" written without its dot is no end elsewhere
    ("Harbour St closed early. The Harbour St. Gazette said so.",
     ["Harbour St closed early.", "The Harbour St. Gazette said so."]),
]


@pytest.mark.parametrize(("text", "sentences"), TITLE_CASES)
def test_a_title_stays_with_its_name(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


def test_content_terms_of_a_sentence_are_kept_and_given_as_a_new_list() -> None:
    """The terms of a short text are cached; each caller gets its own list, and a long
    text is read each time."""
    from storydesk.text import content_terms
    from storydesk.text.terms import forget_sentence_terms

    forget_sentence_terms()
    a = content_terms("The harbour of Karsk reopened on Monday.")
    a.append("x")
    assert content_terms("The harbour of Karsk reopened on Monday.") == \
        ["harbour", "karsk", "reopen", "monday"]
    long = "The harbour of Karsk reopened. " * 60
    assert content_terms(long) == ["harbour", "karsk", "reopen"] * 60


def test_a_sentence_cache_keeps_short_texts_until_forgotten() -> None:
    """sentence_cache: one call per short text and language until forget_sentence_terms;
    a long text is read each time."""
    from storydesk.text import forget_sentence_terms, sentence_cache

    calls: list[tuple[str, str | None]] = []

    @sentence_cache
    def read(text: str, lang: str | None = None) -> int:
        calls.append((text, lang))
        return len(text)

    assert read("Karsk reopened.") == read("Karsk reopened.") == 15
    assert read("Karsk reopened.", "de") == 15
    assert calls == [("Karsk reopened.", None), ("Karsk reopened.", "de")]
    long = "x" * 1001
    read(long)
    read(long)
    assert calls.count((long, None)) == 2
    forget_sentence_terms()
    read("Karsk reopened.")
    assert calls.count(("Karsk reopened.", None)) == 2
