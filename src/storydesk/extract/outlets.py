"""Who published an article, when only its address or its page chrome says so.

* ``outlet_from_url``: a URL's host -> one outlet per registered domain (the public
  suffix list, through ``tld``): ``www.nytimes.com``, ``thecaucus.blogs.nytimes.com`` and
  ``nytimes.com`` are one outlet, named from the shipped table ``data/outlets.tsv``
  ("The New York Times") or, when not listed, by the domain itself.
* ``outlet_name``: an outlet given as a domain ("nytimes.com", a scraper's
  ``source_domain``) named the same way; any other name is kept as given.
* ``outlet_from_copyright``: the owner of a "© 2026 Lantern Post. All rights reserved."
  line of a saved page.

The table is editable: lines in a file named by ``STORYDESK_OUTLETS`` (same format) win
over the shipped ones.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "outlets.tsv"
OUTLETS_ENV = "STORYDESK_OUTLETS"
PLATFORM = "*"  # the table's name for a hosting platform: each host under it is one outlet

_DOMAIN = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$", re.I)
_NAME_WORD = r"[A-Z][\w&'’-]*(?:\.[\w&'’-]+)*"
_COPYRIGHT = re.compile(
    r"(?i:©|\(c\)|copyright\b)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?(?:by\s+)?"
    rf"(?P<name>{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|of|the|and|de|du|des|la|le|del|am))*)")
_COPYRIGHT_END = re.compile(r"(?:,?\s+(?:Inc|Ltd|LLC|GmbH|S\.A|plc|Corp|Co|AG)\.?)+$", re.I)
MAX_COPYRIGHT_WORDS = 6  # an owner's name longer than this is a sentence, not a name


def _read_table(path: Path) -> dict[str, str]:
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        domain, _, name = line.partition("\t")
        if domain.strip() and name.strip():
            table[domain.strip().lower()] = name.strip()
    return table


@functools.cache
def outlet_table(user_file: str | None = None) -> dict[str, str]:
    """Domain -> outlet name: the shipped table, then ``user_file``'s lines over it."""
    table = _read_table(DATA_FILE)
    if user_file:
        table.update(_read_table(Path(user_file)))
    return table


def _table() -> dict[str, str]:
    return outlet_table(os.environ.get(OUTLETS_ENV) or None)


def registered_domain(host: str) -> str | None:
    """``thecaucus.blogs.nytimes.com`` -> ``nytimes.com``; None for hosts without one
    (an IP address, ``localhost``, a name under no public suffix)."""
    from tld import get_fld

    try:
        return get_fld(host, fix_protocol=True, fail_silently=True)  # type: ignore[return-value]
    except Exception:  # an odd host string: no domain
        return None


def _name_for_host(host: str) -> str:
    host = host.lower().strip(".").removeprefix("www.")
    table = _table()
    domain = registered_domain(host)
    labels = host.split(".")
    for i in range(len(labels) - 1):  # the longest listed suffix: espn.go.com before go.com
        suffix = ".".join(labels[i:])
        if table.get(suffix) == PLATFORM:  # a blog platform: the host is the site
            return host if i > 0 else suffix
        if suffix in table:
            return table[suffix]
        if suffix == domain:
            break
    return domain or host


def outlet_from_url(url: str | None) -> str | None:
    """The outlet of a URL: its registered domain's name (see the module's doc)."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return None
    return _name_for_host(host) if host else None


def outlet_name(name: str | None) -> str | None:
    """An outlet as given, or, when it is a bare domain, the outlet of that domain."""
    if not name:
        return None
    name = name.strip()
    if _DOMAIN.match(name.removeprefix("www.")):
        return _name_for_host(name)
    return name or None


def outlet_from_copyright(text: str) -> str | None:
    """The owner named by the last copyright line of ``text`` ("© 2026 Lantern Post.
    All rights reserved." -> "Lantern Post"), or None."""
    found = None
    for line in text.splitlines()[::-1]:
        m = _COPYRIGHT.search(line)
        if not m or len(line.split()) > 3 * MAX_COPYRIGHT_WORDS:
            continue
        name = _COPYRIGHT_END.sub("", m.group("name").rstrip(" .,")).strip()
        if name.lower().startswith(("all rights", "by ")):
            continue
        if 0 < len(name.split()) <= MAX_COPYRIGHT_WORDS:
            found = outlet_name(name)
            break
    return found


__all__ = ["outlet_from_copyright", "outlet_from_url", "outlet_name", "outlet_table",
           "registered_domain"]
