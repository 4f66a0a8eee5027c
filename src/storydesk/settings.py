"""Every tunable number in storydesk, with its default and why.

Stages receive a ``Settings`` (or the part of it they need); nothing reads a
magic number from the middle of the code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

DEFAULT_DB = "storydesk.db"


def default_db() -> str:
    """The store to use: ``STORYDESK_DB`` if set, else ``./storydesk.db``."""
    return os.environ.get("STORYDESK_DB") or DEFAULT_DB


@dataclass
class FetchSettings:
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    total_timeout: float = 120.0  # one request, headers to last byte, ends within this
    max_bytes: int = 20_000_000  # a page or feed larger than this is refused
    max_redirects: int = 5
    per_host_delay: float = 1.0  # seconds between two requests to one host
    allow_private: bool = False  # refuse private/loopback/link-local addresses


@dataclass
class FollowSettings:
    """Following subscribed feeds (``storydesk watch``; docs/sources.md)."""

    every: float = 900.0  # default seconds between two polls of one feed (15 minutes)
    # A failing feed waits every x backoff_factor ** consecutive_failures, at most
    # max_backoff (or its own interval when that is longer); it is never dropped.
    backoff_factor: float = 2.0
    max_backoff: float = 6 * 3600.0
    max_retry_after: float = 24 * 3600.0  # a server's Retry-After is obeyed up to this
    workers: int = 4  # hosts polled at once; one host's feeds are polled one after another
    entry_tries: int = 3  # an entry that fails this many times is not tried again
    max_entries: int | None = None  # new entries taken per poll (None: all); rest next poll
    # An entry handled this many days ago that its feed no longer lists is forgotten (a
    # feed that lists it again costs one fetch; the article is then a duplicate).
    entry_keep_days: float = 30.0
    # A source due within this many seconds (and a tenth of its interval) is polled
    # in the round under way rather than in a round of its own a moment later.
    round_window: float = 5.0


@dataclass
class DedupSettings:
    # Word 3-gram shingles, MinHash with 64 permutations in 16 bands of 4 rows:
    # candidates are pairs sharing a band, which happens with probability
    # 0.5 at Jaccard ~0.5 and >0.95 above 0.7.
    shingle_words: int = 3
    num_perm: int = 64
    bands: int = 16
    # A stored article whose estimated Jaccard with a new one is at least this
    # is linked as ``duplicate_of``. Rewrites of one wire copy measured 0.35-0.9
    # on the bundled sample; unrelated articles on one event stay below 0.1.
    near_threshold: float = 0.3


@dataclass
class CleanSettings:
    max_file_bytes: int = 20_000_000
    # A short line seen in at least this many earlier articles of the same
    # outlet is page chrome (a footer, a share line) and is dropped.
    boilerplate_min_repeats: int = 3
    boilerplate_max_words: int = 20
    # Articles are read in chunks so that lines repeating within one batch are
    # recognised before the batch is stored.
    chunk_size: int = 500


@dataclass
class VectorSettings:
    """How text becomes a sparse vector."""

    # 2**21 hash buckets: fewer than one collision per thousand terms for a
    # vocabulary of 100k–1M terms, 8 MiB of document frequencies.
    n_features: int = 1 << 21
    # A token written with a capital inside a sentence (a name) counts this
    # many times more; so does every token of an entity given by the caller.
    entity_boost: float = 2.0
    # The same boost in an article of a language other than English (an unknown language
    # reads as English): on SemEval-2022 pairs a shared name there is weaker evidence of
    # one event (docs/stories.md, Settings).
    entity_boost_other: float = 1.25
    # Adjacent capitalised tokens also count as one phrase ("tara_reid").
    name_phrases: bool = True
    # Title tokens count this many times more than body tokens.
    title_boost: float = 2.0
    min_token_chars: int = 2
    # Tokens with a digit (years, tolls, magnitudes, dates) count this many times more:
    # they tell two events of one kind apart.
    number_boost: float = 3.0
    # Words other than names are stemmed in the article's language (Snowball).
    stem: bool = False
    # Names written in another script are transliterated (anyascii: "Путин" -> "putin"),
    # so that coverage of one event in two languages shares them.
    translit_names: bool = True


@dataclass
class StorySettings:
    """Every tunable number of story grouping (defaults measured, docs/stories.md)."""

    vector: VectorSettings = field(default_factory=VectorSettings)
    # Join when affinity >= join_ratio x cohesion of the story (shrunk, below).
    join_ratio: float = 0.5
    # A story's own cohesion counts as this many member pairs' worth of
    # evidence against the corpus-wide typical cohesion.
    prior_pairs: float = 3.0
    # Typical cohesion to start from, before any story has three members.
    cohesion_prior: float = 0.25
    # Stories of at least this many members define the typical cohesion.
    cohesion_min_members: int = 3
    # Affinity floor: nothing joins below this mean cosine, whatever the stream.
    min_affinity: float = 0.02
    # Language-aware bars (stories.language): a story's bar is never under
    # noise_ratio x the mean cosine of two articles of its language in this stream
    # (counted once the language has noise_min_articles articles; 0: off), capped at
    # noise_floor_max, while join_ratio x the typical cohesion is under that floor
    # (Scorer.lang_floor); across two languages the bar is cross_language_ratio x the
    # bar within one (1: no difference).
    noise_ratio: float = 13.0
    noise_floor_max: float = 0.15
    noise_min_articles: int = 30
    cross_language_ratio: float = 0.6
    # Split: a story of at most split_regroup_max members is regrouped bottom-up
    # under regroup_ratio x the parts' cohesion (below the merge bar:
    # hysteresis) and splits into the parts of split_min_part members or more;
    # failing that (or for larger stories), it splits in two when 2-means
    # halves' cross affinity is under split_ratio x their cohesion.
    split_ratio: float = 0.5
    regroup_ratio: float = 0.4
    # Two stories merge when their cross affinity reaches merge_ratio x their
    # cohesion (None: join_ratio).
    merge_ratio: float | None = None
    split_min_members: int = 4
    split_min_part: int = 2
    split_regroup_max: int = 200
    # Neighbourhoods (stories.graph): link each member to its nearest fellow
    # members (graph_share of the story, at least graph_neighbours); a story
    # whose graph has a cut of conductance under split_conductance splits there,
    # and two stories whose joint graph is cut that cleanly between them do not
    # merge. Stories over split_regroup_max members are not examined this way.
    split_conductance: float = 0.05
    graph_neighbours: int = 3
    graph_share: float = 0.2
    # A member whose leave-one-out ratio falls under this is taken out of its story.
    eject_ratio: float = 0.7
    # Candidates: the article's top terms, looked up in the index.
    query_terms: int = 16
    index_terms: int = 16  # a member's top terms put its story in the index
    posting_cap: int = 300  # most recent stories kept per term
    candidates: int = 24  # stories scored exactly
    # Dates: affinity x exp(-max(0, gap - grace) / scale); beyond max_gap: no join.
    date_grace_days: float = 2.0
    date_scale_days: float = 7.0
    date_max_gap_days: float = 45.0
    # Local consolidation after this many articles (0: only when called).
    consolidate_every: int = 200
    consolidate_rounds: int = 3
    why_terms: int = 6
    # Storing: articles placed per transaction; segments of saved features
    # kept before they are merged into one; key entities listed per story.
    place_batch: int = 500
    state_max_segments: int = 32
    key_entities: int = 8


@dataclass
class AbstractiveSettings:
    """Optional abstractive summaries from an OpenAI-compatible chat endpoint (Ollama,
    llama.cpp server, vLLM). Off by default: the extractive summariser stands alone."""

    enabled: bool = False
    # e.g. http://127.0.0.1:11434/v1 (Ollama); "/chat/completions" is added.
    base_url: str = field(default_factory=lambda: os.environ.get("STORYDESK_LLM_URL", ""))
    model: str = field(default_factory=lambda: os.environ.get("STORYDESK_LLM_MODEL", ""))
    api_key_env: str = "STORYDESK_LLM_API_KEY"  # the variable holding the key, if any
    timeout: float = 120.0
    temperature: float = 0.0
    max_tokens: int = 512
    max_input_words: int = 6000  # source text sent to the model, articles cut evenly
    # A generated sentence is supported when the source sentences linked to it hold at
    # least this share of its content words (stemmed) and every number it states.
    # 0.6: a paraphrase keeps most content words; an invented claim shares few.
    support_threshold: float = 0.6
    max_support_sentences: int = 2  # a generated sentence may fuse this many sources


# The summarisers' parameters (used by storydesk.summarize; defaults: docs/summaries.md)


@dataclass(frozen=True)
class SummaryParams:
    """Weights and limits of the article summariser (defaults: docs/summaries.md)."""

    position_weight: float = 1.5
    position_decay: float = 1.0
    # The position prior has its full weight while the summary takes at most this share
    # of the article's eligible sentences, and shrinks in proportion beyond (0: never).
    position_full_share: float = 0.15
    centrality_weight: float = 0.5
    title_weight: float = 0.5
    keyword_weight: float = 1.0
    graph_weight: float = 1.5  # PageRank over the sentences' cosine graph (TextRank-like)
    graph_damping: float = 0.85
    quote_penalty: float = 0.0  # measured: penalising quoted speech lowered ROUGE on BBC
    min_words: int = 6  # a shorter sentence is a fragment, a caption or a byline
    max_words: int = 80  # a longer one is a run-on list or a splitting accident
    max_redundancy: float = 0.6  # cosine above which a sentence repeats one already taken
    # Every sentence reads on its own (summarize.readability): no fragment or question,
    # and one that leans on the sentence before it only right after that sentence.
    read_alone: bool = True


@dataclass(frozen=True)
class RedundancyParams:
    """Containment thresholds of the repeat test (defaults measured on DUC 2004 and ECB+:
    docs/summaries.md)."""

    contain: float = 0.6  # contained at least this and agreeing: one fact, no judge asked
    ask: float = 0.2  # contained at least this: the fact judge decides (when given)
    # The judge's probability at which such a pair is one fact said twice: its own
    # decision threshold (as for MSRP and contradictions), not the comparison's looser
    # alignment cut (0.2), which took sentences of different facts for repeats.
    judge: float = 0.5
    # The story's event words: content stems in the opening of at least this share of
    # its articles (and of 3), weighted by how many. An opening is an article's first
    # eligible sentence, widened to its first two, ... up to ``event_lead``, while the
    # openings give fewer than ``event_words`` event words (outlets opening on a hook).
    # A sentence tells a taken one's event again when it shares at least ``event_min``
    # of them with it, holding ``event_share`` of the weight of its own
    # (redundancy.Repeats.retells); event_min 0 turns the test off. Chosen on DUC 2004
    # (docs/summaries.md).
    event_df: float = 0.5
    event_lead: int = 3
    event_words: int = 6
    event_min: int = 3
    event_share: float = 0.5
    # Outlets' openings tell one event: of the article openings a summary takes, the one
    # shown first stays and another that shares at least this many event words with it
    # gives its place to what else the articles say (coverage._one_opening; 0: off).
    event_openings: int = 1
    # ... and where the story has no event words (too few openings agree on any), another
    # opening that shares at least this many content terms with the first does (0: off).
    opening_terms: int = 3


@dataclass(frozen=True)
class CoverageParams:
    """Settings of the coverage summariser (defaults measured on DUC 2004: docs/summaries.md)."""

    # A concept is a bigram used by at least this many articles (by n - 1 in a story of
    # n <= min_df articles, and at least 2).
    min_df: int = 3
    # An article of which at least this share of sentences are another's, word for word
    # (one wire story carried by several outlets), adds nothing to how many use a concept
    # (coverage.copied_articles; 0: every article counts).
    copy_share: float = 0.8
    position_bonus: float = 1.0  # added weight per article using a concept in its lead
    lead_sentences: int = 3  # an article's lead: its first eligible sentences
    prior_weight: float = 0.01  # tie-breaker per unit: 1 / (1 + rank) of its first sentence
    # TF-IDF cosine at which two units state the same fact (provenance's word match)
    max_redundancy: float = 0.3
    # ... or the share of the smaller unit's concepts that the other also has
    max_overlap: float = 0.5
    length_exponent: float = 1.0  # greedy gain per words ** this (1: per word)
    min_words: int = 0  # shorter sentences are left out of the story summary
    words_per_sentence: int = 30  # word budget per sentence when a count is asked for
    quotes: bool = True  # False: sentences holding a quotation are left out
    pairs: bool = True  # a sentence that leans on its predecessor may bring it along
    require_lead: bool = True  # at least one article's opening sentence in the summary
    ilp: bool = False  # exact selection (scipy HiGHS); False: greedy
    ilp_time_limit: float = 1.0  # seconds; the greedy cover past it
    # one fact said twice in other words (containment, then the fact judge: redundancy.py)
    redundancy: RedundancyParams = RedundancyParams()


@dataclass(frozen=True)
class StoryParams:
    """Thresholds and weights of the story summariser (defaults: docs/summaries.md)."""

    fact_threshold: float = 0.3  # mean cosine at which sentences state the same fact
    coverage_weight: float = 1.0
    centrality_weight: float = 1.0
    position_weight: float = 0.5
    max_redundancy: float = 0.4
    # An article's sentence also counts as a source of a fact it was not clustered with
    # when its cosine with the fact's centroid is at least this.
    source_threshold: float = 0.3
    # Only article sentences at this TF-IDF cosine or more with a summary sentence are
    # shown to the fact judge for "reported by" (docs/summaries.md: what it costs).
    judge_min_cosine: float = 0.1
    # ... and only each article's that many closest (0: all of them)
    judge_per_article: int = 3
    sentence: SummaryParams = SummaryParams()  # which sentences may be used
    # How summarize_story chooses its sentences (concept coverage: coverage.py).
    coverage: CoverageParams = CoverageParams()


@dataclass
class SummarySettings:
    """Summaries: default lengths, the summarisers' weights (docs/summaries.md)."""

    sentences: int = 3  # an article's summary
    story_sentences: int = 5  # a story's summary
    # Characters of each article that summaries and comparisons read (the rest is left
    # out): twice the longest article of the labelled data (25,485 characters), so news
    # is read whole while one huge article cannot hold a request (docs/reliability.md).
    max_chars: int = 50_000
    article: SummaryParams = field(default_factory=SummaryParams)
    story: StoryParams = field(default_factory=StoryParams)
    abstractive: AbstractiveSettings = field(default_factory=AbstractiveSettings)


