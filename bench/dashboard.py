"""The direction's dashboard on a generated collectivité: p50/p95 of the page and its
query count, computed live and as served.

    .venv/bin/python bench/dashboard.py [--agents 6000] [--requests 30] [--evidence E]
                                        [--keep-db | --reuse-db]

Builds a throw-away database (a SQLite file in /tmp, or the PostgreSQL database named by
DATABASE_URL, created and dropped by the bench), fills it with `manage.py seed_demo
--agents N` (the apps' own bulk seeders: units, identities, evidence and profiles,
diagnostics and Pix, pathways, sessions and attendance, coaching, goals), times the
steering demo (12 month-end snapshots), then requests /pilotage/ --requests times with the
Django test client, signed in as the demo's direction user (whole collectivité), twice:
- live: every request computes the figures (TREMPLIN_DASHBOARD_MINUTES=0), what a view
  nobody opened in the last minutes costs;
- as served: `refresh_dashboard` (timed) computes the default views ahead, as cron does
  every ten minutes, then the page reads them back (steering/precomputed.py).
`--reuse-db` times a database kept by an earlier `--keep-db` run (migrated, not rebuilt).
`--evidence E` tops the observations up to E rows with older copies of the demo's own
(the same agents and competences, dated one to three years earlier, as a long history
of diagnostics and Pix imports would leave): profiles do not change, the table grows.
Targets (issue 10): 6,000 agents on SQLite under 300 ms; 100,000 agents and 1,000,000
evidence rows on PostgreSQL under 1 s. The last line is machine-readable: `p95_ms` is the
page as served, `live_p95_ms` the figures computed on the request.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import urllib.parse
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--agents", type=int, default=6000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--evidence", type=int, default=0)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--reuse-db", action="store_true")
    args = parser.parse_args()
    if args.reuse_db and not os.environ.get("DATABASE_URL"):
        raise SystemExit("--reuse-db : donnez la base gardée dans DATABASE_URL.")
    args.keep_db |= args.reuse_db

    url = os.environ.get("DATABASE_URL")
    postgres_name = None
    if url and url.startswith("postgres"):
        postgres_name = urllib.parse.unquote(urllib.parse.urlsplit(url).path.lstrip("/"))
        if postgres_name in {"tremplin", "tremplin_dev", "postgres", "template0", "template1"}:
            raise SystemExit(f"Base « {postgres_name} » refusée : donnez une base jetable.")
        import psycopg

        maintenance = urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/postgres"))
        if not args.reuse_db:
            with psycopg.connect(maintenance, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{postgres_name}"')
                conn.execute(f'CREATE DATABASE "{postgres_name}"')
    elif not args.reuse_db:
        path = Path(tempfile.gettempdir()) / f"bench_dashboard_{os.getpid()}.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Timed as served in production: DEBUG (which a checkout's .env turns on) slows
    # templates and keeps every query.
    os.environ["DJANGO_DEBUG"] = "0"
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.ALLOWED_HOSTS = ["*"]
    setup_test_environment()
    try:
        call_command("migrate", verbosity=0)
        from tremplin.accounts.models import User
        from tremplin.competences.models import Evidence
        from tremplin.organisation.models import Agent, OrgUnit

        if not args.reuse_db:
            _build(args, connection)
        evidence = Evidence.objects.count()
        agents = Agent.objects.count()  # what the database holds (--reuse-db: not --agents)

        client = Client()
        client.force_login(User.objects.get(username="direction"))
        minutes = settings.TREMPLIN_DASHBOARD_MINUTES
        settings.TREMPLIN_DASHBOARD_MINUTES = 0
        live, queries = _timings(client, args.requests, connection)
        print(f"live, queries per page: {queries}")
        _print("live", live)
        # A drill-down nobody opened lately: the largest direction, computed on the request.
        sizes = {
            unit: Agent.objects.filter(unit__path__startswith=unit.path).count()
            for unit in OrgUnit.objects.filter(depth=0)
        }
        largest = max(sizes, key=sizes.get)
        drill, _ = _timings(client, args.requests, connection, {"unit": largest.pk})
        _print(f"live, drill-down to the largest direction ({sizes[largest]} agents)", drill)

        settings.TREMPLIN_DASHBOARD_MINUTES = minutes
        t0 = time.perf_counter()
        call_command("refresh_dashboard", verbosity=0)
        refresh_s = time.perf_counter() - t0
        print(f"refresh_dashboard (every steering user's default view): {refresh_s:.1f} s")
        served, queries = _timings(client, args.requests, connection)
        print(f"as served, queries per page: {queries}")
        p95 = _print("as served", served)
        print(
            f"agents={agents} evidence={evidence} p95_ms={p95:.0f} "
            f"live_p95_ms={_p95(live):.0f} refresh_s={refresh_s:.1f}"
        )
    finally:
        if not args.keep_db:
            connection.close()
            if postgres_name:
                import psycopg

                with psycopg.connect(maintenance, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{postgres_name}"')
            else:
                Path(os.environ["DATABASE_URL"].removeprefix("sqlite:///")).unlink(missing_ok=True)


def _build(args, connection) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from tremplin.competences.models import Evidence
    from tremplin.steering import demo

    t0 = time.perf_counter()
    call_command("seed_demo", agents=args.agents, verbosity=0)
    print(f"seed_demo --agents {args.agents}: {time.perf_counter() - t0:.0f} s (steering included)")
    t0 = time.perf_counter()
    demo.seed(today=timezone.localdate())
    print(f"steering demo (13 snapshot dates): {time.perf_counter() - t0:.1f} s")
    evidence = Evidence.objects.count()
    if args.evidence > evidence:
        t0 = time.perf_counter()
        _older_evidence(Evidence, args.evidence - evidence)
        print(f"older observations added: {time.perf_counter() - t0:.0f} s")
    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk load: without statistics the planner
        # guesses a thousand rows where there are a hundred thousand.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _timings(client, requests: int, connection, query=None) -> tuple[list[float], int]:
    """Sorted milliseconds of `requests` pages, after an untimed one that warms imports
    and an untimed one that counts the queries (capturing slows every query)."""
    from django.test.utils import CaptureQueriesContext

    assert client.get("/pilotage/", query).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get("/pilotage/", query)
    queries = len(captured)  # now: the next request empties the log it reads
    timings = []
    for _ in range(requests):
        t0 = time.perf_counter()
        response = client.get("/pilotage/", query)
        timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.status_code
    return sorted(timings), queries


def _p95(timings: list[float]) -> float:
    return timings[max(0, round(0.95 * len(timings)) - 1)]


def _print(label: str, timings: list[float]) -> float:
    p95 = _p95(timings)
    print(
        f"{label}: {len(timings)} requests, p50_ms={statistics.median(timings):.0f} "
        f"p95_ms={p95:.0f} max_ms={timings[-1]:.0f}"
    )
    return p95


def _older_evidence(model, wanted: int) -> int:
    """Inserts `wanted` copies of existing observations, each dated 1 to 3 years before
    its original; returns how many."""
    import datetime as dt
    import itertools

    from tremplin.core.bulk import insert_rows

    fields = [
        "agent", "competence", "source", "level", "sd", "observed_on", "recorded_at",
        "origin_id", "origin_label", "note",
    ]  # fmt: skip
    originals = list(
        model.objects.values_list(
            "agent_id", "competence_id", "source", "level", "sd", "observed_on", "recorded_at"
        )
    )
    rows = []
    for n, row in zip(range(wanted), itertools.cycle(originals), strict=False):
        years_back = 1 + n // len(originals) % 3
        *head, observed_on, recorded_at = row
        shift = dt.timedelta(days=365 * years_back)
        rows.append((*head, observed_on - shift, recorded_at - shift, "", "historique", ""))
    insert_rows(model, fields, rows)
    return len(rows)


if __name__ == "__main__":
    main()
