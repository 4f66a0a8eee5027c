"""Stories through the public surface: the Desk API and the real `storydesk` command.

The fixtures are fictional: word pools of invented events in an invented town.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from storydesk import Desk
from storydesk.demo import SAMPLE, gold, gold_key, load
from storydesk.stories import bcubed

COMMON = "Tarrow council Brenna river harbour district officials residents Tuesday".split()
FIRE = ("fire blaze firefighters smoke warehouse flames burned Odile Marsh chief hoses "
        "ladder").split()
FIRE1 = "fire blaze smoke warehouse flames burned roof collapsed".split()
FIRE2 = "firefighters Odile Marsh chief hoses ladder rescued crews trapped".split()
ARSON = "arrest arson suspect police detectives charged court Ada Venn confessed custody".split()
VOTE = "election ballot candidates polling turnout mayor Ilse Grohm campaign votes count".split()


def _text(rng: random.Random, own: list[str], n_own: int = 20, n_shared: int = 8) -> str:
    words = rng.choices(own, k=n_own) + rng.choices(COMMON, k=n_shared)
    rng.shuffle(words)
    return "The report says " + " ".join(words) + "."


def _rows(prefix: str, own: list[str], n: int, seed: int, **kw: int) -> list[dict]:
    rng = random.Random(f"{prefix}{seed}")
    return [{"title": " ".join(rng.sample(own, 3)).capitalize(),
             "text": _text(rng, own, **kw),
             "outlet": ["Tarrow Herald", "Brenna Post", "River Wire"][i % 3],
             "date": "2025-05-02", "url": f"https://example.org/{prefix}{i}"}
            for i in range(n)]


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _story_by_title(desk: Desk) -> dict[str, int]:
    """Story of each article, keyed by the fixture's name ("f0")."""
    return {(a.url or "").rsplit("/", 1)[1]: desk.story_of(a.id)
            for a in desk.articles(limit=None)}


def _partition(desk: Desk) -> list[list[str]]:
    groups: dict[int, list[str]] = {}
    for title, sid in _story_by_title(desk).items():
        groups.setdefault(sid, []).append(title)
    return sorted(sorted(g) for g in groups.values())


def test_articles_are_placed_on_add(tmp_path, store_db):
    rows = _rows("f", FIRE, 3, 0) + _rows("v", VOTE, 3, 0)
    with Desk(store_db) as desk:
        report = desk.add(str(_jsonl(tmp_path / "a.jsonl", rows)))
        assert len(report.added) == 6
        by = _story_by_title(desk)
        assert None not in by.values()
        assert len({by[f"f{i}"] for i in range(3)}) == 1
        assert len({by[f"v{i}"] for i in range(3)}) == 1
        assert by["f0"] != by["v0"]
        stories = desk.stories()
        assert len(stories) == 2
        fire = desk.story(by["f0"])
        assert fire is not None and fire.title in {r["title"] for r in rows[:3]}
        assert sorted(fire.outlets) == ["Brenna Post", "River Wire", "Tarrow Herald"]
        assert fire.first_date == fire.last_date == "2025-05-02"
        assert len(fire.article_ids) == 3 and set(fire.why) == set(fire.article_ids)
        joined = [w for w in fire.why.values() if w["reason"] == "joined"]
        assert joined and all("similarity" in w and "days_apart" in w for w in joined)
        assert fire.entities and all(set(e) == {"name", "type", "articles"} for e in fire.entities)
        assert desk.stories(outlet="brenna post")
        assert desk.stories(since="2031-06-01") == []
        # a new Desk on the same store loads the state and goes on placing
    with Desk(store_db) as desk:
        desk.add(str(_jsonl(tmp_path / "b.jsonl", _rows("g", FIRE, 2, 5))))
        by = _story_by_title(desk)
        assert by["g0"] == by["g1"] == by["f0"]
        assert desk.place_new_articles() == 0


def test_near_duplicate_joins_its_original_and_counts_once(tmp_path, store_db):
    rows = _rows("f", FIRE, 3, 1) + _rows("v", VOTE, 3, 1)
    copy = dict(rows[0], url="https://example.org/copy", title="A copy",
                text=rows[0]["text"] + " Updated.")
    with Desk(store_db) as desk:
        desk.add(str(_jsonl(tmp_path / "a.jsonl", rows)))
        report = desk.add(str(_jsonl(tmp_path / "b.jsonl", [copy])))
        assert report.near_duplicates, "fixture: the copy should be linked as a near-duplicate"
        new, orig = report.near_duplicates[0]
        sid = desk.story_of(orig)
        assert desk.story_of(new) == sid
        story = desk.story(sid)
        assert story is not None and story.why[new]["reason"] == "duplicate"


