"""Comparisons of stored stories, kept in the store and made again when stale.

Comparing a story's articles takes about a second for twenty of them, too long for a
page view, so the result is kept as story summaries are (:mod:`storydesk.services.summaries`):
in the store's ``summaries`` table under kind ``comparison`` and the story's id, with
the story's content hash (its members and their texts). When an article joins or leaves
the story, or the comparison settings, the shipped similarity models or
:data:`COMPARE_VERSION` change, the stored one no longer matches and is made again.

The value is :meth:`Comparison.to_dict` as JSON (``storydesk compare --json``'s shape;
article ids used as keys are strings).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from storydesk.services.summaries import digest, fingerprint, kept, story_content
from storydesk.summarize.provenance import FactJudge

if TYPE_CHECKING:
    from storydesk.settings import Settings
    from storydesk.store import Store

__all__ = ["COMPARE_VERSION", "KIND", "params_key", "story_comparison", "summary_judge"]

# Bump when compare() changes in a way that changes its output.
COMPARE_VERSION = "7"  # 2: paraphrase-aware fact alignment; 3: scales (magnitude) not counts;
# 4: the fact judge aligns facts and gates contradictions, which carry a confidence;
# 5: a site's cookie or privacy notice states no fact; the splitter's title ends
# ("Cmndr.", "Msgr.", "Hun Sen." where the text writes "Hun Sen said"); 6: an aside set
# off by dashes after an abbreviation ends no sentence ("Corp. _ the Sherman Act _ ..."),
# nor a spaced "a. m." before a month written short ("1: 30 a. m. Feb. 1"); a sentence
# pointing at the page's links ("... at the link below.") states no fact; 7: nor a blog's
# byline ("On behalf of ..., LLP. posted in Hit and Run Accidents on Friday, ...")
KIND = "comparison"  # the ``kind`` of stored comparisons in the summaries table


@functools.cache
def _model_key() -> str:
    """A hash of the shipped similarity models and their IDF (they change the profiles)
    and of the fact judges and the paraphrase lexicon (they change the facts)."""
    from storydesk.compare.similarity import DATA_DIR

    files = sorted([*DATA_DIR.glob("similarity_*.json"), *DATA_DIR.glob("fact_judge*.json"),
                    DATA_DIR / "paraphrases.tsv"])
    return digest(*(f"{f.name}:{f.read_text(encoding='utf-8')}" for f in files))[:12]


def params_key(settings: Settings) -> str:
    """How a comparison is made (settings, similarity model, version): the ``params`` of
    stored comparisons."""
    return f"compare:{fingerprint(settings.compare)};m={_model_key()};v={COMPARE_VERSION}"


def story_comparison(store: Store, settings: Settings, story_id: int) -> dict[str, Any] | None:
    """The comparison of a stored story's articles (stored; made again when stale), plus
    ``story_id`` and ``cached``. None for an unknown story; ``ValueError`` when the story
    has fewer than two articles."""
    found = story_content(store, story_id)
    if found is None:
        return None
    ids, _, content = found
    if len(ids) < 2:
        raise ValueError(f"story {story_id} has one article: nothing to compare")
    params = params_key(settings)

    def make() -> dict[str, Any]:
        from storydesk.compare import compare
        from storydesk.extract.text import leading_text

        cap = settings.summaries.max_chars  # what one request may read of each article
        arts = [replace(a, text=leading_text(a.text, cap))
                for a in store.articles_by_ids(ids)]
        result = compare(arts, settings.compare).to_dict()
        return json.loads(json.dumps(result))  # as stored: ids used as keys are strings

    value, cached = kept(store, KIND, story_id, params, content, make)
    assert value is not None
    return {"story_id": story_id, **value, "cached": cached}


def summary_judge(settings: Settings) -> FactJudge:
    """The fact judge a story summary is given (summaries do not import the comparison):
    ``settings.compare.judge_model`` at ``align_threshold``, as the comparison aligns
    facts, so "reported by N of M" counts what the comparison counts."""
    from storydesk.compare.judge import judge_between, load_judge

    model = load_judge(settings.compare.judge_model)

    def between(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        return judge_between(a, b, model)

    def some(a: Sequence[str], b: Sequence[str], mask: np.ndarray) -> np.ndarray:
        return judge_between(a, b, model, mask)

    return FactJudge(between, settings.compare.align_threshold, some)
