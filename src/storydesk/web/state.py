"""What the web routers share: the app's state (handed to each route as a FastAPI
dependency) and the readers of the filter parameters pages and API both take."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, HTTPException, Request
from jinja2 import Environment

from storydesk.models import since_date
from storydesk.settings import WebSettings

if TYPE_CHECKING:
    from storydesk.desk import Desk


@dataclass
class WebState:
    """One app's state: the ``Desk`` it serves, its web settings, the page templates and
    the write token (None: read-only). Ingests go through the desk's ``Ingestor``, which
    holds the one lock around the story keeper."""

    desk: Desk
    settings: WebSettings
    templates: Environment
    write_token: str | None


def web_state(request: Request) -> WebState:
    """The state of the app serving ``request`` (set by ``create_app``)."""
    state: WebState = request.app.state.web
    return state


State = Annotated[WebState, Depends(web_state)]


def since_filter(value: str | None) -> str | None:
    """A ``since`` parameter: empty means none; else a date YYYY-MM-DD (time allowed)."""
    try:
        return since_date(value)
    except ValueError as e:
        raise HTTPException(422, f"since: {e}, got {value.strip()[:40]!r}") from None


def name_filter(value: str | None) -> str | None:
    """An ``outlet`` or ``cited`` parameter: empty means none."""
    value = (value or "").strip()
    return value or None