def test_two_stories_merge_when_bridging_reports_arrive(tmp_path):
    # one fire told two ways: the blaze (p), the rescue (q); later reports tell both (m)
    first = _rows("p", FIRE1, 6, 5) + _rows("q", FIRE2, 2, 5) + _rows("v", VOTE, 3, 5)
    with Desk(str(tmp_path / "d.db")) as desk:
        desk.add(str(_jsonl(tmp_path / "a.jsonl", first)))
        by = _story_by_title(desk)
        p, q = by["p0"], by["q0"]
        assert p != q, "fixture: the two halves start as two stories"
        desk.add(str(_jsonl(tmp_path / "b.jsonl", _rows("m", FIRE1 + FIRE2, 4, 5))))
        by = _story_by_title(desk)
        fire = {sid for t, sid in by.items() if t[0] in "pqm"}
        assert fire == {p}, "the larger story keeps its id"
        assert desk.story(q) is None
        assert by["v0"] not in fire
        story = desk.story(p)
        assert story is not None and len(story.article_ids) == 12
        assert set(story.why) == set(story.article_ids)


def test_a_story_splits_when_later_reports_show_two_events(tmp_path):
    mixed = _rows("x", FIRE + ARSON, 3, 3) + _rows("v", VOTE, 3, 3)
    with Desk(str(tmp_path / "d.db")) as desk:
        desk.add(str(_jsonl(tmp_path / "a.jsonl", mixed)))
        x = _story_by_title(desk)["x0"]
        later = _rows("f", FIRE, 5, 3) + _rows("a", ARSON, 4, 3)
        desk.add(str(_jsonl(tmp_path / "b.jsonl", later)))
        by = _story_by_title(desk)
        fire = {by[f"f{i}"] for i in range(5)}
        arson = {by[f"a{i}"] for i in range(4)}
        assert len(fire) == 1 and len(arson) == 1 and fire != arson
        assert x in fire | arson, "the larger part keeps the id"
        for sid in fire | arson:
            st = desk.story(sid)
            assert st is not None and set(st.why) == set(st.article_ids)
        assert desk.store.count_stories() == len(set(by.values()))


def test_order_of_arrival_changes_nothing_here(tmp_path):
    rows = (_rows("f", FIRE, 4, 4) + _rows("a", ARSON, 4, 4) + _rows("v", VOTE, 4, 4))
    seen = []
    for seed in range(3):
        order = rows[:]
        random.Random(seed).shuffle(order)
        with Desk(str(tmp_path / f"d{seed}.db")) as desk:
            # in three batches, as a feed would deliver them
            for k in range(3):
                desk.add(str(_jsonl(tmp_path / f"o{seed}{k}.jsonl", order[k * 4 : k * 4 + 4])))
            seen.append(_partition(desk))
    assert seen[0] == seen[1] == seen[2]
    assert len(seen[0]) == 3


def test_rebuild_regroups_everything(tmp_path, store_db):
    rows = _rows("f", FIRE, 3, 6) + _rows("v", VOTE, 3, 6)
    with Desk(store_db) as desk:
        desk.add(str(_jsonl(tmp_path / "a.jsonl", rows)))
        before = _partition(desk)
        ticks = []
        assert desk.rebuild(progress=lambda done, total: ticks.append((done, total))) == 2
        assert _partition(desk) == before
        assert ticks[-1] == (6, 6)


def test_sample_groups_into_its_gold_stories(tmp_path):
    db = tmp_path / "demo.db"
    load(str(db))
    with Desk(str(db)) as desk:
        f1, pred = _sample_f1(desk)
        assert f1 >= 0.9, f1
        assert desk.store.count_stories() == len(set(pred))


def _sample_f1(desk: Desk) -> tuple[float, list[int | None]]:
    """BCubed F1 of the desk's stories against the sample's gold stories."""
    placed = {gold_key(a.origin or ""): desk.story_of(a.id) for a in desk.articles(limit=None)}
    pred = [placed[g["file"]] for g in gold()]
    return bcubed([g["story"] for g in gold()], pred)[2], pred



def test_sample_added_outlet_by_outlet_keeps_its_gold_stories(tmp_path):
    """One outlet per ``add``, the wire first: its nine reports of nine events
    arrive before any second account. Early merges made on so little evidence
    must be undone as the other outlets arrive."""
    first = ["meridian-wire", "valdoria-state-agency"]
    outlets = first + sorted(p.name for p in SAMPLE.iterdir()
                             if p.is_dir() and p.name not in first)
    with Desk(str(tmp_path / "d.db")) as desk:
        for name in outlets:
            desk.add([str(SAMPLE / name)])
        f1, _ = _sample_f1(desk)
        assert f1 >= 0.95, f1


