"""The Spark job of ``storydesk batch`` (design and figures: docs/scale.md).

    read (one task per input file) -> boilerplate line counts (shuffle)
    -> extract (mapPartitions: build_article, fingerprints, MinHash)
    -> exact duplicates (shuffle by text hash and by canonical URL)
    -> near duplicates (shuffle by LSH band key) -> time blocks (shuffle by block)
    -> OnlineGrouper per block -> stories joined across block overlaps (union-find
       on the driver over the shared articles' labels) -> per story (shuffle by story):
       story row + summary -> Parquet.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import add
from typing import Any
from urllib.parse import urlsplit

from storydesk.batch import tasks
from storydesk.models import Article, Failure
from storydesk.settings import Settings
from storydesk.stories.records import day_number

TABLES = ("articles", "stories", "summaries", "duplicates", "failures")


@dataclass
class BatchReport:
    documents: int = 0
    articles: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    stories: int = 0
    blocks: int = 0
    failures: list[Failure] = field(default_factory=list)
    failure_count: int = 0
    seconds: float = 0.0

    def summary_line(self) -> str:
        return (f"{self.articles} articles in {self.stories} stories "
                f"({self.documents} documents, {self.exact_duplicates} exact and "
                f"{self.near_duplicates} near duplicates dropped, {self.failure_count} failed) "
                f"in {self.seconds:.1f} s")


def is_hadoop_url(item: str) -> bool:
    """s3a://, hdfs://, gs://, file://...: read through Spark's Hadoop file systems."""
    scheme = urlsplit(item).scheme.lower()
    return len(scheme) > 1 and scheme not in ("http", "https") and "://" in item


