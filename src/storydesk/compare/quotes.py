"""Who a quote is credited to.

A quote is credited by the attribution in its own sentence, outside the quotation marks
("...," Kalvan said; said Kalvan; Kalvan told reporters; Kristol wrote in a letter; in
which he said), else by that of the sentence before it ("Kalvan said:" then the quote).
A person named as the subject of the speech verb (right before it, or right after a
"said") is the speaker, unless another name closed by a comma comes between the verb and
the person ("According to AMD, SeaMicro will ...": the speaker is AMD, not a person); a
pronoun ("he said", "she wrote") is the nearest person named before it in the article.
With no attribution the speaker is unknown (None), and an unknown speaker is never
compared.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["credit", "speaker"]

# How sure a credit is: a name at the speech verb, a pronoun resolved to the person named
# before it, an attribution read from the sentence before the quote.
NAMED, PRONOUN, BEFORE = 1.0, 0.5, 0.5

_VERBS = (r"said|says|say|told|tells|added|adds|stated|states|declared|noted|notes|"
          r"explained|wrote|writes|insisted|insists|asked|asks|replied|argued|warned|"
          r"announced|tweeted|posted|continued|recalled|according to")
_VERB = re.compile(rf"\b(?:{_VERBS})\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(?:he|she|they)\b", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“”][^\"“”]*[\"“”]")
_MARK = re.compile(r"[\"“”]")
_GAP = 40  # characters between a name and its speech verb, at most
# A capitalised word closed by a comma between a speech verb and a person: the speaker is
# that word (an organisation: "According to AMD, SeaMicro will ..."), not the person.
_NAMED_BEFORE = re.compile(r"\b[A-Z][\w'’&.-]*\s*[,;:]")


def _mentions(text: str, persons: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, person) of each name mention (a person's full name or last name)."""
    out = []
    for p in persons:
        for form in {p, p.split()[-1]}:
            out += [(m.start(), m.end(), p) for m in re.finditer(rf"\b{re.escape(form)}\b", text)]
    return sorted(out)


def _last(person: str) -> str:
    return person.split()[-1]


def _attribution(outside: str, persons: Sequence[str], before: str
                 ) -> tuple[str, float] | None:
    """The speaker an attribution (quotes blanked out) names, if any, and how sure: the
    person right before the verb, or right after it; a pronoun is the last person named
    in ``before`` and the text before it."""
    names = _mentions(outside, persons)
    for verb in _VERB.finditer(outside):
        left = [n for n in names if n[1] <= verb.start() and verb.start() - n[1] <= _GAP]
        gap_text = outside[left[-1][1]:verb.start()] if left else ""
        if left and not re.search(r"[.;:!?]", gap_text) and not _PRONOUN.search(gap_text):
            return _last(left[-1][2]), NAMED
        right = [n for n in names if n[0] >= verb.end() and n[0] - verb.end() <= _GAP]
        gap = outside[verb.end():right[0][0]] if right else ""
        if right and not _PRONOUN.search(gap) and not _VERB.search(gap) \
                and not _NAMED_BEFORE.search(gap):
            return _last(right[0][2]), NAMED
        pro = [m for m in _PRONOUN.finditer(outside)
               if 0 <= verb.start() - m.end() <= 12 or 0 <= m.start() - verb.end() <= 2]
        if pro:
            prior = _mentions(before + " " + outside[:pro[0].start()], persons)
            if prior:
                return _last(prior[-1][2]), PRONOUN
    return None


def _outside(sentence: str) -> str:
    """The sentence with quoted words blanked out; a lone quotation mark closes a quote
    begun before the sentence when a speech verb follows it, else opens one."""
    out = _QUOTED.sub(" ", sentence)
    lone = _MARK.search(out)
    if lone:
        if _VERB.search(out[lone.end():]):
            out = " " * lone.end() + out[lone.end():]
        else:
            out = out[:lone.start()]
    return out


def credit(sentences: Sequence[str], k: int, persons: Sequence[str]
           ) -> tuple[str, float] | None:
    """The last name of the person the quote in ``sentences[k]`` (one article's sentences
    in order) is credited to, and how sure (:data:`NAMED`, :data:`PRONOUN`,
    :data:`BEFORE`); None when unknown. ``persons``: the people the article names."""
    own = _outside(sentences[k])
    before = " ".join(sentences[max(0, k - 3):k])
    found = _attribution(own, persons, before)
    if found is None and k > 0 and not _VERB.search(own):  # the quote stands alone
        prev = _outside(sentences[k - 1])
        if prev.rstrip().endswith((":", ",")) or _VERB.search(prev):
            got = _attribution(prev, persons, " ".join(sentences[max(0, k - 4):k - 1]))
            found = (got[0], got[1] * BEFORE) if got else None
    return found


def speaker(sentences: Sequence[str], k: int, persons: Sequence[str]) -> str | None:
    """:func:`credit`'s last name alone."""
    found = credit(sentences, k, persons)
    return found[0] if found else None