def test_two_processes_placing_on_one_store_take_turns(store_db):
    """Two `storydesk add` processes on one store (a SQLite file; a PostgreSQL
    database) at once: every article is placed exactly once, story ids do not
    collide, and the saved state loads without a regroup."""
    db = store_db
    halves = ([SAMPLE / n for n in ("meridian-wire", "harbour-courier", "lantern-review",
                                    "ostmark-free-press")],
              [p for p in sorted(SAMPLE.iterdir()) if p.is_dir() and p.name not in
               ("meridian-wire", "harbour-courier", "lantern-review", "ostmark-free-press")])
    exe = Path(sys.executable).parent / "storydesk"
    env = {**os.environ, "STORYDESK_DB": str(db)}
    Desk(str(db)).close()  # create the schema once, as a first run would
    procs = [subprocess.Popen([str(exe), "add", *map(str, half)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for half in halves]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        assert "locked" not in err
    with Desk(str(db)) as desk:
        assert desk.store.unplaced_article_ids() == []
        placements = desk.store.all_placements()
        assert len(placements) == desk.store.count_articles()
        rows = desk.stories(limit=None)
        assert sorted(a for st in rows for a in st.article_ids) == sorted(placements)
        keeper = desk.ingestor.keeper
        keeper.ensure_loaded()
        assert keeper.grouper is not None and len(keeper.grouper) == len(placements)
        assert {k: sorted(v) for k, v in keeper.grouper.stories().items()} == \
            {st.id: sorted(st.article_ids) for st in rows}
        f1, _ = _sample_f1(desk)
        assert f1 >= 0.9, f1

# -- the command ------------------------------------------------------------------------------

def _storydesk(*args: str, db: Path | str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "storydesk"
    env = {**os.environ, "STORYDESK_DB": str(db), "COLUMNS": "200"}
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, timeout=120)


STORY_KEYS = ["id", "title", "article_ids", "outlets", "first_date", "last_date", "entities"]


def test_story_commands(tmp_path, store_db):
    db = store_db
    rows = _rows("f", FIRE, 3, 7) + _rows("v", VOTE, 2, 7)
    assert _storydesk("add", str(_jsonl(tmp_path / "a.jsonl", rows)), db=db).returncode == 0

    listed = json.loads(_storydesk("stories", "--json", db=db).stdout)
    assert len(listed) == 2
    assert all(list(s) == STORY_KEYS for s in listed)
    assert sorted(len(s["article_ids"]) for s in listed) == [2, 3]
    assert json.loads(_storydesk("stories", "--json", "--limit", "1", db=db).stdout)[0] in listed
    assert json.loads(_storydesk("stories", "--json", "--since", "2031-06-01", db=db).stdout) == []
    by_outlet = json.loads(_storydesk("stories", "--json", "--outlet", "River Wire",
                                      db=db).stdout)
    assert len(by_outlet) == 1  # only f1 is from River Wire (i % 3 == 2 -> f2)

    big = max(listed, key=lambda s: len(s["article_ids"]))
    shown = json.loads(_storydesk("show", "story", str(big["id"]), "--json", db=db).stdout)
    assert list(shown) == [*STORY_KEYS, "why", "summary"]
    assert sorted(shown["why"]) == sorted(str(a) for a in big["article_ids"])
    table = _storydesk("show", "story", str(big["id"]), db=db)
    assert table.returncode == 0 and "why:" in table.stdout and big["title"] in table.stdout
    missing = _storydesk("show", "story", "999", db=db)
    assert missing.returncode == 1 and "no story" in missing.stderr

    out = _storydesk("rebuild", db=db)
    assert out.returncode == 0 and "5 articles in 2 stories" in out.stdout
    assert len(json.loads(_storydesk("stories", "--json", db=db).stdout)) == 2
    human = _storydesk("stories", db=db)
    assert human.returncode == 0 and "2 of 2 stories" in human.stdout


def test_eval_stories_command(tmp_path):
    rows = [dict(r, id=f"f{i}", story="fire") for i, r in enumerate(_rows("f", FIRE, 3, 8))]
    rows += [dict(r, id=f"v{i}", story="vote") for i, r in enumerate(_rows("v", VOTE, 3, 8))]
    path = _jsonl(tmp_path / "gold.jsonl", rows)
    res = _storydesk("eval", "stories", str(path), "--json", "--seed", "2", db=tmp_path / "x.db")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert list(out) == ["bcubed_precision", "bcubed_recall", "bcubed_f1", "ari", "nmi",
                         "stories_found", "stories_gold", "articles_per_s", "languages",
                         "across_languages"]
    assert out["languages"]["en"]["articles"] == len(rows)
    assert out["bcubed_f1"] == 1.0 and out["stories_found"] == out["stories_gold"] == 2
    assert not (tmp_path / "x.db").exists()
    human = _storydesk("eval", "stories", str(path), db=tmp_path / "x.db")
    assert "bcubed_f1" in human.stdout
    bad = _jsonl(tmp_path / "bad.jsonl", [{"text": "no id"}])
    assert _storydesk("eval", "stories", str(bad), db=tmp_path / "x.db").returncode == 1


@pytest.mark.parametrize("cmd", [["stories"], ["show", "story"], ["rebuild"],
                                 ["eval", "stories"]])
def test_story_help(tmp_path, cmd):
    res = _storydesk(*cmd, "--help", db=tmp_path / "x.db")
    assert res.returncode == 0 and "Usage" in res.stdout