@dataclass
class CompareSettings:
    """Every tunable number of coverage comparison (defaults: docs/comparison.md)."""

    # Mean TF-IDF cosine at which sentences of two articles state one fact (the
    # summariser's fact clustering; 0.3 measured there on the bundled sample).
    fact_threshold: float = 0.3
    # How sentences are aligned into facts (compare/paraphrase.py, docs/comparison.md):
    # "judge" (the fact judge fitted on MSRP, compare/judge.py: probability of one fact,
    # cut at judge_threshold), "words" (TF-IDF cosine of stemmed words, cut at
    # fact_threshold), "paraphrase" (also canonical terms from data/paraphrases.tsv and
    # character n-grams; no model) or "minilm" (adds MiniLM sentence embeddings; needs the
    # transformers extra).
    alignment: str = "judge"
    # The fact judge: "default" (no model download), "minilm" (the transformers extra) or
    # a JSON file from bench/judge.py --fit; two sentences state one fact from this
    # probability (0.5: the threshold it was fitted and measured at).
    judge_model: str = "default"
    judge_threshold: float = 0.5
    # Facts are aligned (average linkage) from this mean probability: on ECB+ stories it
    # judges 7.5 per 1,000 sentence pairs of one event as one fact and 0.42 per 1,000 of
    # two events of one kind (bench/compare.py, docs/comparison.md); 0.5: 3.5 / 0.08.
    align_threshold: float = 0.2
    # Contradictions are reported with a confidence (the judge's probability that the two
    # sentences state one fact apart from the detail, times how sure the detail's reading
    # is); readers show those from this confidence and say how many they held back.
    min_confidence: float = 0.5
    paraphrase_threshold: float = 0.2
    paraphrase_term_weight: float = 0.8  # canonical-term cosine; the rest character n-grams
    minilm_weight: float = 0.5  # MiniLM cosine in the "minilm" mean
    minilm_threshold: float = 0.45
    # "about 40" stands for 40 +/- this share; "more than 150" for (150, inf).
    approx_tolerance: float = 0.1
    # A quote is the same quote in another article when this share of the shorter
    # one's content words occurs in the other (0.6 paired different quotes that name
    # the same people on ECB+); quotes shorter than min_quote_words are ignored.
    quote_match: float = 0.75
    min_quote_words: int = 3
    # Tone: mean VADER compound of an article's (or entity's) sentences beyond these.
    tone_positive: float = 0.05
    tone_negative: float = -0.05
    tone_sentences: int = 3  # sentences shown as carrying a tone
    main_entities: int = 6  # entities whose tone is reported per article
    framing_terms: int = 6  # themes / entities listed as one article's emphasis
    framing_min_count: int = 2  # a theme must occur this often in the article
    # Rewrites of one wire copy: estimated Jaccard of word 3-gram shingles (as dedup).
    rewrite_threshold: float = 0.3
    # Similarity profile model: "default" (no embeddings), "minilm" (adds MiniLM cosine,
    # needs the transformers extra, about 15 articles/s on 2 cores) or a JSON file;
    # None reads STORYDESK_SIMILARITY, else "default" (docs/comparison.md).
    similarity_model: str | None = None


