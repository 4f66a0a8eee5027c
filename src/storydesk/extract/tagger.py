"""A CRF name tagger: tokens, features, training and tagging (python-crfsuite).

One model per language, trained by ``bench/train_entities.py`` on labelled news
(CoNLL-2003 for English, factRuEval-2016 for Russian) and shipped gzipped in
``storydesk/data/entities/``. Labels are BIO over PER, ORG, LOC and MISC; MISC is
learnt (it keeps nationalities and events apart from names) and never shown.

Features of a token: the word, lower-cased and as a shape (``Xxxx``, ``XX``, ``d``),
prefixes and suffixes, capitalisation, whether the line it stands in is all capitals
(news headlines) or a dateline, its position in the line, whether the same word is
written capitalised mid-sentence or in lower case elsewhere in the document (which
tells a name from a capitalised sentence opener), membership in the gazetteers
shipped in ``data/entities`` (places, first names, organisations, organisation words)
and the same for the two words on either side.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "entities"
TYPES = ("PER", "ORG", "LOC", "MISC")

# Words a full stop follows without ending the sentence ("Mr. Smith", "Jan. 5").
ABBREV = frozenset({
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Sen", "Rep", "Gov", "Gen", "Col", "Capt", "Lt", "Sgt",
    "St", "Inc", "Ltd", "Corp", "Co", "Jr", "Sr", "No", "Vol", "vs", "Mt",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
})
# CoNLL-like tokens: abbreviations with their full stop (U.S., Mr.), numbers, words with
# inner hyphens/apostrophes/ampersands, a possessive 's on its own, any other character.
_TOKEN = re.compile(
    r"(?:[^\W\d_]\.){2,}|(?:" + "|".join(sorted(ABBREV, key=len, reverse=True)) + r")\.(?!\w)"
    r"|\d+(?:[.,:/-]\d+)*|[^\W_]+(?:[-&][^\W_]+)*(?:['’][^\W_s][^\W_]*)?|['’]s\b|\S",
    re.UNICODE,
)
# Forms of address that precede a name without being part of it ("Mr Ebbers").
HONORIFICS = frozenset({"Mr", "Mrs", "Ms", "Dr", "Prof", "Mr.", "Mrs.", "Ms.", "Dr.", "Prof."})
_DATELINE = re.compile(r"^[A-Z][A-Z .'-]+(?:,? [A-Z][a-z]+\.?)?\s*(?:\d{4}-\d\d-\d\d|\(\w+\))")


class Token(NamedTuple):
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    type: str
    text: str


# Tokens a sentence may end with: sentence-final punctuation and the closing quotes and
# brackets after it.
_ENDERS = frozenset(".!?\"'”’)")


def _ends_sentence(toks: Sequence[Token], first: int, last: int, nxt: str) -> bool:
    """Whether the sentence ``toks[first:last + 1]`` ends before the token ``nxt``: after
    ".", "!" or "?" (and any closing quote) when the next word opens with a capital, a
    digit or a quote, unless the stop follows an abbreviation or an initial ("J. Smith")."""
    i = last
    while i > first and toks[i].text in "\"'”’)":
        i -= 1
    if toks[i].text not in (".", "!", "?") or not (nxt[:1].isupper() or nxt[:1] in "\"“'"):
        return False
    if toks[i].text == "." and i > first:
        prev = toks[i - 1].text
        if prev in ABBREV or (len(prev) == 1 and prev.isupper()):
            return False
    return True


def tokenize(text: str) -> list[list[Token]]:
    """``text`` as sentences of tokens, the unit the tagger reads (a CoNLL "sentence"):
    a new one at each line break and after sentence-final punctuation."""
    lines: list[list[Token]] = []
    finditer = _TOKEN.finditer
    pos = 0
    for row in text.split("\n"):  # no token holds a line break
        end = pos + len(row)
        toks = [Token(m.group(), m.start(), m.end()) for m in finditer(text, pos, end)]
        pos = end + 1
        first = 0
        for i in [i for i, t in enumerate(toks) if t.text in _ENDERS]:
            if i + 1 < len(toks) and _ends_sentence(toks, first, i, toks[i + 1].text):
                lines.append(toks[first : i + 1])
                first = i + 1
        if first < len(toks):
            lines.append(toks[first:] if first else toks)
    return lines


def _char_class(c: str) -> str:
    return "X" if c.isupper() else "x" if c.islower() else "d" if c.isdigit() else "p"


@lru_cache(maxsize=20_000)
def _shapes(w: str) -> tuple[str, str]:
    """A word's shape ("Xxxxx", "XX", "dd-dd") and its short shape, runs collapsed ("Xx")."""
    shape = "".join([_char_class(c) for c in w])
    short = "".join(c for i, c in enumerate(shape) if i == 0 or c != shape[i - 1])
    return shape, short


