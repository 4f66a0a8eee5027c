"""The ``storydesk`` command line."""

from storydesk.cli.app import app, main

__all__ = ["app", "main"]
