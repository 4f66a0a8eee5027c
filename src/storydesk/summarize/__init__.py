"""Extractive summaries of one article and of a story, with provenance.

Pure functions on text: no database, no model download.

* :func:`split_sentences` / :func:`split_sentence_spans`: a rule-based sentence splitter.
* :func:`summarize_article`: the best sentences of one article, as (index, sentence).
* :func:`summarize_story`: a non-redundant summary of several articles on one event,
  each sentence with every (article id, sentence index) that states the same fact; a
  :class:`FactJudge` (the caller's, e.g. the comparison's) may be passed in.
* :func:`evaluate`: ROUGE against reference summaries (needs ``rouge-score``).

docs/summaries.md describes the methods and their measured quality and speed.
"""

from __future__ import annotations

from storydesk.text.sentences import Span, split_sentence_spans, split_sentences

from .evaluate import evaluate
from .multi import Fact, StoryArticle, StoryParams, SummarySentence, story_facts, summarize_story
from .provenance import FactJudge
from .single import SummaryParams, score_sentences, summarize_article

__all__ = [
    "Fact",
    "FactJudge",
    "Span",
    "StoryArticle",
    "StoryParams",
    "SummaryParams",
    "SummarySentence",
    "evaluate",
    "score_sentences",
    "split_sentence_spans",
    "split_sentences",
    "story_facts",
    "summarize_article",
    "summarize_story",
]
