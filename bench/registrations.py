"""Concurrent registrations through the real server: seats are never exceeded.

    .venv/bin/python bench/registrations.py [--requests 200] [--seats 20] [--workers 3]
        [--threads 1] [--clients 20] [--keep-db]

Needs PostgreSQL (SQLite serialises every writer, so it proves nothing here):
`DATABASE_URL` when set, else postgres://postgres@127.0.0.1:5432/tremplin_bench. The
database is created when missing and migrated; one the bench created is dropped at the
end unless --keep-db; one that existed before is never dropped (the bench only adds its
own rows to it, tagged with the run). Refuses, exit code 2, when no PostgreSQL answers.

Seeds a site, a room, a module, a session with --seats seats a week ahead, --requests
present agents in one team without continuity rule and an HR user with a password. Starts
`gunicorn config.wsgi` with DEBUG off, signs in --clients times through the login page
(each sign-in is one browser: its own session and CSRF cookies), then fires every
registration at once (one thread and one connection per request, released together by a
barrier; request i registers agent i from browser i mod --clients) and times each one,
from connecting to the last byte of the answer. Then counts in the database: exactly
min(requests, seats) registered, never more than the seats, the others on the waiting
list at ranks 1..n. The last line is machine-readable.
"""

import argparse
import datetime as dt
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tremplin_bench"
# Databases the bench must never write to, whatever DATABASE_URL says.
FORBIDDEN_DATABASES = {"tremplin_dev", "postgres", "template0", "template1"}
HTTP_TIMEOUT = 120  # seconds; a request queued behind 199 others may wait a while
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# Gunicorn config written for the run. Static files are not collected in a throw-away run
# (production runs collectstatic); with DEBUG off the manifest storage would then fail on
# every page, so each worker serves their names as they are, as bench/pages.py does.
# Done in a worker hook because the bench must not change config/settings.py.
GUNICORN_CONFIG = """
def post_worker_init(worker):
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
"""


def refuse(message: str) -> None:
    print(message, file=sys.stderr)
    raise SystemExit(2)


# --- PostgreSQL ---------------------------------------------------------------------------


def database_url() -> tuple[str, str]:
    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        refuse("Ce banc d'essai demande PostgreSQL : DATABASE_URL doit commencer par postgres://.")
    name = urllib.parse.unquote(parts.path.lstrip("/"))
    if not name or name in FORBIDDEN_DATABASES:
        refuse(f"Base « {name} » refusée : donnez une base réservée au banc d'essai.")
    return url, name


def ensure_database(url: str, name: str) -> bool:
    """Creates the database when missing; returns whether it did."""
    import psycopg
    from psycopg import sql

    # libpq reads the same URL; only the database changes, to the maintenance one.
    maintenance = urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/postgres"))
    try:
        with psycopg.connect(maintenance, connect_timeout=5, autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                return False
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    except psycopg.OperationalError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        refuse(
            f"PostgreSQL ne répond pas ({first_line}). Démarrez-le ou donnez DATABASE_URL ; "
            "vérifiez avec `pg_isready -h 127.0.0.1`."
        )


def drop_database(url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    maintenance = urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(maintenance, connect_timeout=5, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


# --- Data -----------------------------------------------------------------------------------


@dataclass
class World:
    session_pk: int
    username: str
    password: str
    matricules: list[str]


def a_week_ahead() -> dt.datetime:
    """9:00 a week from today, moved to the Monday when that falls on a weekend, so the
    session sits inside office hours (no 'outside working time' warning to add)."""
    from django.utils import timezone

    day = timezone.localdate() + dt.timedelta(days=7)
    while day.isoweekday() > 5:
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def seed(*, agents: int, seats: int, tag: str) -> World:
    from tremplin.accounts.enums import Role
    from tremplin.accounts.models import RoleAssignment, User
    from tremplin.organisation.enums import ContactChannel, UnitKind
    from tremplin.organisation.models import Agent, Collectivite, Employer, OrgUnit, Site
    from tremplin.planning.models import Room, Session
    from tremplin.training.enums import ModuleFormat, TrainerKind
    from tremplin.training.models import Module

    collectivite = Collectivite.current() or Collectivite.objects.create(name="Ville de banc")
    employer = Employer.objects.create(
        collectivite=collectivite, code=f"bench-{tag}", name=f"Employeur du banc {tag}"
    )
    unit = OrgUnit.objects.create(name=f"Équipe du banc {tag}", kind=UnitKind.TEAM)
    site = Site.objects.create(code=f"BENCH-{tag}", name=f"Site du banc {tag}")
    room = Room.objects.create(site=site, name="Salle du banc", capacity=seats)
    module = Module.objects.create(
        code=f"bench-{tag}",
        title=f"Module du banc {tag}",
        objective="Savoir s'inscrire à plusieurs en même temps.",
        format=ModuleFormat.GROUP,
        duration_minutes=90,
        trainer_kind=TrainerKind.ADVISOR,
    )
    starts_at = a_week_ahead()
    session = Session.objects.create(
        module=module,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=90),
        room=room,
        capacity=seats,
    )
    matricules = [f"B{tag}{i:05d}" for i in range(agents)]
    # Agents who read email: each seat taken also queues its convocation (email + .ics),
    # as in production.
    Agent.objects.bulk_create(
        Agent(
            employer=employer,
            matricule=matricule,
            last_name=f"Banc{i}",
            first_name="Agent",
            category="C",
            unit=unit,
            site=site,
            email=f"agent{i}.{tag}@example.org",
            contact_channel=ContactChannel.EMAIL,
        )
        for i, matricule in enumerate(matricules)
    )
    password = secrets.token_urlsafe(16)
    user = User.objects.create_user(username=f"bench-rh-{tag}", password=password)
    RoleAssignment.objects.create(user=user, role=Role.HR)
    return World(session.pk, user.username, password, matricules)


# --- Server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(args, *, port: int, workdir: Path, env: dict) -> subprocess.Popen:
    config = workdir / "gunicorn_bench.py"
    config.write_text(GUNICORN_CONFIG)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "-w",
        str(args.workers),
        "--threads",
        str(args.threads),
        "-b",
        f"127.0.0.1:{port}",
        "-c",
        str(config),
    ]
    print("server: " + " ".join(["gunicorn", *command[3:-2]]))
    with open(workdir / "gunicorn.log", "wb") as log:  # the server keeps its own copy
        # A fixed command: this interpreter running gunicorn on the project.
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)  # noqa: S603