class Gazetteers:
    """Word lists a feature can ask about: lower-cased word -> set of list names."""

    def __init__(self, lists: dict[str, Iterable[str]]) -> None:
        self.word: dict[str, set[str]] = {}
        for name, items in lists.items():
            for item in items:
                ws = item.lower().split()
                for i, w in enumerate(ws):
                    tag = name if len(ws) == 1 else f"{name}{'B' if i == 0 else 'I'}"
                    self.word.setdefault(w, set()).add(tag)

    @classmethod
    def shipped(cls) -> Gazetteers:
        def load(name: str) -> list[str]:
            text = (DATA_DIR / name).read_text("utf-8")
            return [ln.strip() for ln in text.splitlines() if ln.strip() and ln[0] != "#"]

        return cls({
            "place": load("places_geonames.txt") + load("places_extra.txt"),
            "first": load("first_names.txt") + load("first_names_extra.txt"),
            "org": load("organisations.txt"),
            "orgword": load("org_words.txt"),
        })


def lower_words(docs: Iterable[dict[str, Any]], min_count: int = 3, share: float = 0.95
                ) -> frozenset[str]:
    """Words a corpus writes in lower case (nearly) wherever case tells something, i.e.
    after a word or comma: "later", "the", "however". At a sentence's start such a word
    is not part of a name ("Later Putin said")."""
    low: dict[str, int] = {}
    cap: dict[str, int] = {}
    for d in docs:
        for line in tokenize(d["text"]):
            if _caps_line(line):
                continue
            for p, t in zip(line, line[1:], strict=False):
                w = t.text
                if w[:1].islower():
                    low[w] = low.get(w, 0) + 1
                elif w[:1].isupper() and (p.text[:1].isalnum() or p.text == ","):
                    # after a quote or colon a capital may open a sentence
                    cap[w.lower()] = cap.get(w.lower(), 0) + 1
    return frozenset(w for w, n in low.items()
                     if n >= min_count and n >= share * (n + cap.get(w, 0)))


# A word's features as the tagger reads them: its own, then as the word two before, one
# before, one after and two after another; its lower-case form; whether it opens with a
# capital.
# Features are ``str``, or UTF-8 ``bytes`` where ``Featurizer(encoded=True)`` hands them to
# python-crfsuite ready-made (it would encode every string of every call).
Feature = str | bytes
_WordFeatures = tuple[list[Feature], list[Feature], list[Feature], list[Feature], list[Feature],
                      str, bool]
_MARKS = ("-2:pad", "-1:pad", "1:pad", "2:pad", "L0", "caps", "dateline", "BOL", "EOL",
          "doc:midcap", "doc:lower")


