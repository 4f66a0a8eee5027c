"""What ``storydesk compare A B`` and ``Desk.compare`` take: stored ids or files."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from storydesk.models import Article, InputError

__all__ = ["CompareInputError", "load_inputs"]

# An input is neither a stored article id nor a readable article file.
CompareInputError = InputError


def load_inputs(store: Any, inputs: Iterable[int | str]) -> list[Article]:
    """Articles for ``inputs`` (see :func:`storydesk.extract.article.read_articles`);
    an article read from a file has its label (the path as given) as its id."""
    from storydesk.extract.article import read_articles

    out = []
    for label, a in read_articles(inputs, store):
        if a.id is None:
            a.id = label  # type: ignore[assignment]
        out.append(a)
    return out
