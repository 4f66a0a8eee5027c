"""The extract stage's entry point: one RawDocument in, one described Article out."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from typing import Any

from storydesk.extract.citations import find_citations
from storydesk.extract.dates import parse_date
from storydesk.extract.entities import extract_entities
from storydesk.extract.language import detect_language
from storydesk.extract.outlets import outlet_from_copyright, outlet_from_url, outlet_name
from storydesk.extract.text import clean_characters, parse_plain_text, title_from_lead
from storydesk.models import Article, Failure, IngestError, InputError, RawDocument
from storydesk.text import repair_text, word_count

FOLDER_OUTLET = "folder_outlet"  # the outlet to use when nothing else names one
KNOWN_FIELDS = {"title", "text", "html", "url", "date", "outlet", "author", "summary", "language",
                "warc_date", FOLDER_OUTLET}
MIN_WORDS = 8  # fewer words than this is not an article
_WORDS = re.compile(r"\w+")


# A first line that is only a URL (as saved pages and ECB+ texts have it, sometimes with
# spaces around its punctuation: "http: / / www. foxnews. com / politics / …").
_URL_LINE = re.compile(r"^\s*https?\s*:\s*/\s*/\s*\w[\w -]*\.\s*\S.{0,2000}$", re.I)
_WORDS_APART = re.compile(r"[^\W_]\s+[^\W_]")  # two words with only a space between: prose


def split_url_line(body: str) -> tuple[str | None, str]:
    """(the URL on the first non-blank line, the rest) or (None, ``body``)."""
    head, _, rest = body.lstrip().partition("\n")
    if not _URL_LINE.match(head) or _WORDS_APART.search(head) or not rest.strip():
        return None, body
    url = "".join(head.split())
    return url, rest


def _norm(s: str) -> str:
    return " ".join(_WORDS.findall(s.lower()))


def _str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v)
    s = clean_characters(str(value)).strip()  # a JSON field may carry NUL or controls
    return s or None


def build_article(
    raw: RawDocument,
    *,
    outlet: str | None = None,
    is_boilerplate: Callable[[str], bool] | None = None,
) -> Article:
    """Clean and describe one document. Raises IngestError with a one-line reason."""
    f = raw.fields
    url = raw.url
    f_title = _str(f.get("title"))
    title = text = None
    date = date_source = author = sitename = language = None

    if raw.kind == "html":
        from storydesk.extract.html import extract_html

        try:
            page = extract_html(raw.content, raw.url)
        except ValueError as e:
            raise IngestError(raw.origin, str(e)) from None
        title, text = repair_text(page.title or ""), repair_text(page.text or "")
        date, date_source = page.date, (page.date_source or "html") if page.date else None
        author, sitename, language = page.author, page.sitename, page.language
    elif raw.kind == "text":
        url_line, body = split_url_line(raw.content)
        url = url or url_line
        if f_title:
            first = next((ln for ln in body.splitlines() if ln.strip()), "")
            if _norm(first) != _norm(f_title):
                body = f"{f_title}\n\n{body}"
        parsed = parse_plain_text(body, is_boilerplate=is_boilerplate)
        title, text, author = parsed.title, parsed.text, parsed.author
        date, date_source = parsed.date, parsed.date_source if parsed.date else None
    else:
        raise IngestError(raw.origin, "no text or html to read")

    # What the source itself says (a JSON row, a feed entry) comes first.
    f_date = parse_date(str(f["date"])) if f.get("date") else None
    if f_date:
        date, date_source = f_date, "field"
    if not date and f.get("warc_date"):  # when the page was captured: better than nothing
        date, date_source = parse_date(str(f["warc_date"])), "warc"
    title = f_title or title
    text = (text or "").strip()
    if not text and f.get("summary"):
        text = clean_characters(str(f["summary"])).strip()
    language = _str(f.get("language")) or language or detect_language(text)
    words = word_count(text, language)
    if words < MIN_WORDS:
        raise IngestError(raw.origin,
                          f"too little text ({words} words in the body, {MIN_WORDS} needed)")
    if not title:
        title = title_from_lead(text)

    extra = {k: v for k, v in f.items() if k not in KNOWN_FIELDS}
    url = url or _str(f.get("url"))
    outlet = (outlet or outlet_name(_str(f.get("outlet"))) or outlet_name(sitename)
              or outlet_from_url(url)
              or (outlet_from_copyright(raw.content) if raw.kind == "text" else None)
              or _str(f.get(FOLDER_OUTLET)))
    # an outlet crediting itself in its own dateline cites nobody
    cited = [c for c in find_citations(f"{title}\n{text}") if not outlet or c != outlet]
    return Article(
        title=title.strip(),
        text=text,
        url=url,
        outlet=outlet,
        date=date,
        date_source=date_source,
        author=_str(f.get("author")) or author,
        language=language,
        cited=cited,
        entities=extract_entities(text, title=title, language=language),
        word_count=words,
        origin=raw.origin,
        extra=extra,
    )


def read_articles(
    inputs: Iterable[int | str],
    store: Any = None,
    *,
    fetcher: Any = None,
    max_bytes: int = 20_000_000,
) -> list[tuple[str, Article]]:
    """Articles for ``inputs`` without storing anything: a number is a stored article id
    (looked up in ``store``), anything else a file or URL read and cleaned as
    ``storydesk add`` would. Returns (label, article) pairs, the label being the input or,
    for a file of several articles, the document's origin. Raises :class:`InputError`."""
    from storydesk.sources import iter_documents

    out: list[tuple[str, Article]] = []
    for item in inputs:
        s = str(item).strip()
        if s.isdigit() and not os.path.exists(s):
            a = store.get_article(int(s)) if store is not None else None
            if a is None:
                raise InputError(f"no article with id {s}")
            out.append((s, a))
            continue
        docs = list(iter_documents([s], fetcher, max_bytes=max_bytes))
        if not docs:
            raise InputError(f"{s}: no article found")
        for doc in docs:
            if isinstance(doc, Failure):
                raise InputError(f"{doc.origin}: {doc.reason}")
            try:
                a = build_article(doc)
            except IngestError as e:
                raise InputError(str(e)) from None
            out.append((s if len(docs) == 1 else doc.origin, a))
    return out
