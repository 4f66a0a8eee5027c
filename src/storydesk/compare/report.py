"""The comparison as JSON and as a plain-text report for a terminal (Rich)."""

from __future__ import annotations

import os
import re
from collections import Counter
from typing import Any

from rich.console import Console
from rich.markup import escape

__all__ = ["article_labels", "kind_name", "print_report"]


_WORD = re.compile(r"\w+")

# What each kind of contradiction is about, in words (``Contradiction.type``).
KIND_NAMES = {
    "date": "Date", "number": "Number", "money": "Amount of money", "percent": "Percentage",
    "place": "Place", "quote_wording": "Wording of a quote",
    "quote_attribution": "Who said it",
}


def kind_name(kind: str) -> str:
    """``quote_wording`` -> "Wording of a quote"; an unknown kind with its underscores gone."""
    return KIND_NAMES.get(kind) or kind.replace("_", " ").capitalize()


def _short(text: str, n: int = 160) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def article_labels(articles: list[dict[str, Any]]) -> dict[Any, str]:
    """A name per compared article for people: its outlet ("Meridian Wire"); with the
    article when two share an outlet ("Meridian Wire, article 18"); the article alone when
    no outlet is known ("article 18", or a file's name for a file compared)."""
    def which(aid: Any) -> str:
        return f"article {aid}" if str(aid).isdigit() else os.path.basename(str(aid))

    counts = Counter(a.get("outlet") or "" for a in articles)
    out = {}
    for a in articles:
        outlet = a.get("outlet") or ""
        if not outlet:
            out[a["id"]] = which(a["id"])
        elif counts[outlet] > 1:
            out[a["id"]] = f"{outlet}, {which(a['id'])}"
        else:
            out[a["id"]] = outlet
    return out


def _adds(value: str, normalised: str) -> bool:
    """Whether the normalised value says more than the value itself ("Friday" ->
    "2026-03-20"), not just the same words lower-cased."""
    return bool(normalised) and _WORD.findall(normalised.casefold()) != _WORD.findall(
        value.casefold())


def print_report(comparison: dict[str, Any], names: dict[Any, str], console: Console) -> None:
    """Print ``Comparison.to_dict()`` for people: facts, contradictions, sources, tone.
    Articles are named by outlet and sentence number ("Meridian Wire, sentence 3")."""
    c = comparison["comparison"]
    p = console.print
    ids = list(names)
    label = article_labels(comparison.get("articles") or [{"id": i} for i in ids])
    for aid in ids:
        label.setdefault(aid, str(aid))

    def key(aid: Any) -> Any:  # JSON keeps article ids as strings
        return next((i for i in ids if str(i) == str(aid)), aid)

    def name(aid: Any) -> str:
        return label.get(key(aid), str(aid))

    def refs(sources: list[dict[str, Any]]) -> str:
        return "; ".join(f"{name(s['article_id'])}, sentence {s['sentence']}" for s in sources)

    p(f"[bold]Comparing {len(ids)} articles[/bold]")
    for aid in ids:
        p(f"  [cyan]{escape(str(aid))}[/cyan]  {escape(names[aid])}", highlight=False)
    p()
    p(f"[bold]Shared facts[/bold] ({len(c['shared'])}) — reported by all")
    for f in c["shared"][:12]:
        p(f"  • {escape(_short(f['text']))} [dim]({escape(refs(f['sources']))})[/dim]",
          highlight=False)
    if c.get("partial"):
        p(f"\n[bold]Reported by some[/bold] ({len(c['partial'])})")
        for f in c["partial"][:10]:
            p(f"  • {escape(_short(f['text']))} [dim]({escape(refs(f['sources']))})[/dim]",
              highlight=False)
    for aid, facts in c["unique"].items():
        p(f"\n[bold]Only in {escape(name(aid))}[/bold] ({len(facts)}) — left out by the "
          "others")
        for f in facts[:10]:
            p(f"  • {escape(_short(f['text']))} [dim](sentence "
              f"{f['sources'][0]['sentence']})[/dim]", highlight=False)
        if len(facts) > 10:
            p(f"  [dim]… {len(facts) - 10} more[/dim]")
    held = c.get("contradictions_held_back", 0)
    p(f"\n[bold]Contradictions[/bold] ({len(c['contradictions'])})"
      + (f" [dim]— {held} less certain held back[/dim]" if held else ""))
    for k in c["contradictions"]:
        kind, about = k["type"], " ".join((k.get("about") or "").split())
        head = kind_name(kind)
        if kind == "quote_attribution" and about:
            head += f": “{_short(about, 80)}”"
        elif about and about.casefold() not in (kind.casefold(), head.casefold()):
            head += f": {_short(about, 60)}"
        conf = f" confidence {k['confidence']:.2f}" if "confidence" in k else ""
        p(f"  [red]{escape(head)}[/red][dim]{conf}[/dim]", highlight=False)
        for sd in k["sides"]:
            where = f"{name(sd['article_id'])}, sentence {sd['sentence']}"
            if kind == "quote_attribution":  # the value is the quote; who said it differs
                value = sd.get("normalised") or sd["value"]
            else:
                value = sd["value"]
                if _adds(value, sd.get("normalised") or ""):
                    value += f" ({sd['normalised']})"
            p(f"    {escape(where)}: [bold]{escape(_short(value, 120))}[/bold]",
              highlight=False)
            p(f"      [dim]{escape(_short(sd['text'], 150))}[/dim]", highlight=False)
    p("\n[bold]Sources cited[/bold]")
    for aid, cited in c["cited"].items():
        p(f"  {escape(name(aid))}: {escape(', '.join(cited) or '—')}", highlight=False)
    if c["rewrites"]:
        p("\n[bold]Rewrites of one copy[/bold]")
        for r in c["rewrites"]:
            a, b = r["articles"]
            p(f"  {escape(name(a))} ≈ {escape(name(b))} ({r['share']:.0%} shingles in common)",
              highlight=False)
    p("\n[bold]Tone and framing[/bold]")
    for aid, t in c["tone"].items():
        p(f"  {escape(name(aid))}: [bold]{t['tone']}[/bold] ({t['score']:+.2f})",
          highlight=False)
        for s in t["sentences"][:2]:
            p(f"      {s['score']:+.2f}  {escape(_short(s['text'], 110))}", highlight=False)
        ents = ", ".join(f"{n} {v['tone']}" for n, v in t["entities"].items())
        if ents:
            p(f"    towards: {escape(ents)}", highlight=False)
        fr = c["framing"].get(aid, {})
        if fr.get("entities") or fr.get("themes"):
            p(f"    stresses: {escape(', '.join(fr.get('entities', []) + fr.get('themes', [])))}",
              highlight=False)
    model = c["similarity"][0].get("model", "") if c["similarity"] else ""
    p("\n[bold]Similarity[/bold] [dim](1 = very similar .. 4 = very dissimilar"
      + (f"; model {escape(model)}" if model else "") + ")[/dim]")
    for s in c["similarity"]:
        a, b = s["articles"]
        dims = "  ".join(f"{k} {v:.1f}" for k, v in s["profile"].items())
        p(f"  {escape(name(a))} / {escape(name(b))}: {dims}", highlight=False)
