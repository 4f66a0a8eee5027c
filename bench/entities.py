# ruff: noqa: E501  (the gold sentences below are kept one document a line)
"""Entity extraction and language identification: quality and speed.

    .venv/bin/python bench/entities.py [--data ../shared/data] [--articles 300]

1. Entities, gold: a small hand-labelled set of fictional news sentences
   (GOLD below, written before the rules were tuned; labels are
   ``{Name|p}`` person, ``{Name|o}`` organisation, ``{Name|l}`` place).
   Scored per document on the set of (canonical name, type), as
   ``extract_entities`` returns them; a surname-only person mention counts as
   the full name given elsewhere in the same document.
2. Entities, silver: agreement of each method with spaCy's small English
   model on real BBC News articles (shared/data/summaries/bbc.jsonl), where
   spaCy is installed. Not a gold standard: spaCy has its own errors.
3. Speed: ms per article on the BBC articles, one core.
4. Language: accuracy and ms per text of ``detect_language`` on the distinct
   article texts of the SemEval-2022 Task 8 sample (10 languages).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storydesk.extract import entities as E  # noqa: E402
from storydesk.extract.language import detect_language  # noqa: E402

TYPES = {"p": E.PERSON, "o": E.ORG, "l": E.PLACE}
GOLD = """
{Maria Delgado|p}, the chief executive of {Novaterra Mining|o}, told reporters in {Santiago|l} on Tuesday that the company would cut 400 jobs. {Delgado|p} blamed falling copper prices.

The {European Commission|o} opened an investigation into {Helix Pharma|o} after complaints from hospitals in {Belgium|l} and the {Netherlands|l}.

Police in {Manchester|l} arrested a 34-year-old man on Sunday, a spokesman for {Greater Manchester Police|o} said.

Prime Minister {Tomas Lindqvist|p} of {Sweden|l} met {Jens Okonkwo|p}, the head of the {Nordic Energy Agency|o}, in {Stockholm|l}.

"We will not back down," said {Aisha Rahman|p}, a spokeswoman for the {Ministry of Foreign Affairs|o}.

Floods swept through the {Po Valley|l} in northern {Italy|l}, forcing thousands from their homes near {Piacenza|l} and {Cremona|l}.

{Brightwave|o} shares fell 12% on the {Nasdaq|o} after the software maker missed its forecast. Analysts at {Goldman Sachs|o} cut their rating.

Dr. {Henrik Vos|p}, who leads the infectious disease unit at {Leiden University|o}, said the outbreak was under control.

The {United Nations|o} said on Friday that aid convoys had reached {Khartoum|l}, but fighting continued in {Darfur|l}.

{Kenya|l}'s central bank raised interest rates for the third time this year, Governor {Samuel Mwangi|p} said in {Nairobi|l}.

Thousands marched in {Paris|l} and {Lyon|l} against the pension reform pushed by President {Claire Fontaine|p}.

The striker {Luca Bernardi|p} scored twice as {Real Madrid|o} beat {Sevilla|o} 3-1 at the {Santiago Bernabeu|l}.

{Chen Wei|p}, a researcher at the {Chinese Academy of Sciences|o}, published the findings in the journal {Nature|o}.

Officials from {NATO|o} and the {African Union|o} will meet in {Addis Ababa|l} next month, according to a statement from {Brussels|l}.

