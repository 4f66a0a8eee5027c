"""kill -9 an ingesting ``storydesk add`` at random points, again and again: the store
passes ``PRAGMA integrity_check``, no article is half-stored (row, full-text index,
duplicate bands all there or none), stories stay consistent (an article is placed at
most once, story rows match their placements), and re-running the same ingest
completes it with no duplicates.

The commands run in children forked from a warmed-up helper (tests/forkserver.py), so
a kill lands in the real work rather than in seconds of imports. More runs:
``STORYDESK_CRASH_RUNS=200 pytest tests/test_crash.py``.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import time
from collections import Counter
from pathlib import Path

from forkserver import ForkServer
from storecheck import check_store

from storydesk import Desk

SAMPLE = Path(__file__).parent.parent / "src" / "storydesk" / "sample"
RUNS = int(os.environ.get("STORYDESK_CRASH_RUNS", "24"))
KILLS_PER_STORE = 4  # kills into one store before it is completed and checked


def check_complete(db: Path, reference: Counter[str]) -> None:
    con = sqlite3.connect(db)
    titles = Counter(t for (t,) in con.execute("SELECT title FROM articles"))
    con.close()
    assert titles == reference  # every article once: none lost, none doubled
    with Desk(str(db)) as desk:
        assert desk.store.unplaced_article_ids() == []
        placements = desk.store.all_placements()
        assert len(placements) == desk.store.count_articles()
        keeper = desk.ingestor.keeper
        keeper.ensure_loaded()
        assert keeper.grouper is not None
        assert {k: sorted(v) for k, v in keeper.grouper.stories().items()} == \
            {st.id: sorted(st.article_ids) for st in desk.stories(limit=None)}


def test_kill_9_during_add_leaves_a_consistent_store(tmp_path: Path) -> None:
    inputs = [str(p) for p in sorted(SAMPLE.iterdir()) if p.is_dir()]
    rng = random.Random(int(os.environ.get("STORYDESK_CRASH_SEED", "7")))
    log = tmp_path / "add.log"
    with ForkServer(warm_inputs=[inputs[0]]) as fs:
        ref = tmp_path / "ref.db"
        started = time.monotonic()
        assert fs.wait(fs.start(ref, "add", *inputs, log=log)) == 0
        full = time.monotonic() - started
        con = sqlite3.connect(ref)
        reference = Counter(t for (t,) in con.execute("SELECT title FROM articles"))
        con.close()
        assert sum(reference.values()) >= 40

        killed, partial, stores = 0, [], 0
        db = tmp_path / "crash0.db"
        for run in range(RUNS):
            pid = fs.start(db, "add", *inputs, log=log)
            time.sleep(rng.uniform(0.0, full))
            os.kill(pid, signal.SIGKILL)  # the child is not reaped yet: the pid is its own
            code = fs.wait(pid)
            assert code in (0, -signal.SIGKILL), log.read_text()[-2000:]
            killed += code == -signal.SIGKILL
            counts = check_store(db)
            partial.append(counts["articles"])
            if run % KILLS_PER_STORE == KILLS_PER_STORE - 1 or run == RUNS - 1:
                assert fs.wait(fs.start(db, "add", *inputs, log=log)) == 0
                check_store(db)
                check_complete(db, reference)
                stores += 1
                db = tmp_path / f"crash{stores}.db"
    text = log.read_text()
    assert "locked" not in text and "Traceback" not in text
    # The kills landed all over the run: before the first article and among them.
    assert killed >= RUNS * 3 // 4, (killed, RUNS)
    assert any(0 < n < sum(reference.values()) for n in partial), partial
    print(f"\n{RUNS} runs, {killed} killed by SIGKILL, {stores} stores completed; "
          f"articles stored at each kill: {partial}; one full add {full:.2f} s")


def test_kill_9_of_the_installed_command_mid_ingest(tmp_path: Path) -> None:
    """The same with the ``storydesk`` executable itself, killed once it is storing."""
    import subprocess
    import sys

    db = tmp_path / "exe.db"
    inputs = [str(p) for p in sorted(SAMPLE.iterdir()) if p.is_dir()]
    exe = Path(sys.executable).parent / "storydesk"
    env = {**os.environ, "STORYDESK_DB": str(db)}
    proc = subprocess.Popen([str(exe), "add", *inputs], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    stored = 0
    while stored < 5 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
            stored = con.execute("SELECT count(*) FROM articles").fetchone()[0]
            con.close()
        except sqlite3.OperationalError:
            pass  # not created yet
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    counts = check_store(db)
    assert 5 <= counts["articles"] < 43
    done = subprocess.run([str(exe), "add", *inputs], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("0 failed") and "locked" not in done.stderr
    check_store(db)
    con = sqlite3.connect(db)
    [(n,)] = con.execute("SELECT count(*) FROM articles").fetchall()
    [(distinct,)] = con.execute("SELECT count(DISTINCT title) FROM articles").fetchall()
    con.close()
    assert n == 43 and distinct == n


def test_processes_creating_a_new_store_at_once(tmp_path: Path) -> None:
    """Each schema step is one transaction taken under the write lock: processes opening
    a new store together make it once, and none fails on a half-made schema."""
    import subprocess
    import sys

    db = tmp_path / "new.db"
    code = "import sys; from storydesk import Desk; Desk(sys.argv[1]).close()"
    procs = [subprocess.Popen([sys.executable, "-c", code, str(db)], stderr=subprocess.PIPE,
                              text=True) for _ in range(4)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    check_store(db)
