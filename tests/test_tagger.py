"""The CRF tagger's tokens, sentences and features, and MinHash signatures: the shipped
models and stored signatures were made with exactly these, so they must not drift."""

from __future__ import annotations

import hashlib

from storydesk.dedup import NearDupIndex
from storydesk.extract.tagger import Featurizer, Gazetteers, Token, shipped_model, tokenize
from storydesk.settings import DedupSettings


def _words(text: str) -> list[list[str]]:
    return [[t.text for t in line] for line in tokenize(text)]


def test_sentences_end_at_stops_but_not_after_abbreviations_or_initials() -> None:
    text = ('Mr. Smith met J. Brown in the U.S. on Jan. 5. He left.\n\n'
            'Then "Yes." She said! (No.) Later')
    assert _words(text) == [
        ["Mr.", "Smith", "met", "J", ".", "Brown", "in", "the", "U.S.", "on", "Jan.", "5", "."],
        ["He", "left", "."],
        ["Then", '"', "Yes", "."],
        ['"', "She", "said", "!", "(", "No.", ")", "Later"],
    ]
    assert _words('It is 3.5 percent. Ok? "Fine." 1999 was') == [
        ["It", "is", "3.5", "percent", "."], ["Ok", "?"], ['"', "Fine", "."], ['"', "1999", "was"]]


def test_a_stop_before_a_lower_case_word_or_at_a_line_end_splits_by_the_line_only() -> None:
    assert _words("approx. five\nmiles. Next") == [["approx", ".", "five"], ["miles", "."],
                                                 ["Next"]]
    assert _words("\n\n \n") == []
    assert _words("end.\r\nNext") == [["end", "."], ["Next"]]


def test_tokens_carry_their_offsets() -> None:
    text = "Putin's visit\n  to Minsk."
    for line in tokenize(text):
        for t in line:
            assert isinstance(t, Token) and text[t.start : t.end] == t.text
    assert _words(text) == [["Putin", "'s", "visit"], ["to", "Minsk", "."]]


def test_features_of_lines_not_asked_for_are_empty_and_the_rest_unchanged() -> None:
    lines = tokenize("Later Putin met Lukashenko.\nthe talks went on.\nIn Minsk.")
    feats = Featurizer(Gazetteers({"place": ["Minsk"]}), frozenset({"later"}))
    full = feats.document(lines)
    some = feats.document(lines, only=[True, False, True])
    assert some[1] == [] and some[0] == full[0] and some[2] == full[2]
    putin = full[0][1]
    assert putin[:4] == ["w=Putin", "lw=putin", "sh=Xxxxx", "ss=Xx"]
    assert "-1:lw=later" in putin and "1:lw=met" in putin and "2:lw=lukashenko" in putin
    assert "doc:midcap" in putin and "L0" in putin
    minsk = full[2][1]
    assert "g=place" in minsk and "-1:lw=in" in minsk and "2:pad" in minsk


def test_shipped_english_model_tags_names() -> None:
    spans = shipped_model("en").tag("Vladimir Putin met Alexander Lukashenko in Minsk.")
    assert [(s.text, s.type) for s in spans] == [
        ("Vladimir Putin", "PER"), ("Alexander Lukashenko", "PER"), ("Minsk", "LOC")]


def test_minhash_signature_is_the_one_stored_signatures_were_made_with() -> None:
    ix = NearDupIndex(DedupSettings())
    text = ("The harbour of Karsk reopened on Monday after the storm, the port authority "
            "said. The harbour of Karsk reopened.")
    sig = ix.signature(text)
    assert sig[:4].tolist() == [397853357, 747182396, 266091243, 9740240]
    assert hashlib.sha1(ix.to_bytes(sig)).hexdigest() == "151dc66e1d0a80243e8c2e79446d2c953b637526"
    assert ix.signature("").tolist() == [2**32 - 1] * DedupSettings().num_perm


def test_encoded_features_are_the_same_features_in_utf8() -> None:
    lines = tokenize("Путин met Lukashenko in Minsk.\nLater talks.")
    gaz = Gazetteers({"place": ["Minsk"]})
    hints = [["B-PER", "O", "B-PER", "O", "B-LOC", "O"], ["O", "O", "O"]]
    plain = Featurizer(gaz, frozenset({"later"})).document(lines, hints)
    enc = Featurizer(gaz, frozenset({"later"}), encoded=True).document(lines, hints)
    assert enc == [[[a.encode() for a in tok] for tok in line] for line in plain]
