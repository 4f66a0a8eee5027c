"""The web reader and JSON API (FastAPI + Jinja2): ``create_app(db)``."""

from storydesk.web.app import create_app

__all__ = ["create_app"]
