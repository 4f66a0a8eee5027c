"""The comparison as JSON and as a plain-text report for a terminal (Rich)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape

__all__ = ["print_report"]


def _short(text: str, n: int = 160) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def print_report(comparison: dict[str, Any], names: dict[Any, str], console: Console) -> None:
    """Print ``Comparison.to_dict()`` for people: facts, contradictions, sources, tone."""
    c = comparison["comparison"]
    p = console.print
    ids = list(names)
    p(f"[bold]Comparing {len(ids)} articles[/bold]")
    for aid in ids:
        p(f"  [cyan]{escape(str(aid))}[/cyan]  {escape(names[aid])}", highlight=False)
    p()
    p(f"[bold]Shared facts[/bold] ({len(c['shared'])}) — reported by all")
    for f in c["shared"][:12]:
        srcs = ", ".join(f"{s['article_id']}#{s['sentence']}" for s in f["sources"])
        p(f"  • {escape(_short(f['text']))} [dim]({escape(srcs)})[/dim]", highlight=False)
    if c.get("partial"):
        p(f"\n[bold]Reported by some[/bold] ({len(c['partial'])})")
        for f in c["partial"][:10]:
            srcs = ", ".join(f"{s['article_id']}#{s['sentence']}" for s in f["sources"])
            p(f"  • {escape(_short(f['text']))} [dim]({escape(srcs)})[/dim]", highlight=False)
    for aid, facts in c["unique"].items():
        p(f"\n[bold]Only in {escape(str(aid))}[/bold] ({len(facts)}) — left out by the others")
        for f in facts[:10]:
            p(f"  • {escape(_short(f['text']))} [dim](#{f['sources'][0]['sentence']})[/dim]",
              highlight=False)
        if len(facts) > 10:
            p(f"  [dim]… {len(facts) - 10} more[/dim]")
    held = c.get("contradictions_held_back", 0)
    p(f"\n[bold]Contradictions[/bold] ({len(c['contradictions'])})"
      + (f" [dim]— {held} less certain held back[/dim]" if held else ""))
    for k in c["contradictions"]:
        conf = f" confidence {k['confidence']:.2f}" if "confidence" in k else ""
        p(f"  [red]{k['type']}[/red] [dim]{escape(k['about'][:60])}{conf}[/dim]",
          highlight=False)
        for s in k["sides"]:
            p(f"    {escape(str(s['article_id']))}#{s['sentence']}: [bold]{escape(s['value'])}"
              f"[/bold] [dim]({escape(s['normalised'])})[/dim] — {escape(_short(s['text'], 120))}",
              highlight=False)
    p("\n[bold]Sources cited[/bold]")
    for aid, cited in c["cited"].items():
        p(f"  {escape(str(aid))}: {escape(', '.join(cited) or '—')}", highlight=False)
    if c["rewrites"]:
        p("\n[bold]Rewrites of one copy[/bold]")
        for r in c["rewrites"]:
            a, b = r["articles"]
            p(f"  {escape(str(a))} ≈ {escape(str(b))} ({r['share']:.0%} shingles in common)",
              highlight=False)
    p("\n[bold]Tone and framing[/bold]")
    for aid, t in c["tone"].items():
        p(f"  {escape(str(aid))}: [bold]{t['tone']}[/bold] ({t['score']:+.2f})", highlight=False)
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
        p(f"  {escape(str(a))} / {escape(str(b))}: {dims}", highlight=False)