@dataclass
class BatchSettings:
    """``storydesk batch`` (PySpark; docs/scale.md). Stories are grouped per block of
    ``block_days`` days, each block also taking the first ``overlap_days`` days of the
    next, so a story crossing a boundary is seen whole by one block and the two
    blocks' stories are joined through the articles they share. With the date
    discount of StorySettings (exp(-(gap - 2) / 7)), a gap of 7 days keeps 49% of
    the affinity and 14 days 18%: joins across more than a block are rare."""

    block_days: int = 14
    overlap_days: int = 7
    # ... and at least this many articles (consecutive days are added to a block until
    # it has them): the grouper's IDF and typical cohesion need a corpus of some size,
    # so a small input is one block and groups exactly as storydesk add.
    min_block_articles: int = 5000
    # Near-duplicate candidates sharing one LSH band are compared pairwise; a band
    # bucket larger than this compares each member with the previous ones only.
    max_bucket: int = 200
    # Articles per partition after reading (and so per shuffle partition, unless
    # --partitions says otherwise): one task per input file would otherwise hold a
    # whole file's articles (a 125,000-record file exhausted a 4 GB heap).
    partition_articles: int = 10_000


@dataclass
class WebSettings:
    """``storydesk serve``: what one request may cost (docs/reliability.md)."""

    # Largest request body the API reads (413 beyond): one article of the fetcher's
    # page cap (20 MB) with its fields, JSON escaping included. Read only after the
    # token is checked.
    max_body_bytes: int = 24_000_000
    # Characters of an article its page splits into sentences (to mark the sentences a
    # summary cites); the rest is shown as plain paragraphs. As summaries.max_chars.
    page_chars: int = 50_000


@dataclass
class Settings:
    fetch: FetchSettings = field(default_factory=FetchSettings)
    follow: FollowSettings = field(default_factory=FollowSettings)
    dedup: DedupSettings = field(default_factory=DedupSettings)
    clean: CleanSettings = field(default_factory=CleanSettings)
    summaries: SummarySettings = field(default_factory=SummarySettings)
    stories: StorySettings = field(default_factory=StorySettings)
    compare: CompareSettings = field(default_factory=CompareSettings)
    batch: BatchSettings = field(default_factory=BatchSettings)
    web: WebSettings = field(default_factory=WebSettings)