class Featurizer:
    """Token features as lists of strings (python-crfsuite's fastest input); with
    ``encoded`` as lists of the same strings in UTF-8 (for tagging: the model reads the
    same features, and python-crfsuite skips encoding them)."""

    def __init__(self, gaz: Gazetteers | None, lower: frozenset[str] = frozenset(),
                 encoded: bool = False) -> None:
        self.gaz = gaz
        self.lower = lower
        self.encoded = encoded
        self._words: dict[str, _WordFeatures] = {}
        marks: list[Feature] = [m.encode() for m in _MARKS] if encoded else list(_MARKS)
        self._marks = marks

    def own(self, w: str) -> list[str]:
        low = w.lower()
        shape, short = _shapes(w)
        f = [
            "w=" + w, "lw=" + low, "sh=" + (shape if len(shape) <= 6 else short),
            "ss=" + short, "p2=" + low[:2], "p3=" + low[:3], "s2=" + low[-2:],
            "s3=" + low[-3:], "s4=" + low[-4:],
        ]
        if w[:1].isupper():
            f.append("title" if not w.isupper() else "upper")
        if any(c.isdigit() for c in w):
            f.append("digit")
        if "-" in w:
            f.append("hyphen")
        if len(w) == 1:
            f.append("len1")
        if self.gaz is not None:
            f.extend("g=" + g for g in self.gaz.word.get(low, ()))
        if low in self.lower:
            f.append("lex=lower")
        return f

    def ctx(self, w: str, k: int) -> list[str]:
        low = w.lower()
        p = f"{k}:"
        f = [p + "lw=" + low, p + "ss=" + _shapes(w)[1]]
        if abs(k) == 1:
            f.append(p + "s3=" + low[-3:])
            if self.gaz is not None:
                f.extend(p + "g=" + g for g in self.gaz.word.get(low, ()))
        return f

    def word(self, w: str) -> _WordFeatures:
        """Everything the features of a token take from its word, worked out once per
        word (news repeats its words: most tokens are found here)."""
        f = self._words.get(w)
        if f is None:
            strs = [self.own(w), self.ctx(w, -2), self.ctx(w, -1), self.ctx(w, 1),
                    self.ctx(w, 2)]
            lists: list[list[Feature]] = (
                [[a.encode() for a in fs] for fs in strs] if self.encoded
                else [list[Feature](fs) for fs in strs])
            own, c2, c1, n1, n2 = lists
            f = (own, c2, c1, n1, n2, w.lower(), w[:1].isupper())
            if len(self._words) < 20_000:
                self._words[w] = f
        return f

    def document(self, lines: Sequence[Sequence[Token]],
                 hints: Sequence[Sequence[str]] | None = None,
                 only: Sequence[bool] | None = None) -> list[list[list[Feature]]]:
        """Features of every token of a document, line by line. ``hints``: another
        tagger's BIO labels of the same tokens, used as features (stacking). ``only``:
        which lines to describe (the others get no features)."""
        # how each word is written where its case tells something: mid-line
        mid_cased: set[str] = set()
        lower: set[str] = set()
        caps_lines = [_caps_line(line) for line in lines]
        for line, caps in zip(lines, caps_lines, strict=True):
            if caps:
                continue
            for t in line[1:]:
                w = t.text
                if w[:1].isupper():
                    mid_cased.add(w.lower())
                elif w[:1].islower():
                    lower.add(w)
        word, known = self.word, self._words.get
        pad2, pad1, pad_1, pad_2 = ([m] for m in self._marks[:4])
        l0, caps_line, dateline, bol, eol, midcap, lowcase = self._marks[4:]
        out: list[list[list[Feature]]] = []
        for li, line in enumerate(lines):
            if only is not None and not only[li]:
                out.append([])
                continue
            caps = caps_lines[li]
            line_feats = [l0] if li == 0 else []
            if caps:
                line_feats.append(caps_line)
            if li < 4 and _DATELINE.match(" ".join([t.text for t in line[:8]])):
                line_feats.append(dateline)
            n = len(line)
            ws = [known(t.text) or word(t.text) for t in line]
            seq: list[list[Feature]] = []
            for i, wf in enumerate(ws):
                f = [*wf[0], *line_feats,
                     *(ws[i - 2][1] if i >= 2 else pad2),
                     *(ws[i - 1][2] if i >= 1 else pad1),
                     *(ws[i + 1][3] if i + 1 < n else pad_1),
                     *(ws[i + 2][4] if i + 2 < n else pad_2)]
                if i == 0:
                    f.append(bol)
                elif i == n - 1:
                    f.append(eol)
                if caps or wf[6]:
                    if wf[5] in mid_cased:
                        f.append(midcap)
                    if wf[5] in lower:
                        f.append(lowcase)
                if hints is not None:
                    h = hints[li]
                    fh = ["h=" + h[i], "h-1=" + (h[i - 1] if i else "pad") + "|" + h[i],
                          "h+1=" + (h[i + 1] if i + 1 < n else "pad")]
                    f.extend([x.encode() for x in fh] if self.encoded else fh)
                seq.append(f)
            out.append(seq)
        return out


