"""Following sources: subscriptions with their health, and the poller that keeps
them flowing into stories (``storydesk sources`` and ``storydesk watch``;
docs/sources.md).

    from storydesk import Desk
    with Desk("news.db") as desk:
        desk.subscribe("https://example.org/", every=900)   # a site: its feed is found
        desk.watch(duration=600)                            # poll for ten minutes
"""

from storydesk.follow.subscribe import (
    SubscribeError,
    export_opml,
    format_every,
    import_opml,
    parse_every,
    subscribe,
)
from storydesk.follow.watch import PollResult, RoundReport, Watcher

__all__ = [
    "PollResult",
    "RoundReport",
    "SubscribeError",
    "Watcher",
    "export_opml",
    "format_every",
    "import_opml",
    "parse_every",
    "subscribe",
]
