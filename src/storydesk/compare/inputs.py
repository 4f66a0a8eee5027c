"""What ``storydesk compare A B`` and ``Desk.compare`` take: stored ids or files."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from storydesk.models import Article, Failure

__all__ = ["CompareInputError", "load_inputs"]


class CompareInputError(ValueError):
    """An input is neither a stored article id nor a readable article file."""


def load_inputs(store: Any, inputs: Iterable[int | str]) -> list[Article]:
    """Articles for ``inputs``: a number is a stored article id, anything else a file
    (or URL) read and cleaned as ``storydesk add`` would, without storing it; a file's
    id is its path as given."""
    from storydesk.extract.article import build_article
    from storydesk.models import IngestError
    from storydesk.sources import iter_documents

    out: list[Article] = []
    for item in inputs:
        s = str(item).strip()
        if s.isdigit() and not Path(s).exists():
            a = store.get_article(int(s)) if store is not None else None
            if a is None:
                raise CompareInputError(f"no article with id {s}")
            out.append(a)
            continue
        docs = list(iter_documents([s]))
        if not docs:
            raise CompareInputError(f"{s}: no article found")
        for k, doc in enumerate(docs):
            if isinstance(doc, Failure):
                raise CompareInputError(f"{doc.origin}: {doc.reason}")
            try:
                a = build_article(doc)
            except IngestError as e:
                raise CompareInputError(str(e)) from None
            a.id = s if len(docs) == 1 else f"{s}#{k + 1}"  # type: ignore[assignment]
            out.append(a)
    return out