def _has_upper(s: str) -> bool:
    """Whether ``s`` holds a capital letter (in ASCII text: whether lower-casing changes it)."""
    if s.isascii():
        return s.lower() != s
    return any(c.isupper() for c in s)


def _caps_line(line: Sequence[Token]) -> bool:
    letters = [t.text for t in line if t.text[:1].isalpha()]
    return len(letters) >= 2 and sum(w.isupper() for w in letters) >= 0.8 * len(letters)


def bio_labels(lines: Sequence[Sequence[Token]], entities: Sequence[dict[str, Any]]) -> list[
        list[str]]:
    """BIO labels of tokens from character-offset entities; where entities nest, the
    outermost wins (a flat tagger can learn only those)."""
    ents = sorted((e for e in entities if e["type"] in TYPES),
                  key=lambda e: (e["start"], -(e["end"] - e["start"])))
    outer: list[dict[str, Any]] = []
    for e in ents:
        if not outer or e["start"] >= outer[-1]["end"]:
            outer.append(e)
    out: list[list[str]] = []
    k = 0
    prev: dict[str, Any] | None = None
    for line in lines:
        labels = []
        for t in line:
            while k < len(outer) and outer[k]["end"] <= t.start:
                k += 1
            e = outer[k] if k < len(outer) else None
            if e is not None and e["start"] <= t.start < e["end"]:
                labels.append(("I-" if prev is e and labels else "B-") + e["type"])
                prev = e
            else:
                labels.append("O")
                prev = None
        out.append(labels)
    return out


def spans(text: str, lines: Sequence[Sequence[Token]], tags: Sequence[Sequence[str]]) -> list[
        Span]:
    """Names from BIO tags: consecutive tokens of one type, a B- opening a new one."""
    out: list[Span] = []
    for line, labels in zip(lines, tags, strict=True):
        cur: list[Token] = []
        typ = ""
        for t, lab in [*zip(line, labels, strict=True), (None, "O")]:
            kind = lab[2:] if lab != "O" else ""
            if cur and (not kind or kind != typ or lab.startswith("B-")):
                s, e = cur[0].start, cur[-1].end
                out.append(Span(s, e, typ, text[s:e]))
                cur = []
            if kind and t is not None:
                cur.append(t)
                typ = kind
    return out


def inner_words(docs: Iterable[dict[str, Any]], min_count: int = 3) -> frozenset[str]:
    """Lower-case words a corpus lets stand inside a name ("Bank of England", "Ludwig van
    Beethoven"): any other lower-case word ends a name."""
    n: dict[str, int] = {}
    for d in docs:
        for e in d["entities"]:
            for w in e["text"].split()[1:-1]:
                if w.islower():
                    n[w] = n.get(w, 0) + 1
    return frozenset(w for w, c in n.items() if c >= min_count)


def _lexicon_path(model: Path) -> Path:
    return model.with_name(model.name.replace(".crfsuite.gz", ".words.json.gz"))


