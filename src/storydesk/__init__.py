"""storydesk: a self-hosted news desk."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from storydesk.version import __version__

__all__ = ["Desk", "__version__"]

if TYPE_CHECKING:
    from storydesk.desk import Desk


def __getattr__(name: str) -> Any:
    # Imported on first use, so that ``import storydesk.models`` stays light.
    if name == "Desk":
        from storydesk.desk import Desk

        return Desk
    raise AttributeError(name)