def wait_until_up(server: subprocess.Popen, port: int, workdir: Path) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < 60:
        if server.poll() is not None:
            break
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/compte/connexion/")
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.2)
    tail = (workdir / "gunicorn.log").read_text(errors="replace")[-3000:]
    raise SystemExit(f"The server did not answer on port {port}. End of its log:\n{tail}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # the master stops its own workers
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- HTTP -----------------------------------------------------------------------------------


@dataclass
class Browser:
    """One signed-in browser: its cookies and the CSRF token of its last page. Written
    with http.client rather than urllib's cookie jar so that the timed requests carry no
    client-side work beyond sending and reading."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    csrf_token: str = ""

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, method: str, path: str, form: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=HTTP_TIMEOUT)
        headers = {"Cookie": self.cookie_header()}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body, headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", errors="replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        conn.close()
        match = CSRF_FIELD.search(text)
        if match:
            self.csrf_token = match.group(1)
        return response.status, response.getheader("Location", ""), text

    def sign_in(self, username: str, password: str) -> None:
        self.request("GET", "/compte/connexion/")
        status, _location, _text = self.request(
            "POST",
            "/compte/connexion/",
            {"username": username, "password": password, "csrfmiddlewaretoken": self.csrf_token},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"Sign-in failed: the login page answered {status}.")


@dataclass
class Outcome:
    status: int | None = None
    location: str = ""
    error: str = ""
    ms: float = 0.0


def fire(browsers: list[Browser], session_pk: int, matricules: list[str]) -> tuple:
    """Every registration at once: one thread and one connection each, released together."""
    path = f"/seances/{session_pk}/inscrire/"
    outcomes = [Outcome() for _ in matricules]
    barrier = threading.Barrier(len(matricules) + 1)

    def one(i: int) -> None:
        browser = browsers[i % len(browsers)]
        body = urllib.parse.urlencode(
            {"matricule": matricules[i], "csrfmiddlewaretoken": browser.csrf_token}
        )
        headers = {
            "Cookie": browser.cookie_header(),
            "Content-Type": "application/x-www-form-urlencoded",
        }
        conn = http.client.HTTPConnection("127.0.0.1", browser.port, timeout=HTTP_TIMEOUT)
        barrier.wait()
        started = time.perf_counter()
        try:
            conn.request("POST", path, body, headers)
            response = conn.getresponse()
            response.read()
            outcomes[i].status = response.status
            outcomes[i].location = response.getheader("Location", "")
        except (OSError, http.client.HTTPException) as exc:
            outcomes[i].error = type(exc).__name__
        finally:
            outcomes[i].ms = (time.perf_counter() - started) * 1000
            conn.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(matricules))]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return outcomes, time.perf_counter() - started


# --- Run ------------------------------------------------------------------------------------


def count_registrations(session_pk: int) -> dict:
    from tremplin.planning.enums import SEAT_STATUSES, RegistrationStatus
    from tremplin.planning.models import Registration

    rows = Registration.objects.filter(session_id=session_pk)
    return {
        "registered": rows.filter(status=RegistrationStatus.REGISTERED).count(),
        "seats_taken": rows.filter(status__in=SEAT_STATUSES).count(),
        "waiting_ranks": sorted(
            rows.filter(status=RegistrationStatus.WAITING).values_list(
                "waiting_position", flat=True
            )
        ),
        "total": rows.count(),
    }


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def run(args, *, url: str, workdir: Path) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - started:.1f} s")
    tag = f"{dt.datetime.now():%m%d%H%M%S}{secrets.token_hex(2)}"
    world = seed(agents=args.requests, seats=args.seats, tag=tag)

    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Plain http on localhost: secure cookies would never come back from a browser.
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    server = start_server(args, port=port, workdir=workdir, env=env)
    try:
        print(f"server up in {wait_until_up(server, port, workdir):.1f} s")
        started = time.perf_counter()
        browsers = []
        for _ in range(args.clients):
            browser = Browser(port)
            browser.sign_in(world.username, world.password)
            status, _location, _text = browser.request("GET", f"/seances/{world.session_pk}/")
            if status != 200 or not browser.csrf_token:
                raise SystemExit(f"The session page answered {status}.")
            browsers.append(browser)
        print(f"{args.clients} browsers signed in: {time.perf_counter() - started:.1f} s")
        load_before = load()
        outcomes, wall = fire(browsers, world.session_pk, world.matricules)
        load_after = load()
    finally:
        stop_server(server)

    expected_location = f"/seances/{world.session_pk}/"
    redirected = sum(o.status == 302 and o.location == expected_location for o in outcomes)
    errors = [o for o in outcomes if not (o.status == 302 and o.location == expected_location)]
    kinds = {}
    for o in errors:
        label = o.error or f"HTTP {o.status}"
        kinds[label] = kinds.get(label, 0) + 1
    counts = count_registrations(world.session_pk)
    samples = [o.ms for o in outcomes]
    p50 = statistics.median(samples)
    p95 = statistics.quantiles(samples, n=100)[94] if len(samples) > 1 else samples[0]

    print(f"load average before the burst: {load_before}; after: {load_after}")
    print(
        f"burst: {len(outcomes)} requests in {wall:.2f} s ({len(outcomes) / wall:.0f} req/s), "
        f"max {max(samples):.0f} ms"
    )
    print(
        f"answers: {redirected} redirected to the session page, {len(errors)} errors"
        + (" (" + ", ".join(f"{k}: {v}" for k, v in sorted(kinds.items())) + ")" if kinds else "")
    )
    waiting = counts["waiting_ranks"]
    print(
        f"database: {counts['registered']} registered, {len(waiting)} waiting "
        f"(ranks {waiting[0] if waiting else '-'}..{waiting[-1] if waiting else '-'}), "
        f"{counts['total']} rows"
    )

    expected = min(args.requests, args.seats)
    failures = []
    if counts["seats_taken"] > args.seats:
        failures.append(f"OVERBOOKED: {counts['seats_taken']} seats taken for {args.seats}")
    if counts["registered"] != expected:
        failures.append(f"registered {counts['registered']}, expected {expected}")
    if waiting != list(range(1, args.requests - expected + 1)):
        failures.append(f"waiting ranks are not 1..{args.requests - expected}")
    if errors:
        failures.append(f"{len(errors)} requests did not end in a redirect to the session")
    for failure in failures:
        print("ATTENTION: " + failure)
    print(
        f"requests={args.requests} seats={args.seats} registered={counts['registered']} "
        f"p50_ms={p50:.0f} p95_ms={p95:.0f}"
    )
    return 1 if failures else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seats", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3, help="as in docs/exploitation.md")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--clients", type=int, default=20, help="signed-in browsers")
    parser.add_argument("--keep-db", action="store_true", help="keep a database it created")
    args = parser.parse_args()
    if args.requests < 1 or args.seats < 1 or not 1 <= args.clients <= args.requests:
        parser.error("--requests and --seats at least 1, --clients between 1 and --requests")

    url, name = database_url()
    created = ensure_database(url, name)
    print(f"database: {name} ({'created' if created else 'already there'})")
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DJANGO_DEBUG"] = "0"  # production-like, and no query log in this process
    # settings.py requires a secret; the local .env usually gives one, a run needs any.
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    workdir = Path(tempfile.mkdtemp(prefix="tremplin-bench-registrations-"))
    code = 1
    try:
        code = run(args, url=url, workdir=workdir)
    finally:
        from django.db import connections

        connections.close_all()
        if created and not args.keep_db:
            drop_database(url, name)
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