class CRF:
    """A trained tagger from a ``.crfsuite.gz`` file and the word lists written beside it
    by ``train`` (``.words.json.gz``: ``lower`` and, where names are cut at other
    lower-case words, ``inner``)."""

    def __init__(self, path: Path, gaz: Gazetteers | None) -> None:
        import json

        import pycrfsuite

        self.tagger = pycrfsuite.Tagger()
        # the tagger reads the model from this buffer: it must live as long as the tagger
        self._model = gzip.decompress(path.read_bytes())
        self.tagger.open_inmemory(self._model)
        lex = _lexicon_path(path)
        words = json.loads(gzip.decompress(lex.read_bytes())) if lex.exists() else {}
        self.lower = frozenset(words.get("lower", ()))
        self.inner = None if words.get("inner") is None else frozenset(words["inner"])
        self.feats = Featurizer(gaz, self.lower, encoded=True)
        self.path = path

    def tag(self, text: str, hint_spans: Sequence[tuple[int, int, str]] | None = None,
            lines_with: Collection[str] | None = None) -> list[Span]:
        """Names in ``text``; ``hint_spans`` (start, end, type) from another tagger where
        the model was trained with them; ``lines_with``: only the sentences holding one of
        these strings in a token are tagged (read in the whole text's context: their
        names are those of a full run)."""
        lines = tokenize(text)
        if not lines:
            return []
        hints = None if hint_spans is None else hint_labels(lines, hint_spans)
        need = [self._may_name(line, None if hints is None else hints[i])
                and (lines_with is None
                     or any(w in t.text for t in line for w in lines_with))
                for i, line in enumerate(lines)]
        feats = self.feats.document(lines, hints, need)
        tags = [self._names(line, f) if ok else ["O"] * len(line)
                for line, f, ok in zip(lines, feats, need, strict=True)]
        return spans(text, lines, tags)

    def _names(self, line: Sequence[Token], feats: list[list[str]]) -> list[str]:
        """The tags of one sentence, names cut as ``_opener`` and ``_inner`` say."""
        tags = self.tagger.tag(feats)
        if tags.count("O") == len(tags):  # no name: nothing to cut
            return tags
        return self._inner(line, _after_the(line, self._opener(line, tags)))

    def _may_name(self, line: Sequence[Token], hints: Sequence[str] | None) -> bool:
        """Whether a sentence may hold a name: a capital after its first word, a first word
        the corpus does not write in lower case, or a name another tagger saw there.
        The others (many of a news article's) are not tagged."""
        if hints is not None and any(h != "O" for h in hints):
            return True
        first = line[0].text
        if _has_upper(first) and first.lower() not in self.lower:
            return True
        return _has_upper("".join([t.text for t in line[1:]]))

    def _inner(self, line: Sequence[Token], tags: list[str]) -> list[str]:
        """Cut names at lower-case words that the corpus never lets stand inside one
        ("the Ostmark city of Karsk" -> "Ostmark", "Karsk"); connectors left at either
        end of a piece ("of Karsk") are dropped."""
        if self.inner is None:
            return tags
        inner = self.inner
        out = list(tags)
        i, n = 0, len(out)
        while i < n:
            if out[i] == "O":
                i += 1
                continue
            typ = out[i][2:]
            j = i + 1
            while j < n and out[j] == "I-" + typ:
                j += 1
            keep = [not (w[:1].islower() and w not in inner and not any(c.isupper() for c in w))
                    for w in (t.text for t in line[i:j])]
            k = i
            while k < j:
                if not keep[k - i]:
                    out[k] = "O"
                    k += 1
                    continue
                m = k
                while m < j and keep[m - i]:
                    m += 1
                a, b = k, m  # a piece between cuts; drop connectors at its ends
                while a < b and line[a].text in inner:
                    a += 1
                while b > a and line[b - 1].text in inner:
                    b -= 1
                for x in range(k, m):
                    out[x] = "O" if not a <= x < b else ("B-" if x == a else "I-") + typ
                k = m
            i = j
        return out

    def _opener(self, line: Sequence[Token], tags: list[str]) -> list[str]:
        """A sentence's first word that the corpus writes in lower case is no part of a
        name that goes on after it ("Later Putin" -> "Putin"), nor is a form of address
        ("Mr Ebbers" -> "Ebbers")."""
        out = list(tags)
        for i, tag in enumerate(tags[:-1]):
            if tag.startswith("B-") and tags[i + 1].startswith("I-") and (
                    line[i].text in HONORIFICS or (i == 0 and line[0].text.lower() in self.lower)):
                out[i], out[i + 1] = "O", "B-" + tags[i + 1][2:]
        return out


