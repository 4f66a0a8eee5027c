"""``storydesk serve``: run the web reader and JSON API with uvicorn."""

from __future__ import annotations

import os
import sys


def serve(db: str | None, host: str = "127.0.0.1", port: int = 8080) -> None:
    """Serve the store ``db`` (default: ``STORYDESK_DB`` or ./storydesk.db) on host:port."""
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
    sys.stderr.write(f"storydesk: serving on http://{shown}:{port}/ ({mode})\n")
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
