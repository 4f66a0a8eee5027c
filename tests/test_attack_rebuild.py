"""``kill -9`` of a real ``storydesk rebuild`` while ``storydesk serve`` reads the same
SQLite file: the reader keeps serving every story, before, during and after."""

from __future__ import annotations

import fcntl
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from storecheck import check_store
from test_serve_reliability import SAMPLE, start_server

EXE = Path(sys.executable).parent / "storydesk"
COPIES = 5  # the sample several times over (each copy another text): a rebuild long
            # enough to be killed in the middle of its work


def lock_held(lock: Path) -> bool:
    """Whether some process holds the store's ``stories`` lock (the rebuild's work)."""
    if not lock.exists():
        return False
    with lock.open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh, fcntl.LOCK_UN)
        return False


def make_inputs(tmp: Path) -> Path:
    inputs = tmp / "in"
    for k in range(COPIES):
        for outlet in sorted(p for p in SAMPLE.iterdir() if p.is_dir()):
            dest = inputs / f"{outlet.name}-{k}"
            shutil.copytree(outlet, dest)
            for i, f in enumerate(sorted(dest.iterdir())):
                if f.suffix == ".txt":  # another text: a sentence of its own in the body
                    head, sep, body = f.read_text().partition("\n\n")
                    f.write_text(f"{head}{sep}In edition {k}.{i}, the desk filed this "
                                 f"report again with the same facts. {body}")
    return inputs


def stories_seen(base: str, log: Path) -> dict[int, int]:
    """Every story the reader lists (id -> article count); each page must answer (else
    the reader's log says why)."""
    with httpx.Client(base_url=base, timeout=30) as c:
        items = c.get("/api/stories", params={"limit": 200}).json()["items"]
        for st in items[:5]:
            for path in (f"/stories/{st['id']}", f"/api/stories/{st['id']}"):
                status = c.get(path).status_code
                assert status == 200, f"{path}: {status}\n{log.read_text()[-4000:]}"
        return {st["id"]: len(st["article_ids"]) for st in items}


def test_killing_a_rebuild_leaves_the_stories_served(tmp_path: Path) -> None:
    db, log = tmp_path / "news.db", tmp_path / "serve.log"
    env = {**os.environ, "STORYDESK_DB": str(db)}
    out = subprocess.run([str(EXE), "add", str(make_inputs(tmp_path))], env=env,
                         capture_output=True, text=True, timeout=600, check=False)
    assert out.returncode == 0, out.stderr
    proc, base = start_server(db, log)
    lock = Path(f"{db}.stories.lock")
    rnd = random.Random(7)
    try:
        before = stories_seen(base, log)
        articles = sum(before.values())
        assert before and articles >= 100
        t0 = time.monotonic()
        full = subprocess.run([str(EXE), "rebuild"], env=env, capture_output=True,
                              text=True, timeout=600, check=False)
        assert full.returncode == 0, full.stderr
        whole = time.monotonic() - t0
        after_full = stories_seen(base, log)
        assert sum(after_full.values()) == articles
        kills = 0
        for _ in range(3):
            rebuild = subprocess.Popen([str(EXE), "rebuild"], env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + whole * 3 + 30
            while not lock_held(lock) and rebuild.poll() is None:
                assert time.monotonic() < deadline, "the rebuild never started its work"
                time.sleep(0.005)
            time.sleep(rnd.uniform(0.0, 0.4))  # somewhere in the regrouping
            if rebuild.poll() is None:
                rebuild.send_signal(signal.SIGKILL)
                kills += 1
            rebuild.wait(timeout=30)
            # the reader, still running, serves every story, with every article placed
            seen = stories_seen(base, log)
            assert seen and sum(seen.values()) == articles, (len(seen), sum(seen.values()))
            with httpx.Client(base_url=base, timeout=30) as c:
                assert c.get("/").status_code == 200
        assert kills >= 2, "the rebuild finished before it could be killed"
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    check_store(db)
