"""``storydesk serve``: run the web reader and JSON API with uvicorn."""

from __future__ import annotations

import os
import sys
import threading


def serve(
    db: str | None,
    host: str = "127.0.0.1",
    port: int = 8080,
    *,
    watch: bool = False,
    allow_private: bool = False,
) -> None:
    """Serve the store ``db`` (default: ``STORYDESK_DB`` or ./storydesk.db) on host:port.

    ``watch``: also poll the subscriptions in a background thread (its own ``Desk``
    on the same store), stopped after the server, once the article in hand is stored.
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
    sys.stderr.write(f"storydesk: serving on http://{shown}:{port}/ ({mode}"
                     f"{', following sources' if poller else ''})\n")
    try:
        uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
    finally:
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
