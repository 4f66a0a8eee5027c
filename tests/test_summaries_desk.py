"""Summaries through the public surface: the Desk API and the real `storydesk` command on a
real SQLite file. Every text here is made up for these tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from storydesk import Desk
from storydesk.models import Story
from storydesk.services.summaries import summary_params_key
from storydesk.settings import Settings
from storydesk.summarize import split_sentences
from storydesk.summarize.single import display_text

# Three outlets on one made-up event. The reopening date and the cause are stated by all
# three in different words; the inspection firm only by the first; the mayor's quote by
# the second.
CRANE = {
    "northgate.txt": "\n".join([
        'Crane collapse closes Mirelle container terminal',
        '',
        'By Ada Voss, Port Correspondent',
        '',
        'Photo: The fallen crane on Quay 4 (Northgate Daily)',
        '',
        'MIRELLE - A giant container crane collapsed onto Quay 4 of the Mirelle container'
        ' terminal on Tuesday night, injuring two dock workers and closing the terminal.',
        'The port authority said the terminal would reopen on Friday once the wreckage '
        'has been cleared.',
        "Investigators believe a snapped cable on the crane's boom caused the collapse.",
        "The two injured workers were taken to St. Anne's hospital with broken bones and "
        'are in stable condition.',
        'The crane, built in 1998, had been inspected by the firm Halder & Sons in January.',
        'Shipping lines were told to divert vessels to the nearby port of'
        ' Ostrow until the weekend.',
        '',
        'Share this article',
        'Next Article',
        'Council votes on new tram depot',
        '',
    ]),
    "courier.txt": "\n".join([
        'Two hurt as crane falls at Mirelle port',
        '',
        'A container crane fell onto a quay at the Mirelle container terminal late on '
        'Tuesday, hurting two dock workers and shutting the terminal.',
        'A snapped boom cable is thought to have caused the collapse, investigators said.',
        'The port authority expects the terminal to reopen on Friday after the'
        ' wreckage is cleared.',
        '"We were lucky nobody was killed," Mayor Ilse Brandt told reporters at the gate.',
        'Both injured men are in stable condition in hospital.',
        '',
    ]),
    "lantern.txt": "\n".join([
        'Mirelle terminal shut after crane accident',
        '',
        'The Mirelle container terminal will reopen on Friday, the port authority said, '
        'after a crane collapsed onto Quay 4 on Tuesday night and injured two workers.',
        'Investigators said a snapped cable on the boom caused the crane to collapse.',
        'Unions have called for an inquiry into maintenance at the port.',
        'Container traffic was sent to the port of Ostrow for the rest of the week.',
        '',
    ]),
}
OUTLETS = {"northgate.txt": "Northgate Daily", "courier.txt": "Harbour Courier",
           "lantern.txt": "Lantern Review"}
STORY = 900  # a story id of our own, placed by the test


def _write(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, body in CRANE.items():
        p = folder / name
        p.write_text(body, encoding="utf-8")
        paths[name] = p
    return paths


def _desk_with_story(tmp_path: Path, settings: Settings | None = None,
                     db: str | None = None) -> tuple[Desk, dict]:
    paths = _write(tmp_path / "in")
    desk = Desk(db or str(tmp_path / "desk.db"), settings=settings)
    ids = {}
    for name, p in paths.items():
        report = desk.add([str(p)], outlet=OUTLETS[name])
        assert report.added, report.failures
        ids[name] = report.added[0]
    _place(desk, list(ids.values()))
    return desk, ids


def _place(desk: Desk, article_ids: list[int]) -> None:
    desk.store.write_stories(
        {a: (STORY, {"summary": "placed by the test"}) for a in article_ids},
        [Story(id=STORY, title="Crane collapse", article_ids=article_ids)],
    )


def _storydesk(*args: str, db: Path | str, env: dict[str, str] | None = None
               ) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "storydesk"
    full_env = {**os.environ, "STORYDESK_DB": str(db), "COLUMNS": "200", **(env or {})}
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=full_env,
                          timeout=120)


# ------------------------------------------------------------------ Desk API


def test_article_summary_whole_sentences_with_indexes(tmp_path: Path) -> None:
    desk, ids = _desk_with_story(tmp_path)
    aid = ids["northgate.txt"]
    s = desk.summary(aid)
    assert s is not None and s.mode == "extractive"
    article = desk.article(aid)
    assert article is not None
    sents = split_sentences(article.text)
    pairs = s.indexed
    assert len(pairs) == 3
    assert [i for i, _ in pairs] == sorted(i for i, _ in pairs)  # article order
    for i, text in pairs:
        assert text == display_text(sents[i])  # the index points at the sentence shown
        assert text[0].isupper() and text.endswith(".")
        for chrome in ("By Ada", "Photo:", "Share this", "Next Article", "Council votes",
                       "MIRELLE -"):
            assert chrome not in text
    assert "crane collapsed" in pairs[0][1]  # the lead, without its dateline
    d = s.to_dict()
    assert [x["index"] for x in d["sentences"]] == [i for i, _ in pairs]
    assert d["summary"][0]["sources"] == [{"article_id": aid, "sentence": pairs[0][0]}]

    short = desk.summary(aid, words=30)
    assert short is not None
    assert sum(len(t.split()) for _, t in short.indexed) <= 30
    assert len(desk.summary(aid, sentences=1).indexed) == 1  # type: ignore[union-attr]
    assert desk.summary(99999) is None
    desk.close()


def test_story_summary_lists_every_article_stating_a_fact(tmp_path: Path) -> None:
    desk, ids = _desk_with_story(tmp_path)
    s = desk.story_summary(STORY)
    assert s is not None
    assert sorted(s.article_ids) == sorted(ids.values()) and s.outlets == 3
    assert 1 <= len(s.sentences) <= 5
    texts = [x.text for x in s.sentences]
    # Non-redundant: the reopening is said once, and all three outlets are its sources.
    reopen = [x for x in s.sentences if "reopen" in x.text]
    assert len(reopen) == 1
    assert {a for a, _ in reopen[0].sources} == set(ids.values())
    assert reopen[0].outlets == 3
    # Each outlet is listed with a sentence of its article that says it (a summary
    # sentence that also says how the crane fell lists the sentences saying that too).
    saying = set()
    for a, i in reopen[0].sources:
        art = desk.article(a)
        assert art is not None
        if "reopen" in split_sentences(art.text)[i]:
            saying.add(a)
    assert saying == set(ids.values())
    # Leads with what most outlets report.
    assert s.sentences[0].outlets == max(x.outlets for x in s.sentences)
    assert len({t.lower() for t in texts}) == len(texts)
    d = s.to_dict()
    assert set(d["summary"][0]) >= {"text", "sources"}
    assert all(set(src) == {"article_id", "sentence"} for x in d["summary"]
               for src in x["sources"])
    assert d["readability"] == "rules for en"
    desk.close()


def test_summaries_are_stored_and_made_again_on_change(tmp_path: Path, store_db: str) -> None:
    desk, ids = _desk_with_story(tmp_path, db=store_db)
    first = desk.story_summary(STORY)
    again = desk.story_summary(STORY)
    assert first is not None and again is not None
    assert not first.cached and again.cached
    assert again.to_dict()["summary"] == first.to_dict()["summary"]
    # Another length is another summary.
    assert not desk.story_summary(STORY, sentences=2).cached  # type: ignore[union-attr]

    # A fresh Desk on the same store reads it back.
    desk.close()
    desk = Desk(store_db)
    assert desk.story_summary(STORY).cached  # type: ignore[union-attr]

    # A value kept before summaries recorded their languages still loads, with no note.
    params = summary_params_key(desk.settings, "story", desk.settings.summaries.story_sentences,
                                None, False)
    content, value = desk.store.get_summary("story", STORY, params)  # type: ignore[misc]
    desk.store.put_summary("story", STORY, params, content,
                           {k: v for k, v in value.items() if k != "languages"})
    old = desk.story_summary(STORY)
    assert old is not None and old.cached and "readability" not in old.to_dict()
    assert old.to_dict()["summary"] == first.to_dict()["summary"]

    # The story changes: one more article joins; the stored summary is stale.
    p = tmp_path / "in" / "later.txt"
    p.write_text(
        "Mirelle terminal reopens\n\nThe Mirelle container terminal reopened on Friday "
        "morning, three days after a crane collapsed onto Quay 4 and injured two workers.\n"
        "The first ship to berth was the feeder vessel Alna, port officials said.\n",
        encoding="utf-8")
    new_id = desk.add([str(p)], outlet="Valdoria Today").added[0]
    _place(desk, [*ids.values(), new_id])
    changed = desk.story_summary(STORY)
    assert changed is not None and not changed.cached
    assert new_id in changed.article_ids and changed.outlets == 4
    assert desk.story_summary(STORY).cached  # type: ignore[union-attr]

    # Article summaries likewise.
    aid = ids["courier.txt"]
    assert not desk.summary(aid).cached  # type: ignore[union-attr]
    assert desk.summary(aid).cached  # type: ignore[union-attr]
    desk.close()


def test_summarize_files_and_ids_together(tmp_path: Path) -> None:
    desk, ids = _desk_with_story(tmp_path)
    paths = _write(tmp_path / "again")
    s = desk.summarize([str(ids["northgate.txt"]), str(paths["courier.txt"]),
                        str(paths["lantern.txt"])])
    d = s.to_dict()
    assert d["story_id"] is None and len(d["articles"]) == 3
    reopen = next(x for x in d["summary"] if "reopen" in x["text"])
    who = {src["article_id"] or src["input"] for src in reopen["sources"]}
    assert ids["northgate.txt"] in who
    assert {str(paths["courier.txt"]), str(paths["lantern.txt"])} <= {
        str(w) for w in who}
    one = desk.summarize([str(paths["courier.txt"])]).to_dict()
    assert one["article_id"] is None and one["input"] == str(paths["courier.txt"])
    assert len(one["sentences"]) == 3
    desk.close()


# ------------------------------------------------------------------ the command


def test_summary_command(tmp_path: Path, store_db: str) -> None:
    desk, ids = _desk_with_story(tmp_path, db=store_db)
    desk.close()
    db = store_db
    aid = ids["lantern.txt"]

    out = _storydesk("summary", str(aid), "--json", "--sentences", "2", db=db)
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert d["article_id"] == aid and len(d["sentences"]) == 2
    assert all(isinstance(x["index"], int) for x in d["sentences"])

    out = _storydesk("summary", "--story", str(STORY), "--json", db=db)
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert d["story_id"] == STORY
    for x in d["summary"]:
        assert x["text"] and x["sources"]
        assert all(src["article_id"] in ids.values() for src in x["sources"])

    out = _storydesk("show", "story", str(STORY), "--json", db=db)
    assert out.returncode == 0, out.stderr
    shown = json.loads(out.stdout)
    assert shown["summary"] == d["summary"]  # the stored summary, same JSON shape
    out = _storydesk("show", "story", str(STORY), db=db)
    assert "Summary" in out.stdout and "reported by 3 of 3" in out.stdout

    files = [str(tmp_path / "in" / n) for n in CRANE]
    out = _storydesk("summary", *files, "--words", "60", db=db)
    assert out.returncode == 0, out.stderr
    assert "reported by" in out.stdout

    bad = _storydesk("summary", str(aid), "--sentences", "2", "--words", "20", db=db)
    assert bad.returncode != 0 and "not both" in bad.stderr
    assert _storydesk("summary", "424242", db=db).returncode != 0


def test_eval_summaries_json_shape(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "text": "The dam at Lake Orsk burst on Monday, flooding three villages. "
         "Rescue teams reached the area by boat. Officials said 40 homes were damaged. "
         "The cause of the breach is not yet known. Schools in the valley stayed closed.",
         "reference": ["The Lake Orsk dam burst on Monday, flooding three villages.",
                       "Officials said 40 homes were damaged."],
         "systems": {"made_up_system": ["Rescue teams reached the area by boat."]}},
        {"id": "b", "text": "A new library opened in the town of Kell on Saturday. "
         "It holds 80,000 books and a music room. The mayor cut the ribbon at noon. "
         "Entry is free for residents. The building took two years to finish.",
         "reference": "A new library with 80,000 books opened in Kell on Saturday."},
    ]
    f = tmp_path / "tiny.jsonl"
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = _storydesk("eval", "summaries", str(f), "--json", "--bootstrap", "50",
                     db=tmp_path / "x.db")
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout)
    assert {"storydesk", "lead3", "made_up_system"} <= set(res)
    for name, r in res.items():
        for m in ("rouge1", "rouge2", "rougeLsum"):
            assert 0.0 <= r[m] <= 1.0, (name, m)
            lo, hi = r[m + "_ci"]
            assert 0.0 <= lo <= r[m] + 1e-9 and r[m] <= hi + 1e-9 <= 1.0 + 1e-9
    assert res["storydesk"]["n"] == 2 and res["made_up_system"]["n"] == 1
    assert res["made_up_system"]["same_documents"]["storydesk"]["n"] == 1
    assert res["storydesk"]["rouge1"] > 0.3


# ------------------------------------------------------------------ abstractive mode

# One sentence the articles support (in other words), one they do not.
CANNED = ("The Mirelle container terminal will reopen on Friday after a crane collapsed "
          "on Tuesday night, injuring two workers. "
          "The crane's operator, Velkan Logistics, paid 3 million euros in damages to "
          "the city.")


class _LLMServer:
    """A tiny OpenAI-compatible chat endpoint on 127.0.0.1 (real HTTP)."""

    def __init__(self, answer: str) -> None:
        self.requests: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path != "/v1/chat/completions":
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                req = json.loads(body)
                outer.requests.append({"body": req, "auth": self.headers.get("Authorization")})
                payload = json.dumps({
                    "id": "chatcmpl-test", "object": "chat.completion", "model": req["model"],
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": answer}}],
                }).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)


@pytest.fixture
def llm() -> Iterator[_LLMServer]:
    srv = _LLMServer(CANNED)
    srv.thread.start()
    yield srv
    srv.server.shutdown()
    srv.server.server_close()


def test_abstractive_drops_and_counts_unsupported_sentences(
    tmp_path: Path, llm: _LLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STORYDESK_LLM_API_KEY", "sekret")
    settings = Settings()
    settings.summaries.abstractive.base_url = llm.url
    settings.summaries.abstractive.model = "tiny-test-model"
    desk, ids = _desk_with_story(tmp_path, settings)
    assert not desk.story_summary(STORY).mode == "abstractive"  # type: ignore[union-attr]
    assert not llm.requests  # off by default

    s = desk.story_summary(STORY, abstractive=True)
    assert s is not None and s.mode == "abstractive"
    assert len(llm.requests) == 1
    req = llm.requests[0]
    assert req["body"]["model"] == "tiny-test-model" and req["auth"] == "Bearer sekret"
    assert "Mirelle" in req["body"]["messages"][-1]["content"]
    assert [x.text for x in s.sentences] == [split_sentences(CANNED)[0]]
    assert len(s.dropped) == 1 and "Velkan" in s.dropped[0]
    linked = {a for a, _ in s.sentences[0].sources}
    assert linked == set(ids.values())  # each outlet states the reopening
    d = s.to_dict()
    assert d["dropped"] == 1 and d["summary"][0]["sources"]

    # Stored like any summary: asking again does not call the endpoint.
    assert desk.story_summary(STORY, abstractive=True).cached  # type: ignore[union-attr]
    assert len(llm.requests) == 1
    desk.close()

    # The command, configured from the environment.
    out = _storydesk("summary", str(ids["lantern.txt"]), "--abstractive", "--json",
                     db=tmp_path / "desk.db",
                     env={"STORYDESK_LLM_URL": llm.url, "STORYDESK_LLM_MODEL": "m"})
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert d["mode"] == "abstractive" and d["dropped"] == 1
    assert d["summary"][0]["sources"][0]["article_id"] == ids["lantern.txt"]

    # Not configured: a clear error, no traceback.
    out = _storydesk("summary", str(ids["lantern.txt"]), "--abstractive",
                     db=tmp_path / "desk.db", env={"STORYDESK_LLM_URL": "",
                                                  "STORYDESK_LLM_MODEL": ""})
    assert out.returncode == 1 and "STORYDESK_LLM_URL" in out.stderr
