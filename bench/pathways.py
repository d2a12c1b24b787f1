"""Pathway generation for N agents: time and queries.

    .venv/bin/python bench/pathways.py [--agents 6000]

Builds a throw-away SQLite database in a temporary folder, seeds the demo with N agents
(`seed_demo`: workforce, job requirements, evidence, diagnostic and Pix) and the demo
catalogue and goals (training.demo_catalogue, demo_goals), then times the generation of
every present agent's pathway (pathways.generate_for: read, plan, write, audit) and
counts its queries with connection.execute_wrapper (an executemany call counts as one).

Then, to show that the queries per batch do not depend on how many agents a batch
holds: the pathways are deleted and generated again with batches half as big, and a
third run regenerates with nothing new. The last line is machine-readable.
Target: under 30 s for 6,000 agents.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.mkdtemp(prefix="tremplin-bench-pathways-")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR}/bench.sqlite3"
os.environ["DJANGO_DEBUG"] = "0"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

TARGET_SECONDS = 30


class QueryCounter:
    """Counts the statements sent to the database, by kind (the first SQL word)."""

    def __init__(self):
        self.kinds = Counter()

    def __call__(self, execute, sql, params, many, context):
        self.kinds[sql.lstrip().split(None, 1)[0].upper()] += 1
        return execute(sql, params, many, context)

    @property
    def total(self) -> int:
        return sum(self.kinds.values())


def wipe_pathways() -> None:
    """Empties the pathway tables in two statements (the ORM would audit row by row)."""
    from tremplin.training.models import Pathway, PathwayStep

    with connection.cursor() as cursor:
        for model in (PathwayStep, Pathway):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608


def timed_generation(agent_ids, batch_size):
    """Seconds and queries of one generate_for; the queries split into those of the
    context (catalogue, requirements, goals: read once per run) and the others."""
    from tremplin.core import audit
    from tremplin.training import pathways

    context, batches = QueryCounter(), QueryCounter()
    started = time.perf_counter()
    with audit.acting_as(label="bench pathways"):
        with connection.execute_wrapper(context):
            ctx = pathways.Context()
        with connection.execute_wrapper(batches):
            report = pathways.generate_for(agent_ids, batch_size=batch_size, ctx=ctx)
    return time.perf_counter() - started, context, batches, report


def describe(label, seconds, context, counter, report, batches):
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(counter.kinds.items()))
    print(
        f"{label}: {seconds:.1f} s, {context.total + counter.total} queries: {context.total} "
        f"for the context, then {counter.total} in {batches} batches "
        f"({counter.total / batches:.1f} per batch; {kinds})"
    )
    print(
        f"  pathways created {report.pathways_created}, updated {report.pathways_updated}, "
        f"unchanged {report.pathways_unchanged}; steps added {report.steps_added}, removed "
        f"{report.steps_removed}, flagged {report.steps_flagged}, done {report.steps_done}; "
        f"agents never measured on a required competence {report.agents_unmeasured}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agents", type=int, default=6000)
    parser.add_argument("--batch-size", type=int, default=500)
    args = parser.parse_args()
    from tremplin.core import audit
    from tremplin.organisation.models import Agent
    from tremplin.training import demo_catalogue, demo_goals
    from tremplin.training.models import Module

    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("seed_demo", agents=args.agents, seed=1, verbosity=0)
        with audit.acting_as(label="bench pathways"):
            if not Module.objects.exists():  # seed_demo does not seed training (yet)
                demo_catalogue.seed(seed=1)
                demo_goals.seed(seed=1)
        wipe_pathways()
        print(f"seed_demo --agents {args.agents}: {time.perf_counter() - started:.1f} s")
        agent_ids = list(Agent.objects.present().order_by("pk").values_list("pk", flat=True))
        size = args.batch_size
        batches = -(-len(agent_ids) // size)

        seconds, context, counter, report = timed_generation(agent_ids, size)
        describe(f"first generation, batches of {size}", seconds, context, counter, report, batches)
        if report.unclosed:
            top = ", ".join(f"{c} ({n})" for c, _w, n in report.top_unclosed())
            print(f"  gaps no module closes (agents): {top}")

        again = timed_generation(agent_ids, size)
        describe("regeneration, nothing new", *again[:3], again[3], batches)

        wipe_pathways()
        half = max(size // 2, 1)
        half_batches = -(-len(agent_ids) // half)
        half_run = timed_generation(agent_ids, half)
        describe(f"first generation, batches of {half}", *half_run, half_batches)

        def reads(counter):
            return sum(
                v for k, v in counter.kinds.items() if k not in ("INSERT", "UPDATE", "DELETE")
            )

        print(
            f"reads per batch: {reads(counter) / batches:.1f} (batches of {size}) vs "
            f"{reads(half_run[2]) / half_batches:.1f} (batches of {half}). Writes are prepared "
            "statements run for every row and sent in chunks of 500 rows (core.bulk): their "
            "count follows the rows written, not the number of agents per batch."
        )
        if seconds > TARGET_SECONDS:
            print(f"ATTENTION: above target ({TARGET_SECONDS} s)")
        print(
            f"agents={len(agent_ids)} seconds={seconds:.1f} queries={context.total + counter.total}"
        )
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)


if __name__ == "__main__":
    main()