Mr. {O'Brien|p} denied the allegations. His lawyer, {Sarah Whitfield|p}, said he would appeal to the {Supreme Court|o}.

A magnitude 6.1 earthquake struck off the coast of {Sumatra|l}, {Indonesia|l}'s meteorology agency {BMKG|o} said.

{Amazon|o} and {Microsoft|o} are competing for a defence contract worth $10bn, the {Pentagon|o} confirmed.

After the vote, {Viktor Hollan|p} of the {Freedom Party|o} said his group would join the coalition in {Vienna|l}.

The wildfire near {Los Angeles|l} has burned 20,000 acres, the {California Department of Forestry and Fire Protection|o} said.

Residents of {Mosul|l} say rebuilding is slow. "Nobody comes," said {Ahmed Saleh|p}, a shopkeeper.

{Toyota|o} will build a battery plant in {North Carolina|l}, Governor {Rebecca Hale|p} announced on Monday.

The {World Health Organization|o} warned that cholera cases in {Yemen|l} and {Haiti|l} were rising sharply.

Speaking in {Kyiv|l}, {Olena Marchenko|p} thanked {Poland|l} and {Lithuania|l} for their support.

{Reuters|o} reported that {Gazprom|o} had halted deliveries through the pipeline to {Germany|l}.

Senator {James Whitaker|p} ({Republican Party|o}, {Ohio|l}) introduced the bill, which {Democrats|o} oppose.

{Fatima Zahra Benali|p} became the first woman to lead the {Moroccan Football Federation|o}, officials in {Rabat|l} said.

The storm, named Hector, is expected to make landfall in {Florida|l} on Thursday.

{Apple|o} chief {Tim Cook|p} visited a factory in {Zhengzhou|l} operated by {Foxconn|o}.

Archaeologists from the {University of Cairo|o} found the tomb near {Luxor|l} on the west bank of the {Nile|l}.

In {Brazil|l}, the environment minister, {Marina Costa|p}, said deforestation in the {Amazon|l} had fallen by a third.

{Deutsche Bahn|o} cancelled hundreds of trains as the {GDL|o} union began a three-day strike across {Germany|l}.

Inflation in the {eurozone|l} slowed to 2.4% in November, {Eurostat|o} said.

{Kim Soo-jin|p}, a spokeswoman for {Samsung Electronics|o}, declined to comment on the report from {Seoul|l}.

The judge, {Patricia Moreno|p}, ordered {Acme Logistics Inc.|o} to pay $3 million to former workers in {Texas|l}.

Voters in {Scotland|l} head to the polls on Thursday. {Ewan MacLeod|p} of the {Scottish National Party|o} is expected to keep his seat in {Inverness|l}.

Both teams arrived in {Doha|l} on Sunday. {Qatar|l} hosts the tournament for the second time.

{Rio Tinto|o} agreed to pay a fine to the {Australian Securities and Investments Commission|o} over disclosures about its mine in {Mongolia|l}.

A spokesman for the {Kremlin|o}, {Dmitry Orlov|p}, said {Moscow|l} had not been informed of the drills in the {Baltic Sea|l}.

According to the {International Monetary Fund|o}, {Argentina|l}'s economy will shrink this year. Finance minister {Pablo Ruiz|p} disagreed.

The museum in {Amsterdam|l} returned the painting to the heirs of {Eva Rosenthal|p}, who fled {Berlin|l} in 1938.

Farmers blocked roads outside {Warsaw|l} to protest imports of grain from {Ukraine|l}, the {Polish Press Agency|o} reported.

{Nadia Petrova|p}'s new novel won the prize on Wednesday. {Petrova|p}, 52, lives in {Prague|l}.

Engineers at {SpaceX|o} said the rocket would launch from {Cape Canaveral|l} once weather over the {Atlantic|l} improves.

Health officials in {Lagos|l} confirmed two cases of Lassa fever. {Nigeria|l}'s {Centre for Disease Control|o} sent a team.

{Hamid Karimi|p}, an economist at {Tehran University|o}, said sanctions imposed by the {United States|l} had doubled food prices.

The {Bank of England|o} held rates at 5.25%, with Governor {Andrew Bailey|p} warning that {London|l}'s housing market remained weak.

Protesters gathered outside the parliament in {Tbilisi|l} on Saturday. {Georgia|l}'s ruling party, {Georgian Dream|o}, has defended the law.

{Jonas Berg|p} and {Ingrid Solheim|p} of the {Norwegian Polar Institute|o} returned from {Svalbard|l} with new ice samples.

{Tesla|o} recalled 120,000 cars in {China|l}, the {State Administration for Market Regulation|o} said.

On Monday, {Nguyen Van An|p} was sworn in as mayor of {Hanoi|l}.

The {Red Cross|o} said 40 people had died in the landslide near {Kathmandu|l}, {Nepal|l}'s capital.

{Ethiopia|l} and {Egypt|l} resumed talks on the dam on the {Blue Nile|l}, mediated by {South Africa|l}.
"""
_MARK = re.compile(r"\{([^|{}]+)\|([pol])\}")


def gold_docs() -> list[tuple[str, set[tuple[str, str]]]]:
    docs = []
    for block in GOLD.strip().split("\n\n"):
        text = _MARK.sub(lambda m: m.group(1), block)
        ments = [(m.group(1), TYPES[m.group(2)]) for m in _MARK.finditer(block)]
        full = [n for n, t in ments if t == E.PERSON and " " in n]
        gold = set()
        for n, t in ments:
            if t == E.PERSON and " " not in n:
                n = next((f for f in full if f.split()[-1] == n), n)
            gold.add((_norm(n), t))
        docs.append((text, gold))
    return docs


def _norm(name: str) -> str:
    name = name.strip().lower().rstrip(".")
    return name[4:] if name.startswith("the ") else name


def _method(name: str):
    if name == "gazetteer-only":
        # the non-English mode: known names, titled or first-named persons
        return lambda text: E._rules(text, english=False)
    return lambda text: [
        (e.name, e.type) for e in E.extract_entities(text, method=name) for _ in range(e.count)
    ]


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(pred_sets, gold_sets) -> dict[str, tuple[float, float, float]]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for pred, gold in zip(pred_sets, gold_sets, strict=True):
        for _n, t in pred & gold:
            tp[t] += 1
        for _n, t in pred - gold:
            fp[t] += 1
        for _n, t in gold - pred:
            fn[t] += 1
    out = {t: _prf(tp[t], fp[t], fn[t]) for t in (E.PERSON, E.ORG, E.PLACE)}
    out["all"] = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return out


def _fmt(s: dict[str, tuple[float, float, float]]) -> str:
    return "  ".join(f"{k[:3]} {p:.2f}/{r:.2f}/{f:.2f}" for k, (p, r, f) in s.items())


def available_methods() -> list[str]:
    methods = ["rules", "gazetteer-only"]
    try:
        E._spacy_nlp()
        methods.append("spacy")
    except Exception as e:  # noqa: BLE001
        print(f"(spacy method unavailable: {e})")
    return methods


def bbc_texts(data: Path, n: int) -> list[str]:
    out = []
    with open(data / "summaries" / "bbc.jsonl", encoding="utf-8") as fh:
        for line in fh:
            out.append(json.loads(line)["text"])
            if len(out) >= n:
                break
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--articles", type=int, default=300)
    args = ap.parse_args()
    methods = available_methods()

    docs = gold_docs()
    n_gold = sum(len(g) for _, g in docs)
    print(f"## Entities, gold: {len(docs)} hand-labelled documents, {n_gold} entities")
    print("P/R/F1 per type (person, organisation, place) and micro-averaged overall")
    for m in methods:
        f = _method(m)
        preds = [{(_norm(n), t) for n, t in f(text)} for text, _ in docs]
        print(f"{m:15s} {_fmt(score(preds, [g for _, g in docs]))}")

    texts = bbc_texts(args.data, args.articles) if (args.data / "summaries").exists() else []
    if texts:
        words = sum(len(t.split()) for t in texts) / len(texts)
        print(f"\n## Speed: {len(texts)} BBC articles, {words:.0f} words on average, one core")
        results = {}
        for m in methods:
            f = _method(m)
            f(texts[0])  # load models and gazetteers
            sample = texts if m != "spacy" else texts[:100]
            t0 = time.perf_counter()
            results[m] = [{(_norm(n), t) for n, t in f(x)} for x in sample]
            dt = (time.perf_counter() - t0) / len(sample) * 1000
            print(f"{m:15s} {dt:6.2f} ms/article  ({dt * 600 / words:.2f} ms per 600 words)")
        if "spacy" in results:
            ref = results["spacy"]
            print("\n## Entities, silver: agreement with spaCy en_core_web_sm on BBC articles")
            for m in methods:
                if m != "spacy":
                    print(f"{m:15s} {_fmt(score(results[m][: len(ref)], ref))}")

    path = args.data / "similarity" / "semeval2022_train.csv"
    if path.exists():
        seen: dict[str, str] = {}
        with open(path, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                seen.setdefault(row["text1"], row["lang1"])
                seen.setdefault(row["text2"], row["lang2"])
        items = [(t, lang) for t, lang in seen.items() if t.strip()]
        detect_language(items[0][0])
        t0 = time.perf_counter()
        preds = [detect_language(t) for t, _ in items]
        dt = (time.perf_counter() - t0) / len(items) * 1000
        ok = sum(p == g for p, (_, g) in zip(preds, items, strict=True))
        none = sum(p is None for p in preds)
        langs = Counter(g for _, g in items)
        print(
            f"\n## Language: SemEval-2022 Task 8 sample, {len(items)} distinct texts, "
            f"{len(langs)} languages"
        )
        print(
            f"py3langid       accuracy {ok / len(items):.4f}  ({none} returned None)  "
            f"{dt:.2f} ms/text"
        )
        title_items = [(t[:60], g) for t, g in items]
        ok_t = sum(detect_language(t) == g for t, g in title_items)
        print(f"first 60 chars  accuracy {ok_t / len(items):.4f}")


if __name__ == "__main__":
    main()
