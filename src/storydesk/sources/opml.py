"""OPML feed lists: the feed URLs (and their titles) an OPML file names, read and written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree import ElementTree as ET

# A DOCTYPE with an internal subset, the only place an XML file could declare entities
# (billion laughs: a 1 kB file that expands to gigabytes, or seconds of parsing).
_INTERNAL_DTD = re.compile(rb"<!DOCTYPE[^>\[]*\[", re.IGNORECASE)


def declares_entities(data: bytes) -> bool:
    """Whether XML ``data`` has a DOCTYPE with an internal subset, anywhere in it."""
    return _INTERNAL_DTD.search(data) is not None


class OpmlError(ValueError):
    """Not a readable OPML file; ``str()`` is a one-line reason."""


@dataclass
class OpmlFeed:
    url: str
    title: str | None = None
    site_url: str | None = None  # the outline's htmlUrl: the site the feed belongs to


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """Every ``<outline xmlUrl=...>`` in document order, without repeats."""
    if (b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data[:65536].upper()
            or declares_entities(data)):
        raise OpmlError("invalid OPML (DTDs and entities are not accepted)")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise OpmlError(f"invalid OPML ({e})") from None
    if root.tag.lower() != "opml":
        raise OpmlError(f"not OPML (root element <{root.tag}>)")
    feeds: list[OpmlFeed] = []
    seen: set[str] = set()
    for outline in root.iter():
        if not isinstance(outline.tag, str) or outline.tag.lower() != "outline":
            continue
        attrs = {k.lower(): v for k, v in outline.attrib.items()}
        url = (attrs.get("xmlurl") or "").strip()
        if not url or url in seen:
            continue
        seen.add(url)
        title = (attrs.get("title") or attrs.get("text") or "").strip() or None
        feeds.append(OpmlFeed(url, title, (attrs.get("htmlurl") or "").strip() or None))
    return feeds


def write_opml(feeds: list[OpmlFeed], title: str = "storydesk subscriptions") -> bytes:
    """An OPML 2.0 document listing ``feeds`` (what ``parse_opml`` reads back)."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    for f in feeds:
        attrs = {"type": "rss", "text": f.title or f.url, "title": f.title or f.url,
                 "xmlUrl": f.url}
        if f.site_url:
            attrs["htmlUrl"] = f.site_url
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
