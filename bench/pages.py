"""Agent list and agent page under a full demo workforce: response times and queries.

    .venv/bin/python bench/pages.py [--agents 6000] [--requests 200]

Builds a throw-away SQLite database in a temporary folder, seeds 200 agents and
counts the queries of each page, then reseeds N agents, counts again (the counts
must not grow with the workforce: no N+1) and times each page `--requests` times,
signed in as the HR user. Runs with DEBUG off, as in production. The last line is
machine-readable.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.mkdtemp(prefix="tremplin-bench-pages-")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR}/bench.sqlite3"
os.environ["DJANGO_DEBUG"] = "0"  # production-like: no query log, no debug toolbar of any kind

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

SMALL = 200
TARGET_P95_MS = 150


def pages(rng: random.Random) -> dict[str, object]:
    """Page label -> URL, or a function giving a fresh URL per request."""
    from tremplin.organisation.models import Agent

    pks = list(Agent.objects.values_list("pk", flat=True))
    return {
        "liste /agents/": "/agents/",
        "liste page 50": "/agents/?page=50",
        "liste filtrée": "/agents/?q=mar&category=C&identity=none",
        "fiche /agents/<pk>/": lambda: f"/agents/{rng.choice(pks)}/",
    }


def signed_in_client() -> Client:
    from tremplin.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="rh"))
    return client


def get(client: Client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return response


def query_counts(rng: random.Random) -> dict[str, int]:
    client = signed_in_client()
    counts = {}
    for label, url in pages(rng).items():
        make_url = url if callable(url) else (lambda u=url: u)
        get(client, make_url())  # warm caches (templates, session, branding)
        with CaptureQueriesContext(connection) as queries:
            get(client, make_url())
        counts[label] = len(queries)
    return counts


def seed(agents: int, reset: bool) -> float:
    started = time.perf_counter()
    call_command("seed_demo", agents=agents, seed=1, reset=reset, verbosity=0)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agents", type=int, default=6000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    # Static files are not collected in a throw-away run; serve their names as they are.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    rng = random.Random(1)

    call_command("migrate", verbosity=0)
    seed(SMALL, reset=False)
    small_counts = query_counts(rng)
    seed_seconds = seed(args.agents, reset=True)
    print(f"seed_demo --agents {args.agents}: {seed_seconds:.1f} s")
    full_counts = query_counts(rng)

    client = signed_in_client()
    timings: dict[str, list[float]] = {}
    for label, url in pages(rng).items():
        make_url = url if callable(url) else (lambda u=url: u)
        get(client, make_url())
        samples = []
        for _ in range(args.requests):
            target = make_url()
            started = time.perf_counter()
            get(client, target)
            samples.append((time.perf_counter() - started) * 1000)
        timings[label] = samples

    print(
        f"{'page':<22}{'p50 ms':>8}{'p95 ms':>8}{f'req. @{SMALL}':>11}{f'req. @{args.agents}':>12}"
    )
    p95 = {}
    for label, samples in timings.items():
        p50 = statistics.median(samples)
        p95[label] = statistics.quantiles(samples, n=100)[94]
        print(
            f"{label:<22}{p50:>8.1f}{p95[label]:>8.1f}{small_counts[label]:>11}"
            f"{full_counts[label]:>12}"
        )
    growing = [label for label in full_counts if full_counts[label] != small_counts[label]]
    if growing:
        print("ATTENTION: query count grows with the workforce on: " + ", ".join(growing))
    slow = [label for label, value in p95.items() if value > TARGET_P95_MS]
    if slow:
        print(f"ATTENTION: p95 above {TARGET_P95_MS} ms on: " + ", ".join(slow))
    list_p95 = max(value for label, value in p95.items() if label.startswith("liste"))
    print(
        f"agents={args.agents} list_p95_ms={list_p95:.1f} "
        f"detail_p95_ms={p95['fiche /agents/<pk>/']:.1f} "
        f"list_queries={full_counts['liste /agents/']}"
    )


if __name__ == "__main__":
    try:
        main()
    finally:
        connection.close()
        shutil.rmtree(WORKDIR, ignore_errors=True)
