"""Import of a Pix Orga profiles-collection export of N participants: time and memory.

    .venv/bin/python bench/pix_import.py [--participants 6000]

Builds a throw-away SQLite database in a temporary folder, seeds the demo with as many
agents (`seed_demo`), writes an export as Pix Orga does (UTF-8 BOM, `;`, quoted text,
a `Matricule` external id, 16 competences, 5 % of rows not shared, a few people on two
rows), then times the wet import (parse, match, write participations, evidence and
profiles, audit) and, on a second campaign with the same rows, its peak memory (tracemalloc,
Python allocations). The last line
is machine-readable. Target: under 10 s and 300 MB.
"""

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.mkdtemp(prefix="tremplin-bench-pix-")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR}/bench.sqlite3"
os.environ["DJANGO_DEBUG"] = "0"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

TARGET_SECONDS = 10
TARGET_MB = 300


def export_bytes(participants: int, rng: random.Random) -> bytes:
    """The export, written by the same writer as the demo's (diagnostic.demo)."""
    import datetime as dt

    from tremplin.competences.models import Competence
    from tremplin.diagnostic.demo import profiles_export
    from tremplin.organisation.models import Agent

    competences = list(Competence.objects.crcn().order_by("code"))
    agents = list(Agent.objects.present().values_list("last_name", "first_name", "matricule"))
    rows = []
    for i in range(participants):
        last, first, matricule = agents[i] if i < len(agents) else rng.choice(agents)
        if rng.random() < 0.05:
            rows.append((last, first, matricule, None, []))
        else:
            pix = [max(0, int(rng.gauss(14, 10))) for _ in competences]
            rows.append((last, first, matricule, dt.date(2025, 3, rng.randint(1, 28)), pix))
    return profiles_export("BENCH6000", "Profils des agents", rows, competences)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=6000)
    args = parser.parse_args()
    from tremplin.core import audit
    from tremplin.diagnostic import pix_import

    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("seed_demo", agents=args.participants, seed=1, verbosity=0)
        print(f"seed_demo --agents {args.participants}: {time.perf_counter() - started:.1f} s")
        data = export_bytes(args.participants, random.Random(1))
        print(f"export: {len(data) / 1024 / 1024:.1f} MB")

        phases = {}
        service = pix_import.record_evidence_bulk

        def timed_service(items, **kwargs):
            begun = time.perf_counter()
            try:
                return service(items, **kwargs)
            finally:
                phases["evidence service"] = time.perf_counter() - begun

        pix_import.record_evidence_bulk = timed_service
        load = os.getloadavg()[0]
        started, cpu_started = time.perf_counter(), time.process_time()
        with audit.acting_as(label="bench pix_import"):
            plan = pix_import.parse(data, "bench.csv")
            phases["read and check"] = time.perf_counter() - started
            pix_import.preview(plan)
            phases["match and preview"] = time.perf_counter() - started - phases["read and check"]
            if not plan.ok:
                raise SystemExit("\n".join(str(e) for e in plan.errors[:10]))
            result = pix_import.apply(plan)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        pix_import.record_evidence_bulk = service
        phases["apply without the evidence service"] = (
            seconds
            - phases["read and check"]
            - phases["match and preview"]
            - phases["evidence service"]
        )
        for phase, value in phases.items():
            print(f"  {phase}: {value:.1f} s")
        # Elapsed well above CPU: the import waited for a processor busy with other work.
        print(f"import: {seconds:.1f} s elapsed, {cpu_seconds:.1f} s CPU, load average {load:.1f}")
        print("preview: " + ", ".join(f"{k}={v}" for k, v in plan.counts.items()))
        print("written: " + ", ".join(f"{k}={v}" for k, v in result.items()))

        started = time.perf_counter()
        with audit.acting_as(label="bench pix_import"):
            _plan, again = pix_import.import_file(data, filename="bench.csv", wet=True)
        print(f"re-import: {time.perf_counter() - started:.1f} s, wrote {again}")

        # tracemalloc slows Python down several times: memory is measured on a second
        # campaign (same rows, another code), which does the same work.
        other = data.replace(b'"BENCH6000"', b'"BENCH6001"')
        tracemalloc.start()
        with audit.acting_as(label="bench pix_import"):
            pix_import.import_file(other, filename="bench2.csv", wet=True)
        peak_mb = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
        if seconds > TARGET_SECONDS or peak_mb > TARGET_MB:
            print(f"ATTENTION: above target ({TARGET_SECONDS} s, {TARGET_MB} MB)")
        print(f"participants={args.participants} seconds={seconds:.1f} peak_mb={peak_mb:.0f}")
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)


if __name__ == "__main__":
    main()