def session(master: str = "local[*]", conf: dict[str, str] | None = None) -> Any:
    """A SparkSession whose Python workers run this interpreter (this environment's
    storydesk). Raises ImportError without pyspark."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    b = (SparkSession.builder.master(master).appName("storydesk-batch")
         .config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.session.timeZone", "UTC"))
    for k, v in (conf or {}).items():
        b = b.config(k, v)
    spark = b.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _hadoop_files(spark: Any, url: str) -> list[str] | str:
    """The readable files under a Hadoop URL (a file, a folder or a glob), sorted; or a
    one-line reason."""
    from storydesk.sources.files import is_supported

    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    try:
        path = jvm.org.apache.hadoop.fs.Path(url)
        fs = path.getFileSystem(conf)
        statuses = fs.globStatus(path)
    except Exception as e:  # py4j wraps the Java exception
        text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        return f"cannot list ({text[:160]})"
    if not statuses:
        return "no such file or folder"
    found = []
    for st in statuses:
        if st.isDirectory():
            it = fs.listFiles(st.getPath(), True)
            while it.hasNext():
                p = it.next().getPath()
                if not p.getName().startswith((".", "_")) and is_supported(p.getName()):
                    found.append(p.toString())
        else:
            found.append(st.getPath().toString())
    return sorted(found) or "folder has no readable files"


def _schemas() -> dict[str, Any]:
    from pyspark.sql.types import (
        ArrayType,
        DoubleType,
        IntegerType,
        LongType,
        StringType,
        StructField,
        StructType,
    )

    def s(name: str, t: Any, null: bool = True) -> StructField:
        return StructField(name, t, null)

    strs = ArrayType(StringType())
    return {
        "articles": StructType([
            s("article_id", LongType(), False), s("story_id", LongType()),
            s("origin", StringType()), s("url", StringType()), s("title", StringType()),
            s("text", StringType()), s("outlet", StringType()), s("date", StringType()),
            s("date_source", StringType()), s("author", StringType()),
            s("language", StringType()), s("word_count", IntegerType()), s("cited", strs),
            s("entities", ArrayType(StructType([s("name", StringType()),
                                                s("type", StringType()),
                                                s("count", IntegerType())]))),
            s("extra", StringType()), s("url_key", StringType()), s("text_hash", StringType()),
            s("duplicate_of", LongType()), s("duplicate_share", DoubleType()),
            s("why", StringType()),
        ]),
        "stories": StructType([
            s("story_id", LongType(), False), s("title", StringType()),
            s("article_count", IntegerType()), s("article_ids", ArrayType(LongType())),
            s("outlets", strs), s("first_date", StringType()), s("last_date", StringType()),
            s("entities", ArrayType(StructType([s("name", StringType()),
                                                s("type", StringType()),
                                                s("articles", IntegerType())]))),
            s("blocks", IntegerType()),
        ]),
        "summaries": StructType([
            s("story_id", LongType(), False), s("position", IntegerType()),
            s("text", StringType()), s("outlets", IntegerType()),
            s("sources", ArrayType(StructType([s("article_id", LongType()),
                                               s("sentence", IntegerType())]))),
            s("mode", StringType()),
        ]),
        "duplicates": StructType([
            s("article_id", LongType(), False), s("origin", StringType()),
            s("duplicate_of", LongType()), s("kind", StringType()),
            s("share", DoubleType()),
        ]),
        "failures": StructType([s("origin", StringType()), s("reason", StringType())]),
    }


def _article_row(a: Article, story_id: int | None, ext: dict[str, Any],
                 why: dict[str, Any] | None) -> tuple:
    return (a.id, story_id, a.origin, a.url, a.title, a.text, a.outlet, a.date, a.date_source,
            a.author, a.language, a.word_count, list(a.cited),
            [(e.name, e.type, int(e.count)) for e in a.entities],
            json.dumps(a.extra, default=str, ensure_ascii=False), ext["url_key"],
            ext["text_hash"], a.duplicate_of, a.duplicate_share,
            json.dumps(why, default=str, ensure_ascii=False) if why is not None else None)


def _story_and_summary(story_id: int, members: Iterable[tuple[Article, dict[str, Any]]],
                       settings: Settings) -> tuple[tuple, list[tuple]]:
    from storydesk.stories.keeper import StoryKeeper, is_headline

    pairs = sorted(members, key=lambda m: m[0].id)
    arts = [a for a, _ in pairs]
    ids = {a.id for a in arts}
    # the largest block's representative, a real headline before a lead cut with "…"
    reps = [(is_headline(a.title), p["rep_size"], -a.id, a) for a, p in pairs if p["rep_size"]]
    title = max(reps, key=lambda r: r[:3])[3].title if reps else arts[0].title
    if not is_headline(title):
        title = next((a.title for a in arts if is_headline(a.title)), title)
    dups = [a.duplicate_of is not None and a.duplicate_of in ids for a in arts]
    st = StoryKeeper(None, settings.stories)._story(story_id, title, arts, dups)
    blocks = len({b for _, p in pairs for b in p["blocks"]})
    row = (st.id, st.title, len(st.article_ids), st.article_ids, st.outlets, st.first_date,
           st.last_date, [(e["name"], e["type"], int(e["articles"])) for e in st.entities],
           blocks)
    summ = tasks.summarize_members(story_id, arts, settings)
    sents = [(story_id, i, s["text"], s["outlets"],
              [(x["article_id"], x["sentence"]) for x in s["sources"]], summ["mode"])
             for i, s in enumerate(summ["sentences"])]
    return row, sents


def _placement(places: Iterable[dict[str, Any]], roots: dict[str, str]) -> dict[str, Any]:
    """One article's story from its placements in one or two blocks."""
    ps = sorted(places, key=lambda p: p["block"])
    home = ps[-1]
    label = home["label"]
    return {"root": roots.get(label, label), "why": home["why"],
            "rep_size": max((p["size"] for p in ps if p["rep"]), default=0),
            "blocks": [p["block"] for p in ps]}


@dataclass
class _Job:
    """One run's Spark handles, settings and report, handed from step to step. Steps
    copy what their Spark functions need into locals: a closure holding this object
    would try to ship the SparkContext to the workers."""

    spark: Any
    sc: Any
    st: Settings
    parts: int
    disk: Any
    report: BatchReport
    say: Callable[[str], None]


