"""The data types comparison's parts exchange: an article to compare and one of its
sentences."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["CompareArticle", "Sentence"]


@dataclass
class CompareArticle:
    """What comparison needs of an article. ``id`` may be any hashable (an int, a path)."""

    id: Any
    text: str
    title: str = ""
    outlet: str | None = None
    date: str | None = None
    cited: list[str] | None = None  # None: read from the text
    language: str | None = None
    duplicate_of: Any = None


@dataclass
class Sentence:
    article: int  # position of the article in the comparison
    index: int  # position in split_sentences(article.text)
    text: str
    start: int = 0  # where it lies in the article's text
    end: int = 0