def _after_the(line: Sequence[Token], tags: list[str]) -> list[str]:
    """A one-word person right after "the" is no name ("told the Courier he"): of the
    one-word names after "the" in the CoNLL-2003 training documents, 2% are people
    (20 of 985; MISC 520, ORG 256, LOC 189)."""
    out = list(tags)
    for i in range(1, len(tags)):
        if (tags[i] == "B-PER" and line[i - 1].text in ("the", "The")
                and (i + 1 == len(tags) or not tags[i + 1].startswith("I-"))):
            out[i] = "O"
    return out


def hint_labels(lines: Sequence[Sequence[Token]], hint_spans: Sequence[tuple[int, int, str]]
                ) -> list[list[str]]:
    """BIO labels of tokens from another tagger's (start, end, type) spans."""
    return bio_labels(lines, [{"start": a, "end": b, "type": t} for a, b, t in hint_spans])


def train(docs: Iterable[dict[str, Any]], out: Path, gaz: Gazetteers | None, *,
          cut_lower: bool = False, c1: float = 0.05, c2: float = 0.01,
          iterations: int = 150) -> None:
    """Train a CRF on labelled rows ``{text, entities}`` (with ``hints``: another
    tagger's (start, end, type) spans, for stacking) and write it gzipped to ``out``.

    L-BFGS with L1+L2 regularisation; deterministic for the same rows and order.
    ``cut_lower``: at tagging, cut names at lower-case words the rows never have inside a
    name (right for English, not for Russian, whose names hold many lower-case words).
    """
    import json
    import os
    import tempfile

    import pycrfsuite

    docs = list(docs)
    lower = lower_words(docs)
    inner = inner_words(docs) if cut_lower else None
    trainer = pycrfsuite.Trainer(verbose=False)
    feats = Featurizer(gaz, lower)
    for d in docs:
        lines = tokenize(d["text"])
        labels = bio_labels(lines, d["entities"])
        hints = hint_labels(lines, d["hints"]) if "hints" in d else None
        for f, y in zip(feats.document(lines, hints), labels, strict=True):
            trainer.append(f, y)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations,
                        "feature.possible_transitions": True})
    fd, tmp = tempfile.mkstemp(suffix=".crfsuite")
    os.close(fd)
    try:
        trainer.train(tmp)
        out.write_bytes(gzip.compress(Path(tmp).read_bytes(), mtime=0))
        words = {"lower": sorted(lower), "inner": None if inner is None else sorted(inner)}
        _lexicon_path(out).write_bytes(gzip.compress(json.dumps(words).encode(), mtime=0))
    finally:
        os.unlink(tmp)


# The shipped models: name -> (reads the English gazetteers, cuts names at unknown
# lower-case words).
MODELS = {"en": (True, True), "ru": (False, False), "ru_natasha": (False, False)}


@lru_cache(maxsize=4)
def shipped_model(name: str) -> CRF:
    """A shipped model: "en", "ru", or "ru_natasha" (Russian, reading natasha's names
    as features)."""
    return CRF(DATA_DIR / f"crf_{name}.crfsuite.gz",
               Gazetteers.shipped() if MODELS[name][0] else None)
