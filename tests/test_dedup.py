"""Duplicate detection: canonical URLs, text fingerprints, MinHash near-duplicates."""

from __future__ import annotations

from storydesk.dedup import NearDupIndex, canonical_url, text_fingerprint
from storydesk.settings import DedupSettings

WIRE = (
    "Rescue teams in the port city of Karsk pulled two more survivors from a collapsed "
    "apartment block on Tuesday, a day after a magnitude 6.1 earthquake struck the coast. "
    "The regional governor said 14 people had died and more than 150 were injured. "
    "Engineers were inspecting the harbour cranes and the rail bridge, which was closed "
    "to traffic as a precaution, the Meridian Wire agency reported."
)


def test_canonical_url_drops_tracking_and_fragment():
    assert canonical_url("HTTPS://News.Example.com/a?utm_source=x&id=3#top") == (
        "https://news.example.com/a?id=3")
    assert canonical_url(None) is None


def test_fingerprint_ignores_case_spacing_and_punctuation():
    assert text_fingerprint("Hello,  World!\n") == text_fingerprint("hello world")
    assert text_fingerprint("hello world") != text_fingerprint("hello there world")


def test_rewritten_wire_copy_is_near_and_unrelated_text_is_not():
    ix = NearDupIndex(DedupSettings())
    rewrite = WIRE.replace("Tuesday", "Tuesday morning").replace(
        "the Meridian Wire agency reported", "according to Meridian Wire") + (
        " Schools in the district will stay closed until Friday.")
    other = ("Parliament in Valdoria voted on Thursday to delay the national budget by a month "
             "after talks between the coalition parties broke down over pensions.")
    s_wire, s_rewrite, s_other = (ix.signature(t) for t in (WIRE, rewrite, other))
    assert ix.similarity(s_wire, s_rewrite) >= DedupSettings().near_threshold
    assert ix.similarity(s_wire, s_other) < 0.1
    # A near copy shares at least one LSH band, so the store finds it as a candidate.
    assert set(ix.band_keys(s_wire)) & set(ix.band_keys(s_rewrite))
    # Signatures survive the round trip through the store's bytes.
    assert (ix.from_bytes(ix.to_bytes(s_wire)) == s_wire).all()


def test_signatures_are_stable_across_instances():
    a, b = NearDupIndex(DedupSettings()), NearDupIndex(DedupSettings())
    assert (a.signature(WIRE) == b.signature(WIRE)).all()