def run_batch(
    inputs: list[str],
    out: str,
    *,
    spark: Any = None,
    master: str = "local[*]",
    settings: Settings | None = None,
    partitions: int | None = None,
    keep_near: bool = False,
    log: Callable[[str], None] | None = None,
) -> BatchReport:
    """Run the pipeline on Spark and write Parquet tables under ``out`` (a local path or
    a Hadoop URL): ``articles``, ``stories``, ``summaries``, ``duplicates``,
    ``failures`` (columns: docs/scale.md). Bad inputs are reported, not raised."""
    from pyspark import StorageLevel

    t0 = time.perf_counter()
    tell = log or (lambda _m: None)

    def say(msg: str) -> None:
        tell(f"[{time.perf_counter() - t0:6.1f} s] {msg}")

    spark = spark or session(master)
    sc = spark.sparkContext
    parts = partitions or max(2, sc.defaultParallelism * 2)
    spark.conf.set("spark.sql.shuffle.partitions", str(parts))
    # persisted to local disk only: with the blocks cached in the JVM heap a 4 GB heap ran
    # out at 1M articles; the OS page cache keeps recently used blocks in memory anyway
    job = _Job(spark, sc, settings or Settings(), parts, StorageLevel.DISK_ONLY, BatchReport(),
               say)
    raw = _read(job, inputs)
    docs = _spread(job, raw, fixed=bool(partitions))
    ext, arts = _extract(job, docs)
    exact, marked, chosen = _deduplicate(job, arts, keep_near)
    placed, final, edges = _group(job, chosen)
    say(f"{job.report.blocks} time blocks grouped, {len(edges)} stories joined across blocks")
    made = _write(job, out.rstrip("/"), final=final, arts=arts, exact=exact, marked=marked,
                  raw=raw, ext=ext)
    report = job.report
    report.exact_duplicates = exact.count()
    report.near_duplicates = 0 if keep_near else marked.filter(
        lambda kv: kv[1]["article"].duplicate_of is not None).count()
    report.articles = final.count()
    report.stories = made.count()
    failed = spark.read.parquet(f"{out.rstrip('/')}/failures")
    report.failure_count = failed.count()
    report.failures = [Failure(r["origin"], r["reason"]) for r in failed.limit(1000).collect()]
    for rdd in (raw, ext, exact, marked, placed, final, made):
        rdd.unpersist()
    report.seconds = time.perf_counter() - t0
    return report


def _read(job: _Job, inputs: list[str]) -> Any:
    """1. inputs: local files and web URLs as storydesk add plans them; Hadoop URLs
    listed. Read once, to disk: documents and failures."""
    from storydesk.sources import plan

    sc, st, parts = job.sc, job.st, job.parts
    local: list[tuple[int, str]] = []
    remote: dict[str, int] = {}
    early: list[Failure] = []
    index = 0
    for item in inputs:
        if is_hadoop_url(item):
            found = _hadoop_files(job.spark, item)
            if isinstance(found, str):
                early.append(Failure(item, found))
                continue
            for f in found:
                remote[f] = index
                index += 1
        else:
            for unit in plan([item]):
                local.append((index, unit))
                index += 1
    rdds = []
    if local:
        rdds.append(sc.parallelize(local, max(1, min(len(local), parts * 4)))
                    .flatMap(lambda iu: tasks.read_unit(iu[0], iu[1], st)))
    if remote:
        urls = ",".join(sorted(remote))
        by_path = {urlsplit(u).path: i for u, i in remote.items()}

        def number(url: str) -> int:  # the listing's number of a file binaryFiles gives
            return remote[url] if url in remote else by_path[urlsplit(url).path]

        rdds.append(sc.binaryFiles(urls, max(1, min(len(remote), parts * 4)))
                    .flatMap(lambda pd: tasks.read_bytes(number(pd[0]), pd[0], pd[1], st)))
    if early:
        rdds.append(sc.parallelize(early, 1))
    return (sc.union(rdds) if rdds else sc.emptyRDD()).persist(job.disk)


