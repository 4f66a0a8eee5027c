"""``storydesk batch``: the pipeline on Apache Spark for archives too large for one
process (docs/scale.md). Needs the ``spark`` extra (pyspark) and Java 17.

    from storydesk.batch import run_batch
    report = run_batch(["archive/"], "out/", master="local[2]")
    print(report.summary_line())
"""

from storydesk.batch.job import TABLES, BatchReport, run_batch, session

__all__ = ["TABLES", "BatchReport", "run_batch", "session"]
