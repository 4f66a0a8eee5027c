"""Story grouping algorithm on small fictional fixtures."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from storydesk.stories import OnlineGrouper, StorySettings, bcubed, evaluate
from storydesk.stories.records import Story
from storydesk.stories.scoring import Scorer

QUAKE_A = [
    ("qa1", "A magnitude 6.8 earthquake struck Valdoria province on Monday, collapsing homes in "
            "the town of Mernic. Governor Ilsa Baranek said rescue teams from Mernic were digging "
            "through rubble.", "2031-03-03"),
    ("qa2", "Rescue teams in Mernic searched collapsed homes after the Valdoria earthquake. "
            "Governor Ilsa Baranek said the magnitude 6.8 quake killed at least twelve people "
            "in Mernic.", "2031-03-03"),
    ("qa3", "Governor Ilsa Baranek visited Mernic, where the 6.8 earthquake in Valdoria "
            "province destroyed homes; rescue teams kept digging in the rubble.", "2031-03-04"),
]
QUAKE_B = [
    ("qb1", "A magnitude 5.9 earthquake hit the coastal city of Port Ostra in Kelvaria on "
            "Thursday. Mayor Tomas Ravel said the harbour bridge in Port Ostra was damaged.",
     "2031-03-06"),
    ("qb2", "Mayor Tomas Ravel closed the harbour bridge of Port Ostra after Thursday's 5.9 "
            "quake in Kelvaria; engineers inspected the damaged bridge.", "2031-03-06"),
    ("qb3", "Engineers in Port Ostra, Kelvaria, inspected the harbour bridge damaged by the "
            "magnitude 5.9 earthquake, Mayor Tomas Ravel said.", "2031-03-07"),
]
SUMMIT = [
    ("s1", "Leaders of Norland and Estavia met at the Lake Varne summit and signed a fishing "
           "treaty. Prime Minister Oda Kessel praised the Lake Varne treaty.", "2031-03-05"),
    ("s2", "At the Lake Varne summit Prime Minister Oda Kessel of Norland and the Estavian "
           "president signed a fishing treaty for the lake.", "2031-03-05"),
]


def _group(articles, settings=None, dated=True):
    g = OnlineGrouper(settings or StorySettings())
    for doc_id, text, day in articles:
        g.add(doc_id, text, date=day if dated else None)
    g.consolidate(full=True)
    return g


def _partition(g):
    return sorted(sorted(m) for m in g.stories().values())


def test_two_earthquakes_stay_apart_and_paraphrases_join():
    g = _group(QUAKE_A + QUAKE_B + SUMMIT, dated=False)
    assert _partition(g) == [["qa1", "qa2", "qa3"], ["qb1", "qb2", "qb3"], ["s1", "s2"]]


def test_order_independence():
    arts = QUAKE_A + QUAKE_B + SUMMIT
    want = [["qa1", "qa2", "qa3"], ["qb1", "qb2", "qb3"], ["s1", "s2"]]
    perms = list(itertools.permutations(arts))
    for perm in random.Random(1).sample(perms, 8):
        assert _partition(_group(list(perm), dated=False)) == want


def test_why_mentions_shared_terms_time_gap_and_similarity():
    g = OnlineGrouper()
    for doc_id, text, day in QUAKE_A[:2] + QUAKE_B[:1]:
        g.add(doc_id, text, date=day)
    p = g.add(*QUAKE_A[2][:2], date=QUAKE_A[2][2])
    assert p.story_id == g.story_of("qa1")
    why = p.why
    assert why["reason"] == "joined"
    shared = " ".join(why["shared_entities"] + why["shared_terms"]).lower()
    assert "mernic" in shared and "baranek" in shared
    assert why["days_apart"] == 1
    assert "1 day apart" in why["summary"] and "similarity" in why["summary"]


def test_date_gap_keeps_events_apart():
    # The same annual event, reported in almost the same words, a year apart.
    this_year = [("y1", "The Lake Varne summit opened with Prime Minister Oda Kessel hosting "
                        "Estavian leaders for fishing talks.", "2031-03-05"),
                 ("y2", "Prime Minister Oda Kessel hosted the Lake Varne summit; fishing talks "
                        "with Estavia opened.", "2031-03-05")]
    last_year = [("z1", "The Lake Varne summit opened with Prime Minister Oda Kessel hosting "
                        "Estavian leaders for fishing talks.", "2030-03-04"),
                 ("z2", "Prime Minister Oda Kessel hosted the Lake Varne summit as fishing talks "
                        "with Estavia opened.", "2030-03-05")]
    g = _group(this_year + last_year)
    assert _partition(g) == [["y1", "y2"], ["z1", "z2"]]
    undated = _group(this_year + last_year, dated=False)
    assert len(undated.stories()) == 1  # text alone cannot tell them apart


def test_bridge_article_merges_two_stories():
    s = StorySettings(consolidate_every=0)
    g = OnlineGrouper(s)
    g.add("a1", "Flooding on the Tarn river forced Castelmont to evacuate the old town, "
                "mayor Renee Vidal said.")
    g.add("a2", "Castelmont evacuated its old town as the Tarn river flooded, said mayor "
                "Renee Vidal.")
    g.add("b1", "Dam operators at Lac Serin released water into the Tarn; engineer Paul Mercier "
                "warned of rising levels.")
    g.add("b2", "Engineer Paul Mercier said the Lac Serin dam released water into the Tarn "
                "and levels were rising.")
    assert g.story_of("a1") != g.story_of("b1")
    g.add("c1", "Castelmont flooded after the Lac Serin dam released water into the Tarn river: "
                "mayor Renee Vidal evacuated the old town and engineer Paul Mercier warned of "
                "rising levels from the dam.")
    g.add("c2", "Mayor Renee Vidal evacuated old Castelmont as the Tarn flooded; engineer Paul "
                "Mercier said the Lac Serin dam had released water and levels were rising.")
    g.consolidate(full=True)
    assert g.story_of("a1") == g.story_of("b1") == g.story_of("c1") == g.story_of("c2")


def test_split_when_members_form_two_groups():
    g = OnlineGrouper(StorySettings(consolidate_every=0))
    arts = QUAKE_A + QUAKE_B
    for doc_id, text, _ in arts:
        g.add(doc_id, text)
    # force one mixed story, as an early, poorly informed placement could
    sids = {g.story_of(d) for d, _, _ in arts}
    keep = g.story_of("qa1")
    for sid in sids - {keep}:
        g._merge(keep, sid)
    assert len(g.stories()) == 1
    changes = g.consolidate(full=True)
    assert any(c["kind"] == "split" for c in changes)
    assert _partition(g) == [["qa1", "qa2", "qa3"], ["qb1", "qb2", "qb3"]]


def test_a_story_holding_three_events_splits_into_three():
    """A blob of three events (as early placements on a thin stream can make) is
    regrouped bottom-up into its three events, not just bisected."""
    g = OnlineGrouper(StorySettings(consolidate_every=0))
    arts = QUAKE_A + QUAKE_B + SUMMIT
    for doc_id, text, _ in arts:
        g.add(doc_id, text)
    keep = g.story_of("qa1")
    for sid in {g.story_of(d) for d, _, _ in arts} - {keep}:
        g._merge(keep, sid)
    assert len(g.stories()) == 1
    g.consolidate(full=True)
    assert _partition(g) == [["qa1", "qa2", "qa3"], ["qb1", "qb2", "qb3"], ["s1", "s2"]]
    assert g.story_of("qa1") == keep  # the largest part keeps the id


def test_duplicates_count_once_and_follow_original():
    g = OnlineGrouper(StorySettings(consolidate_every=0))
    for doc_id, text, day in QUAKE_A[:2]:
        g.add(doc_id, text, date=day)
    sid = g.story_of("qa1")
    before = g._stories[sid].n
    p = g.add("copy", QUAKE_A[0][1], duplicate_of="qa1")
    assert p.story_id == sid and p.why["reason"] == "duplicate"
    assert g._stories[sid].n == before


def test_scoring_one_story_and_arrays_agree():
    s = StorySettings()
    sc = Scorer(s)
    sc.cohesion = 0.31
    gaps = list(range(int(s.date_max_gap_days) + 5))
    arr = sc.gap_factors(np.array(gaps, float))
    assert arr.tolist() == pytest.approx([sc.gap_factor(g) for g in gaps], rel=1e-15)
    assert sc.gap_factor(0) == sc.gap_factor(int(s.date_grace_days)) == 1.0
    assert sc.gap_factor(int(s.date_max_gap_days) + 1) == 0.0
    st = Story(members={}, sum={1: 1.2, 2: 0.9}, sq=1.2 ** 2 + 0.9 ** 2, n=2, dmin=10, dmax=12)
    one = Story(members={}, sum={1: 1.0}, sq=1.0, n=1)
    assert sc.shrunk_arr(np.array([2.0, 1.0]), np.array([st.sq, one.sq])).tolist() == (
        pytest.approx([sc.shrunk(st), sc.shrunk(one)], rel=1e-15))
    assert sc.date_factors(np.array([20.0]), np.array([10.0]), np.array([12.0]))[0] == (
        pytest.approx(sc.date_factor(20, st), rel=1e-15))
    assert sc.date_factors(np.array([np.nan]), np.array([10.0]), np.array([12.0]))[0] == 1.0
    assert st.gap(11) == 0 and st.gap(20) == 8 and st.gap(None) is None


def test_evaluate_and_bcubed():
    assert bcubed([1, 1, 2], [1, 1, 2]) == (1.0, 1.0, 1.0)
    rows = [{"id": d, "text": t, "date": day, "story": d[:2] if d[0] == "q" else "s"}
            for d, t, day in QUAKE_A + QUAKE_B + SUMMIT]
    out = evaluate(rows, seed=3)
    for key in ["bcubed_precision", "bcubed_recall", "bcubed_f1", "ari", "nmi",
                "stories_found", "stories_gold", "articles_per_s"]:
        assert key in out
    assert out["bcubed_f1"] == 1.0


def test_segments_round_trip_matches_the_live_grouper():
    ids = {d: i for i, (d, _, _) in enumerate(QUAKE_A + QUAKE_B + SUMMIT)}
    g = OnlineGrouper(StorySettings())
    for doc_id, text, day in QUAKE_A + QUAKE_B + SUMMIT:
        g.add(ids[doc_id], text, date=day)
    g.add(100, QUAKE_A[0][1], date=QUAKE_A[0][2], duplicate_of=ids["qa1"])
    g.consolidate(full=True)
    seg = g.export_new()
    placements = {x: g.story_of(x) for x in [*ids.values(), 100]}
    h, missing = OnlineGrouper.load_segments(g.settings, [seg], placements,
                                             cohesion=g.cohesion, next_id=g.next_id)
    assert missing == set()
    assert _partition(h) == _partition(g)
    assert ids["qa1"] in h and 100 in h and 999 not in h
    assert h.next_id == g.next_id
    for sid, st in g._stories.items():
        other = h._stories[sid]
        assert other.n == st.n and abs(other.sq - st.sq) < 1e-6
        assert set(other.sum) == set(st.sum)
        assert (other.dmin, other.dmax) == (st.dmin, st.dmax)
    p = h.add(101, "Rescue teams in Mernic, Valdoria, found two survivors of the 6.8 "
                   "earthquake, Governor Ilsa Baranek said.", date="2031-03-05")
    assert p.story_id == h.story_of(ids["qa1"])


# Two events of one kind: the same actress enters rehab twice, at different clinics,
# for different reasons, named by different spokespeople.
REHAB_A = [
    ("ra1", "Actress Mira Solen has checked into the Harbourview Center in Calden for treatment, "
            "her publicist Dana Holt said on Tuesday. Solen, 34, entered rehab days after her "
            "arrest for drunk driving."),
    ("ra2", "Mira Solen is in rehab. The actress checked herself into Harbourview Center in "
            "Calden, publicist Dana Holt told reporters, asking for privacy for her family."),
    ("ra3", "Publicist Dana Holt confirmed that Mira Solen entered the Harbourview Center, a "
            "treatment facility in Calden, following her drunk driving arrest last week."),
    ("ra4", "The actress Mira Solen went into rehab at Calden's Harbourview Center on Tuesday, "
            "a week after police arrested her for drunk driving, according to Dana Holt."),
    ("ra5", "Mira Solen checked into Harbourview Center; Dana Holt, her publicist, said the "
            "actress wanted treatment after the drunk driving arrest in Calden."),
]
REHAB_B = [
    ("rb1", "Actress Mira Solen checked into the Pinecrest Retreat in Arlow to begin a 90-day "
            "court-ordered rehab stay for violating her probation, lawyer Victor Amsel said."),
    ("rb2", "Mira Solen is back in rehab: her lawyer Victor Amsel said the actress entered "
            "Pinecrest Retreat in Arlow, as the judge ordered after the probation violation."),
    ("rb3", "A judge sent Mira Solen to rehab for 90 days for breaking her probation; the "
            "actress checked into Pinecrest Retreat, lawyer Victor Amsel confirmed."),
    ("rb4", "Lawyer Victor Amsel said Mira Solen arrived at Pinecrest Retreat in Arlow on "
            "Friday for the 90-day treatment stay the court ordered."),
    ("rb5", "The actress Mira Solen began a court-ordered 90-day stay at Arlow's Pinecrest "
            "Retreat, Victor Amsel, her lawyer, told reporters after the probation hearing."),
]
REHAB_IDS = [[d for d, _ in REHAB_A], [d for d, _ in REHAB_B]]
REHAB_ONE = [sorted(REHAB_IDS[0] + REHAB_IDS[1])]


def test_graph_cut_finds_two_groups_joined_by_one_weak_link():
    import numpy as np

    from storydesk.stories.graph import best_cut, conductance, knn_graph, neighbours_for

    rng = np.random.default_rng(0)
    K = np.full((12, 12), 0.05)
    K[:6, :6] = K[6:, 6:] = 0.5
    K += rng.uniform(0, 0.05, K.shape)
    K = (K + K.T) / 2
    K[2, 9] = K[9, 2] = 0.45  # one article that looks like the other event
    np.fill_diagonal(K, 1.0)
    W = knn_graph(K, 3)
    assert (W == W.T).all() and (np.diag(W) == 0).all()
    assert ((W > 0).sum(axis=1) >= 3).all()
    part, cond = best_cut(W)
    assert sorted([np.flatnonzero(part).tolist(), np.flatnonzero(~part).tolist()]) == [
        list(range(6)), list(range(6, 12))]
    assert cond < 0.1
    # one group of alike members has no clean cut; a random half crosses about half
    one = np.full((10, 10), 0.5) + rng.uniform(0, 0.05, (10, 10))
    one = (one + one.T) / 2
    _, cond_one = best_cut(knn_graph(one, neighbours_for(10, 3, 0.2)))
    assert cond_one > 0.3
    assert conductance(W, np.arange(12) < 6) == pytest.approx(cond)
    assert neighbours_for(10, 3, 0.2) == 3 and neighbours_for(100, 3, 0.2) == 20
    assert neighbours_for(3, 3, 0.2) == 2


def test_graph_of_a_small_story_can_part_two_events_of_three():
    """Two events of three reports each, alike across (0.3) but each report nearest its
    own event's: with three neighbours a member must link across, so no cut is clean;
    the story of six takes two (a third of it), and the cut between the events is
    clean."""
    import numpy as np

    from storydesk.stories.graph import best_cut, knn_graph, neighbours_for

    rng = np.random.default_rng(1)
    K = np.full((6, 6), 0.3) + rng.uniform(0, 0.02, (6, 6))
    K[:3, :3] = K[3:, 3:] = 0.45
    K = (K + K.T) / 2
    np.fill_diagonal(K, 1.0)
    _, cond_three = best_cut(knn_graph(K, 3))
    assert cond_three > 0.2
    assert [neighbours_for(n, 3, 0.2) for n in (4, 6, 8, 9, 12)] == [2, 2, 2, 3, 3]
    part, cond = best_cut(knn_graph(K, neighbours_for(6, 3, 0.2)))
    assert cond == 0.0
    assert sorted([np.flatnonzero(part).tolist(), np.flatnonzero(~part).tolist()]) == [
        [0, 1, 2], [3, 4, 5]]


@pytest.mark.parametrize("conductance_bar, want", [(0.06, REHAB_IDS), (0.0, REHAB_ONE)])
def test_neighbour_graph_splits_a_story_average_link_keeps_whole(conductance_bar, want):
    """A story holding both rehab stays, with the average-link splits switched off
    (regroup and 2-means bars at 0): only the neighbour graph can part them."""
    s = StorySettings(consolidate_every=0, regroup_ratio=0.0, split_ratio=0.0,
                      split_conductance=conductance_bar)
    g = OnlineGrouper(s)
    for doc_id, text in REHAB_A + REHAB_B:
        g.add(doc_id, text)
    keep = g.story_of("ra1")
    for sid in {g.story_of(d) for d, _ in REHAB_A + REHAB_B} - {keep}:
        g._merge(keep, sid)
    g.consolidate(full=True)
    assert _partition(g) == want


@pytest.mark.parametrize("conductance_bar, want", [(0.06, REHAB_IDS), (0.0, REHAB_ONE)])
def test_neighbour_graph_vetoes_a_merge_average_link_would_make(conductance_bar, want):
    """With the merge bar so low that average link joins any two stories (and its
    splits off), the two rehab stays still do not merge: their joint neighbour graph
    is cut between them."""
    s = StorySettings(merge_ratio=0.01, regroup_ratio=0.0, split_ratio=0.0, consolidate_every=0,
                      split_conductance=conductance_bar)
    for order in (REHAB_A + REHAB_B, REHAB_B + REHAB_A):
        g = OnlineGrouper(s)
        for doc_id, text in order:
            g.add(doc_id, text)
        g.consolidate(full=True)
        assert _partition(g) == want


def test_key_entities_count_an_article_once_and_show_the_most_mentioned_type():
    from storydesk.models import Article, Entity
    from storydesk.stories.keeper import key_entities

    venn, moor = "Ada Venn", "Brennmoor"
    a = Article("a", "", entities=[Entity(moor, "person", 1), Entity(moor, "place", 2),
                                   Entity(venn, "person", 1)])
    b = Article("b", "", entities=[Entity(moor, "place", 1), Entity(venn, "person", 2)])
    copy = Article("c", "", entities=[Entity(moor, "person", 9)])
    got = key_entities([a, b, copy], [False, False, True], 8)
    assert got == [{"name": moor, "type": "place", "articles": 2},
                   {"name": venn, "type": "person", "articles": 2}]
    assert key_entities([a, b], [False, False], 1) == [got[0]]


def test_key_entities_a_bare_name_is_a_person_only_where_no_article_says_otherwise():
    from storydesk.models import Article, Entity
    from storydesk.stories.keeper import key_entities

    def art(*ents: tuple[str, str, int]) -> Article:
        return Article("t", "", entities=[Entity(*e) for e in ents])

    # one article takes the town for a surname four times, another calls it a place
    got = key_entities([art(("Brennmoor", "person", 4)), art(("Brennmoor", "place", 1))],
                       [False, False], 8)
    assert got == [{"name": "Brennmoor", "type": "place", "articles": 2}]
    # a surname the story also gives in full stays a person
    got = key_entities([art(("Venn", "person", 4)), art(("Venn", "place", 1),
                                                        ("Ada Venn", "person", 1))],
                       [False, False], 8)
    assert {e["name"]: e["type"] for e in got} == {"Venn": "person", "Ada Venn": "person"}