def _spread(job: _Job, raw: Any, *, fixed: bool) -> Any:
    """The documents spread over partitions of at most ``partition_articles`` documents
    (a task per input file would hold a whole file's articles); ``fixed``: the number
    of partitions was given."""
    n_raw = raw.count()
    if not fixed:
        job.parts = max(job.parts, -(-n_raw // max(1, job.st.batch.partition_articles)))
        job.spark.conf.set("spark.sql.shuffle.partitions", str(job.parts))
    spread = raw.repartition(job.parts) if raw.getNumPartitions() != job.parts else raw
    return spread.filter(lambda x: not isinstance(x, Failure))


def _extract(job: _Job, docs: Any) -> tuple[Any, Any]:
    """2. page chrome: short lines repeated in enough articles of one outlet or folder;
    3. extract, in parallel, with the code of storydesk add. Returns (every result,
    the articles)."""
    st, parts = job.st, job.parts
    min_rep = st.clean.boilerplate_min_repeats
    repeated = (docs.flatMap(lambda d: tasks.document_line_keys(d[1], st))
                .map(lambda k: (k, 1)).reduceByKey(add, parts)
                .filter(lambda kv: kv[1] >= min_rep).collectAsMap())
    rep_b = job.sc.broadcast(repeated)
    ext = docs.mapPartitions(lambda it: tasks.extract_partition(it, st, rep_b.value)
                             ).persist(job.disk)
    job.report.documents = docs.count()
    job.say(f"read {job.report.documents} documents")
    return ext, ext.filter(lambda x: not isinstance(x, Failure))


def _exact_keys(r: dict[str, Any]) -> list[tuple[tuple[str, str], tuple[int, bytes | None]]]:
    aid = r["article"].id
    out = [(("hash", r["text_hash"]), (aid, None))]
    return out + ([(("url", r["url_key"]), (aid, r["signature"]))] if r["url_key"] else [])


def _later(kv: tuple[tuple[str, str], Iterable[tuple[int, bytes | None]]], threshold: float
           ) -> list[tuple[int, int | None]]:
    """(later id, first id) for each later article of one text hash or canonical URL.
    One URL is one article only when the texts agree, as in ``Ingestor``: a later text
    at the URL that is not a near copy of the first's is another article, (id, None),
    whose URL key goes."""
    from storydesk.dedup import NearDupIndex

    (kind, _key), items = kv
    (first, first_sig), *rest = sorted(items)
    if kind == "hash":
        return [(i, first) for i, _ in rest]
    a = NearDupIndex.from_bytes(first_sig)
    return [(i, first if NearDupIndex.similarity(NearDupIndex.from_bytes(s), a) >= threshold
             else None) for i, s in rest]


def _drop_url_keys(rows: Iterable[tuple[int, dict[str, Any]]], ids: set[int]
                   ) -> Iterable[tuple[int, dict[str, Any]]]:
    for aid, r in rows:
        yield aid, (r | {"url_key": None} if aid in ids else r)


def _mark(v: tuple) -> dict[str, Any]:
    r, hit = v
    if hit is not None:
        r["article"].duplicate_of, r["article"].duplicate_share = hit
    return r


def _deduplicate(job: _Job, arts: Any, keep_near: bool) -> tuple[Any, Any, Any]:
    """4. exact duplicates: the first (in input order) of each text hash and canonical
    URL; 5. near duplicates: MinHash band buckets, each compared within itself.
    Returns (exact: later id -> first id, the kept articles marked with their near
    copy, those chosen for stories)."""
    st, parts, disk = job.st, job.parts, job.disk
    thr = st.dedup.near_threshold
    later = (arts.flatMap(_exact_keys).groupByKey(parts)
             .flatMap(lambda kv: _later(kv, thr)))
    exact = later.filter(lambda kv: kv[1] is not None).reduceByKey(min, parts).persist(disk)
    other_text = job.sc.broadcast(set(later.filter(lambda kv: kv[1] is None).keys().collect()))
    kept = (arts.keyBy(lambda r: r["article"].id).subtractByKey(exact, parts)
            .mapPartitions(lambda it: _drop_url_keys(it, other_text.value)))
    near = (kept.flatMap(lambda kv: [(b, (kv[0], kv[1]["signature"])) for b in kv[1]["bands"]])
            .groupByKey(parts).flatMap(lambda kv: tasks.near_pairs(kv[1], st))
            .reduceByKey(max, parts).mapValues(lambda v: (-v[1], round(v[0], 3))))
    marked = kept.leftOuterJoin(near, parts).mapValues(_mark).persist(disk)
    if keep_near:
        return exact, marked, marked
    return exact, marked, marked.filter(lambda kv: kv[1]["article"].duplicate_of is None)


def _group(job: _Job, chosen: Any) -> tuple[Any, Any, list[tuple[str, str]]]:
    """6. stories: the online grouper per time block, blocks overlapping, stories of two
    blocks joined. Returns (the placements per block, (story, (ext row, placement)) per
    article, the joins)."""
    sc, st, parts, disk = job.sc, job.st, job.parts, job.disk
    days = (chosen.map(lambda kv: day_number(kv[1]["article"].date)).filter(lambda d: d is not None)
            .countByValue())
    starts_b = sc.broadcast(tasks.block_starts(dict(days), st))

    def block_rows(kv: tuple) -> list[tuple[int, dict[str, Any]]]:
        a = kv[1]["article"]
        row = {"id": a.id, "text": a.text, "title": a.title, "date": a.date,
               "entities": [e.name for e in a.entities], "duplicate_of": a.duplicate_of,
               "language": a.language}
        return [(b, row) for b in tasks.blocks_of(a.date, starts_b.value, st)]

    blocks = chosen.flatMap(block_rows).groupByKey(parts)
    placed = blocks.flatMap(lambda kv: tasks.group_block(kv[0], kv[1], st)).persist(disk)
    job.report.blocks = placed.map(lambda kv: kv[1]["block"]).distinct().count()
    # two blocks' stories are one when most of the articles they share with either are
    # in the other (one article grouped differently by the two blocks joins nothing)
    shared = (placed.mapValues(lambda p: [p["label"]]).reduceByKey(add, parts)
              .filter(lambda kv: len(kv[1]) > 1).map(lambda kv: (tuple(sorted(kv[1])), 1))
              .reduceByKey(add, parts).collect())
    edges = tasks.join_labels(shared)
    uf = tasks.UnionFind()
    for a, b in edges:
        uf.union(a, b)
    roots_b = sc.broadcast({x: uf.find(x) for x in list(uf.parent)})
    where = placed.groupByKey(parts).mapValues(lambda ps: _placement(ps, roots_b.value))
    joined = chosen.join(where, parts)  # (id, (ext row, placement))
    story_ids = joined.map(lambda kv: (kv[1][1]["root"], kv[0])).reduceByKey(min, parts)
    final = (joined.map(lambda kv: (kv[1][1]["root"], kv[1])).join(story_ids, parts)
             .map(lambda kv: (kv[1][1], kv[1][0])).persist(disk))  # (story, (ext, placement))
    return placed, final, edges


def _write(job: _Job, out: str, *, final: Any, arts: Any, exact: Any, marked: Any, raw: Any,
           ext: Any) -> Any:
    """7. write the Parquet tables; returns the (story row, summary rows) per story."""
    st, parts = job.st, job.parts
    schemas = _schemas()

    def write(name: str, rdd: Any) -> None:
        job.spark.createDataFrame(rdd, schemas[name]).write.mode("overwrite").parquet(
            f"{out}/{name}")

    write("articles", final.map(lambda kv: _article_row(kv[1][0]["article"], kv[0], kv[1][0],
                                                        kv[1][1]["why"])))
    made = (final.map(lambda kv: (kv[0], (kv[1][0]["article"], kv[1][1]))).groupByKey(parts)
            .map(lambda kv: _story_and_summary(kv[0], kv[1], st)).persist(job.disk))
    job.say("articles written")
    write("stories", made.map(lambda x: x[0]))
    write("summaries", made.flatMap(lambda x: x[1]))
    job.say("stories and summaries written")
    origin_of = arts.map(lambda r: (r["article"].id, r["article"].origin))
    dups = (exact.mapValues(lambda f: (f, "exact", 1.0))
            .union(marked.filter(lambda kv: kv[1]["article"].duplicate_of is not None)
                   .mapValues(lambda r: (r["article"].duplicate_of, "near",
                                         r["article"].duplicate_share)))
            .join(origin_of, parts)
            .map(lambda kv: (kv[0], kv[1][1], kv[1][0][0], kv[1][0][1], kv[1][0][2])))
    write("duplicates", dups)
    fails = raw.filter(lambda x: isinstance(x, Failure)).union(
        ext.filter(lambda x: isinstance(x, Failure))).map(lambda f: (f.origin, f.reason))
    write("failures", fails)
    return made
