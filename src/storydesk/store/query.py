"""Search queries as people type them, made safe for the full-text engines.

The syntax (as web search engines have it)::

    Lukashenko Putin            both words (AND is implied; "AND" may be written)
    Lukashenko OR Putin         either word ("|" works too); OR binds tighter than AND:
                                "Minsk Lukashenko OR Putin" is Minsk AND (Lukashenko OR Putin)
    Steele -Afghanistan         Steele, not Afghanistan ("NOT Afghanistan" works too)
    "rail bridge"               the words next to each other, in this order
    Lukashenk*                  any word starting with "Lukashenk" ("rail bri*" in a phrase)
    (Minsk OR Kyiv) talks       parentheses group

Operators are upper case; "or" and "not" in lower case are words. Nothing a user
types reaches the engine unquoted: every word and phrase becomes a quoted string,
so characters the engines give a meaning (``:``, ``^``, ``(``, ``NEAR``, quotes) are
just text. A query that cannot mean anything (no word to find, only excluded words)
raises :class:`QueryError` with a one-line reason; unbalanced quotes and parentheses
and a dangling OR are mended rather than refused.

``parse_query`` gives a small tree; ``fts5_query`` writes it for SQLite FTS5 and
``pg_tsquery`` for PostgreSQL. How words are matched (case, accents, stemming) is the
index's tokenizer's business, not this module's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class QueryError(ValueError):
    """A search query that asks for nothing to find; ``str()`` is a one-line reason."""


@dataclass(frozen=True)
class Term:
    """One word or phrase; ``prefix``: the last word may continue."""

    text: str
    phrase: bool = False
    prefix: bool = False

    def words(self) -> list[str]:
        return _WORD.findall(self.text)


@dataclass
class AnyOf:
    """Matches when one of ``items`` matches."""

    items: list[Node]


@dataclass
class AllOf:
    """Matches when every item of ``include`` matches and no item of ``exclude`` does."""

    include: list[Node] = field(default_factory=list)
    exclude: list[Node] = field(default_factory=list)


Node = Term | AnyOf | AllOf
Reading = Callable[[Term], list[list[str]]]

_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r'-(?=["(])|"[^"]*(?:"|$)\*?|[()|]|[^\s()"|]+')
MAX_TERMS = 64  # more words than this in one query is refused: no one types that many


def parse_query(query: str) -> AllOf:
    """The tree of ``query``; raises :class:`QueryError` when it asks for nothing."""
    tokens = _TOKEN.findall(query)
    pos = 0

    def peek() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def item() -> tuple[Node | None, bool]:
        """One word, phrase or group, and whether it is negated."""
        nonlocal pos
        negated = False
        while True:
            tok = peek()
            if tok is None or tok == ")":
                return None, negated
            pos += 1
            if tok in ("NOT", "-"):
                negated = not negated
                continue
            if tok in ("OR", "|", "AND"):  # an operator with nothing before it
                continue
            if tok == "(":
                group = sequence()
                if peek() == ")":
                    pos += 1
                return (group if group.include or group.exclude else None), negated
            if tok.startswith("-") and not tok.startswith("--") and len(tok) > 1:
                negated, tok = not negated, tok[1:]
            return _term(tok), negated

    def alternatives() -> tuple[Node | None, bool]:
        """Items joined by OR."""
        nonlocal pos
        first, neg = item()
        options = [] if first is None else [(first, neg)]
        while peek() in ("OR", "|"):
            pos += 1
            nxt, nneg = item()
            if nxt is not None:
                options.append((nxt, nneg))
        if len(options) <= 1:
            return (options[0] if options else (None, False))
        if any(n for _, n in options):
            raise QueryError("an excluded word cannot be one of the alternatives of OR")
        return AnyOf([o for o, _ in options]), False

    def sequence() -> AllOf:
        nonlocal pos
        out = AllOf()
        while True:
            tok = peek()
            if tok is None or tok == ")":
                return out
            if tok == "AND":
                pos += 1
                continue
            node, negated = alternatives()  # consumes at least one token, or stops at ")"
            if node is None:
                continue
            if isinstance(node, AllOf) and not negated:  # (a -b) inside a sequence
                out.include += node.include
                out.exclude += node.exclude
            else:
                (out.exclude if negated else out.include).append(node)

    tree = AllOf()
    while pos < len(tokens):  # a stray ")" ends a sequence early: go on after it
        part = sequence()
        tree.include += part.include
        tree.exclude += part.exclude
        pos += 1
    _check(tree, query)
    return tree


def _term(tok: str) -> Term | None:
    prefix = tok.endswith("*")
    tok = tok.rstrip("*")
    phrase = tok.startswith('"')
    text = tok.strip('"').replace("*", " ")
    if not _WORD.search(text):
        return None
    return Term(" ".join(text.split()), phrase=phrase, prefix=prefix)


def _count(node: Node) -> int:
    if isinstance(node, Term):
        return 1
    if isinstance(node, AnyOf):
        return sum(_count(n) for n in node.items)
    return sum(_count(n) for n in node.include + node.exclude)


def _check(tree: AllOf, query: str) -> None:
    shown = " ".join(query.split())[:80]
    if not tree.include and not tree.exclude:
        raise QueryError(f"nothing to search for in “{shown}”: type a word or a "
                         "\"quoted phrase\"")
    if _count(tree) > MAX_TERMS:
        raise QueryError(f"too many words in one query (over {MAX_TERMS})")

    def walk(node: Node) -> None:
        if isinstance(node, AllOf):
            if not node.include:
                raise QueryError(f"“{shown}” only excludes words"
                                 + (": add a word to find" if node is tree else
                                    " in a group: add a word to find there"))
            for n in node.include + node.exclude:
                walk(n)
        elif isinstance(node, AnyOf):
            for n in node.items:
                walk(n)

    walk(tree)


# -- SQLite FTS5 ----------------------------------------------------------------------------

def fts5_query(tree: AllOf, reading: Reading | None = None) -> str | None:
    """``tree`` in FTS5 query syntax: every word a quoted string, operators explicit.

    ``reading``: a term's alternative token sequences as the index holds them (stemmed,
    one per language; see :func:`storydesk.store.fulltext.term_reading`), any of which may
    match; by default the term as typed. A term with no reading is left out; None when
    nothing is left to look for."""
    return _fts5(tree, reading)


def _fts5(node: Node, reading: Reading | None) -> str | None:
    def term(t: Term) -> list[str]:
        alts = [a for a in (reading(t) if reading else [[t.text]]) if a]
        return ['"' + " ".join(a).replace('"', '""') + '"' + (" *" if t.prefix else "")
                for a in alts]

    def all_of(include: list[str], exclude: list[str]) -> str:
        out = " AND ".join(include)
        if len(include) > 1:
            out = f"({out})"
        for q in exclude:
            out += f" NOT {q}"
        return f"({out})" if exclude else out

    return _render(node, term, "OR", all_of)


def _render(node: Node, term: Callable[[Term], list[str]], any_op: str,
            all_of: Callable[[list[str], list[str]], str]) -> str | None:
    """``node`` in an engine's syntax: ``term`` writes a term's alternatives (any may
    match), ``any_op`` joins alternatives, ``all_of`` writes the included and excluded
    parts of a group. What has nothing to look for is left out (None when nothing is
    left; excluded parts alone look for nothing)."""
    if isinstance(node, Term):
        items = term(node)
    elif isinstance(node, AnyOf):
        items = [q for n in node.items if (q := _render(n, term, any_op, all_of))]
    else:
        include = [q for n in node.include if (q := _render(n, term, any_op, all_of))]
        if not include:
            return None
        return all_of(include, [q for n in node.exclude
                                if (q := _render(n, term, any_op, all_of))])
    if not items:
        return None
    return items[0] if len(items) == 1 else "(" + f" {any_op} ".join(items) + ")"


def wanted_terms(tree: Node) -> list[Term]:
    """The terms a match may show (those not excluded), in query order."""
    if isinstance(tree, Term):
        return [tree]
    if isinstance(tree, AnyOf):
        return [t for n in tree.items for t in wanted_terms(n)]
    return [t for n in tree.include for t in wanted_terms(n)]


# -- PostgreSQL -----------------------------------------------------------------------------

def pg_tsquery(tree: AllOf, reading: Reading,
               config_param: str = "cfg") -> tuple[str | None, dict[str, Any]]:
    """An SQL expression of type tsquery for ``tree`` and its bound parameters; the text
    search configuration is the parameter named ``config_param``. ``reading`` as for
    :func:`fts5_query` (each alternative a phrase of index terms, the last one a prefix
    for ``prefix*``); None when nothing is left to look for."""
    params: dict[str, Any] = {}
    cfg = f"CAST(:{config_param} AS regconfig)"

    def phrase(words: list[str], prefix: bool) -> str:
        name = f"t{len(params)}"
        if prefix:  # to_tsquery syntax: each word quoted, the last one a prefix
            quoted = ["'" + w.replace("\\", "").replace("'", "''") + "'" for w in words]
            params[name] = " <-> ".join(quoted) + ":*"
            return f"to_tsquery({cfg}, :{name})"
        params[name] = " ".join(words)
        return f"phraseto_tsquery({cfg}, :{name})"

    def term(t: Term) -> list[str]:
        return [phrase(a, t.prefix) for a in reading(t) if a]

    def all_of(include: list[str], exclude: list[str]) -> str:
        return "(" + " && ".join(include + [f"!!{q}" for q in exclude]) + ")"

    return _render(tree, term, "||", all_of), params


def describe(tree: Node) -> str:
    """``tree`` in words, for messages: ``Lukashenko OR Putin, not Afghanistan``."""
    if isinstance(tree, Term):
        s = f'"{tree.text}"' if tree.phrase else tree.text
        return s + ("*" if tree.prefix else "")
    if isinstance(tree, AnyOf):
        return " OR ".join(describe(n) for n in tree.items)
    parts = [describe(n) if not isinstance(n, AllOf) else f"({describe(n)})"
             for n in tree.include]
    out = " AND ".join(f"({p})" if " OR " in p and len(tree.include) > 1 else p for p in parts)
    if tree.exclude:
        out += ", not " + ", ".join(describe(n) for n in tree.exclude)
    return out


__all__ = ["AllOf", "AnyOf", "QueryError", "Reading", "Term", "describe", "fts5_query",
           "parse_query", "pg_tsquery", "wanted_terms"]
