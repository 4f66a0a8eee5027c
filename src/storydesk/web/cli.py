"""``storydesk serve``: run the web reader and JSON API with uvicorn."""

from __future__ import annotations

import copy
import os
import sys
import threading

from storydesk.web.security import RedactSecrets, redact_logs


def serve(
    db: str | None,
    host: str = "127.0.0.1",
    port: int = 8080,
    *,
    watch: bool = False,
    allow_private: bool = False,
    prepare_every: float = 30.0,
) -> None:
    """Serve the store ``db`` (default: ``STORYDESK_DB`` or ./storydesk.db) on host:port.

    ``watch``: also poll the subscriptions in a background thread (its own ``Desk``
    on the same store), stopped after the server, once the article in hand is stored.
    ``prepare_every``: every so many seconds (0: never), a background thread
    summarises and compares the stories written since its last pass (all of them at
    start), whoever wrote them, so story pages do not wait for that work.
    """
    import uvicorn

    from storydesk.store import StoreError
    from storydesk.web.app import create_app

    try:
        app = create_app(db)
    except StoreError as e:
        sys.stderr.write(f"error: {e}\n")
        raise SystemExit(1) from None
    mode = "read-write API" if os.environ.get("STORYDESK_TOKEN") else "read-only API"
    shown = f"[{host}]" if ":" in host else host
    poller = _start_watch(db, allow_private) if watch else None
    preparer = _start_preparer(db, prepare_every) if prepare_every > 0 else None
    sys.stderr.write(f"storydesk: serving on http://{shown}:{port}/ ({mode}"
                     f"{', following sources' if poller else ''})\n")
    # The token is kept out of every log line: uvicorn's handlers get the filter through
    # their logging config, handlers made before (the poller's) get it now.
    secrets = [os.environ.get("STORYDESK_TOKEN", "")]
    log_config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    log_config.setdefault("filters", {})["redact"] = {"()": RedactSecrets, "secrets": secrets}
    for handler in log_config["handlers"].values():
        handler.setdefault("filters", []).append("redact")
    redact_logs(secrets)
    try:
        uvicorn.run(app, host=host, port=port, log_level="info", server_header=False,
                    log_config=log_config)
    finally:
        if preparer:
            stop, thread = preparer
            stop.set()
            thread.join()
        if poller:
            watcher, thread = poller
            watcher.stop()
            thread.join()
            watcher.desk.close()


def _start_watch(db: str | None, allow_private: bool):  # noqa: ANN202
    from storydesk import Desk
    from storydesk.cli.follow import setup_logging
    from storydesk.follow import Watcher

    setup_logging()
    watcher = Watcher(Desk(db, allow_private=allow_private))
    thread = threading.Thread(target=watcher.run, name="storydesk-watch", daemon=True)
    thread.start()
    return watcher, thread


def _start_preparer(db: str | None, every: float):  # noqa: ANN202
    """A thread that keeps story summaries and comparisons made ahead of the reader."""
    from datetime import UTC, datetime

    from storydesk import Desk
    from storydesk.models import now_iso

    stop = threading.Event()

    def run() -> None:
        with Desk(db) as desk:
            since = None
            while not stop.is_set():
                # to the second, as a margin: a story written in the second before
                # this pass began is looked at again by the next one
                started = now_iso(datetime.now(UTC).replace(microsecond=0))
                desk.prepare_stories(since=since, stop=stop)
                since = started
                stop.wait(every)

    thread = threading.Thread(target=run, name="storydesk-prepare", daemon=True)
    thread.start()
    return stop, thread
