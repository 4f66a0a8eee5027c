"""The plain data types that flow between storydesk's stages.

Every stage takes and returns these; nothing else crosses a stage boundary.
Ids are assigned by the store and are stable: later stages cite them.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal

from storydesk.text.languages import base_language

DocumentKind = Literal["text", "html", "fields"]


def now_iso(t: datetime | None = None) -> str:
    """``t`` (default: now) as storydesk writes times: ISO 8601 in UTC, to the
    microsecond (``2026-12-07T04:08:11.250000+00:00``), so that stored times sort and
    compare as text in the order they happened, within a second too.

    Stores written before times had microseconds hold ``2026-12-07T04:08:11+00:00``:
    as text that sorts before every time of the same second written now (``+`` comes
    before ``.``) and after every earlier second, so old and new rows keep their order."""
    return (t or datetime.now(UTC)).isoformat(timespec="microseconds")


def parse_iso(value: str) -> datetime:
    """A time :func:`now_iso` wrote (or one without microseconds, or without a zone: UTC)."""
    t = datetime.fromisoformat(value)
    return t if t.tzinfo else t.replace(tzinfo=UTC)


# Which model names an article's entities (storydesk.extract.entity_models runs them;
# docs/entities.md): by language, and by STORYDESK_ENTITIES where set.
ENTITY_METHODS = ("auto", "crf", "natasha", "rules", "spacy")
NO_ENTITY_MODEL = "none"


def natasha_available() -> bool:
    """Whether natasha (Russian names) is installed; found without importing it."""
    return importlib.util.find_spec("natasha") is not None


def entities_model(language: str | None, method: str | None = None) -> str:
    """The model that finds names in text of ``language``: "crf-en", "natasha+crf-ru"
    (natasha's names read by a CRF trained on Russian news), "natasha", "crf-ru",
    "rules", "spacy" or "none" (no model for the language)."""
    method = method or os.environ.get("STORYDESK_ENTITIES") or "auto"
    if method not in ENTITY_METHODS:
        raise ValueError(f"unknown entity method {method!r}; choose one of {ENTITY_METHODS}")
    lang = base_language(language)
    if method == "rules":
        return "rules"
    if lang == "en" and method == "spacy":
        return "spacy"
    if lang == "ru" and method in ("auto", "natasha") and natasha_available():
        return "natasha+crf-ru" if method == "auto" else "natasha"
    if lang in ("en", "ru") and method in ("auto", "crf", "natasha"):
        return f"crf-{lang}"
    return NO_ENTITY_MODEL


@dataclass
class RawDocument:
    """One article as a source delivered it, before cleaning.

    ``origin`` names the input for messages ("notes/a.txt", "feed.xml#3",
    "https://..."). ``kind`` says how to read ``content``: plain text, an HTML
    page, or only ``fields`` (a JSON line that has no text or html of its own).
    ``fields`` holds metadata the source already knows (title, date, outlet,
    author, summary, url, language, and any unknown keys, kept as extra).
    """

    origin: str
    kind: DocumentKind
    content: str = ""
    url: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class Entity:
    name: str
    type: str  # "person" | "organisation" | "place"
    count: int = 1


def since_date(value: str | None) -> str | None:
    """A ``since`` filter as given: blank means none (None); else a date YYYY-MM-DD,
    a time allowed after "T" or a space. Anything else raises ValueError."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        raise ValueError("expected a date YYYY-MM-DD") from None
    if len(value) > 10 and value[10] not in "T ":
        raise ValueError("expected a date YYYY-MM-DD")
    return value


@dataclass
class Article:
    """A cleaned, described article. ``id`` is None until the store gives one."""

    title: str
    text: str
    id: int | None = None
    url: str | None = None
    outlet: str | None = None
    date: str | None = None  # ISO 8601 (YYYY-MM-DD or full timestamp)
    date_source: str | None = None  # how the date was found: "field", "line", "html", "feed", "url"
    author: str | None = None
    language: str | None = None
    cited: list[str] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    word_count: int = 0
    duplicate_of: int | None = None
    duplicate_share: float | None = None  # share of text in common with duplicate_of
    origin: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    added_at: str | None = None

    @property
    def entities_model(self) -> str:
        """The model that names this article's entities ("crf-en", "natasha+crf-ru"...),
        "none" where its language has none (then ``entities`` is empty)."""
        return entities_model(self.language)

    def to_dict(self, *, with_text: bool = True) -> dict[str, Any]:
        d = asdict(self)
        if not with_text:
            d.pop("text")
        d["entities_model"] = self.entities_model
        return d


@dataclass
class Story:
    """Articles that report one real-world event.

    ``why`` says, per article id, why the article is in the story: the
    entities and terms it shares, the time gap and the similarity.
    """

    id: int
    title: str
    article_ids: list[int] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    first_date: str | None = None
    last_date: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    why: dict[int, dict[str, Any]] = field(default_factory=dict)

    def to_dict(self, *, with_why: bool = True) -> dict[str, Any]:
        d = asdict(self)
        if not with_why:
            d.pop("why")
        return d


@dataclass
class Subscription:
    """A feed followed on a schedule, with its health.

    Times are ISO 8601 in UTC. ``failures`` counts consecutive failed polls (0
    once one succeeds); ``last_error`` stays after a success, so the latest
    problem remains in view with ``last_error_at``. ``last_result`` is one line
    on the latest poll ("3 new", "not modified", "HTTP 404: feed not found").
    """

    url: str  # the feed; updated when the feed moves permanently (301, 308)
    every: float  # seconds between two polls
    id: int | None = None
    name: str | None = None  # the outlet of its articles (None: the feed's title)
    site_url: str | None = None  # the page the feed was discovered from, if any
    added_at: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_fetch: str | None = None
    last_ok: str | None = None
    last_new: str | None = None
    last_error: str | None = None
    last_error_at: str | None = None
    last_result: str | None = None
    failures: int = 0
    next_poll: str | None = None
    articles: int = 0  # articles stored from this feed

    @property
    def label(self) -> str:
        """The name, else the feed URL's host, for messages."""
        from urllib.parse import urlsplit

        return self.name or urlsplit(self.url).hostname or self.url

    @property
    def state(self) -> str:
        """"new" (never polled), "ok" or "failing"."""
        if self.failures:
            return "failing"
        return "ok" if self.last_fetch else "new"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["state"] = self.state
        return d


class InputError(ValueError):
    """An input given to summarise or compare is neither a stored article id nor a
    readable article file or URL. ``str()`` is a one-line reason."""


class IngestError(Exception):
    """A single input could not be ingested. ``str()`` is a one-line reason."""

    def __init__(self, origin: str, reason: str):
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


@dataclass
class Failure:
    origin: str
    reason: str


@dataclass
class AddReport:
    """What one ``add`` did."""

    added: list[int] = field(default_factory=list)
    duplicates: list[tuple[str, int]] = field(default_factory=list)  # (origin, existing id)
    near_duplicates: list[tuple[int, int]] = field(default_factory=list)  # (new id, earlier id)
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary_line(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.duplicates)} duplicates, "
            f"{len(self.failures)} failed"
        )
