"""Ballots per second under load: gunicorn + PostgreSQL on this machine, real ballot form.

Creates a throw-away PostgreSQL database (server from ``DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/``), migrates it, seeds a cycle in its voting phase
with ``--voters`` verified residents (bulk inserts) and a logged-in session for each (written
straight into the session table: the login form, its rate limit and lockouts are not what is
measured), starts gunicorn on 127.0.0.1, and lets ``--clients`` concurrent clients cast and
change ballots for ``--duration`` seconds. Each client owns its voters, fetches the ballot
page once for the CSRF token, then POSTs the ballot form as the browser's htmx does (CSRF
cookie + header, ``HX-Request``): the same view, form parsing, rules and save path a voter
uses. Afterwards the database is checked:

* lost = voters whose stored choices differ from the last choices the server acknowledged;
* duplicated = ballots beyond one per voter, plus choice rows beyond one per chosen project.

Prints ballots/s, p50/p95/p99 latency, lost, duplicated, and for comparison the raw insert
rate of the same PostgreSQL measured with ``pgbench`` (one-row INSERT transactions, same
number of clients). ``--write`` records the figures in ``benchmarks/results/vote_load.md``.

    .venv/bin/python benchmarks/vote_load.py [--voters 5000] [--clients 32] [--duration 30]
        [--workers 4] [--worker-class gthread --threads 4] [--write]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
RESULTS = ROOT / "benchmarks" / "results" / "vote_load.md"
SLUG, CATEGORY = "load-test", "infrastruktura"
PROJECTS = 12
MAX_PICKS = 3
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
TARGET_RATE, TARGET_P99_MS = 500, 250


# --- database ---------------------------------------------------------------------------


def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    return url


def admin_connect(url: str):
    import psycopg

    parts = urlparse(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
        autocommit=True,
    )


def _migrations_fingerprint() -> str:
    import hashlib

    digest = hashlib.sha1(usedforsecurity=False)
    for path in sorted((ROOT / "src").glob("**/migrations/*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def database_create(url: str, env: dict) -> str:
    """A fresh database for this run, cloned from a migrated template database (made once per
    set of migrations, so that repeated runs do not wait for ``migrate``)."""
    parts = urlparse(url)
    template = f"lidzdaliba_voteload_tpl_{_migrations_fingerprint()}"
    name = f"lidzdaliba_voteload_{os.getpid()}"
    with admin_connect(url) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{template}"')
            migrate_env = {**env, "DATABASE_URL": parts._replace(path=f"/{template}").geturl()}
            print(f"migrating the template database {template} (once)…")
            try:
                subprocess.run(
                    [str(BIN / "lidzdaliba"), "migrate", "--noinput"],
                    env=migrate_env,
                    cwd=ROOT,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
            except subprocess.CalledProcessError:
                conn.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
                raise
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return parts._replace(path=f"/{name}").geturl()


def database_drop(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    with admin_connect(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- seeding (runs inside Django, in a subprocess) -----------------------------------------


def seed(voters: int, out: Path) -> None:
    """Municipality, a cycle in its voting phase, PROJECTS admitted projects, ``voters``
    verified residents with a session each. Writes ``[[session_key, user_id], …]`` and the
    project ids to ``out``."""
    import datetime as dt
    import hashlib
    import secrets

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from lidzdaliba.accounts.models import Residency
    from lidzdaliba.budgeting.models import Category, Cycle, Idea
    from lidzdaliba.core.demo.load import load_places

    municipality = load_places()
    now = timezone.now()
    day = dt.timedelta(days=1)
    cycle = Cycle.objects.create(
        municipality=municipality,
        slug=SLUG,
        title="Load test",
        status="voting",
        total_budget_cents=200_000_00,
        submission_opens_at=now - 80 * day,
        submission_closes_at=now - 45 * day,
        review_ends_at=now - 10 * day,
        voting_opens_at=now - day,
        voting_closes_at=now + 10 * day,
    )
    category = Category.objects.create(
        cycle=cycle,
        slug=CATEGORY,
        name="Infrastructure",
        budget_cents=185_000_00,
        ballot_form="approval",
        max_picks=MAX_PICKS,
    )
    ideas = Idea.objects.bulk_create(
        [
            Idea(
                cycle=cycle,
                category=category,
                number=i + 1,
                title=f"Project {i + 1}",
                summary="A project on the load-test ballot.",
                description="-",
                cost_cents=(10_000 + 1_000 * i) * 100,
                ballot_cost_cents=(10_000 + 1_000 * i) * 100,
                status="admitted",
                author_name="Load test",
                submitted_at=now,
            )
            for i in range(PROJECTS)
        ]
    )
    neighbourhoods = list(municipality.neighbourhoods.values_list("pk", flat=True))
    User = get_user_model()
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                email=f"voter{i}@load.test",
                password=unusable,
                municipality=municipality,
                is_active=True,
            )
            for i in range(voters)
        ],
        batch_size=2000,
    )
    Residency.objects.bulk_create(
        [
            Residency(
                user=user,
                municipality=municipality,
                identity_key=hashlib.sha256(f"voter-{user.pk}".encode()).hexdigest(),
                neighbourhood_id=neighbourhoods[i % len(neighbourhoods)],
                birth_date=dt.date(1950 + i % 55, 1 + i % 12, 1 + i % 28),
                method="census",
                expires_at=now + 365 * day,
            )
            for i, user in enumerate(users)
        ],
        batch_size=2000,
    )
    store = SessionStore()
    backend = "django.contrib.auth.backends.ModelBackend"
    sessions, keys = [], []
    for user in users:
        key = secrets.token_hex(16)
        data = {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": backend,
            "_auth_user_hash": user.get_session_auth_hash(),
        }
        sessions.append(
            Session(session_key=key, session_data=store.encode(data), expire_date=now + day)
        )
        keys.append([key, user.pk])
    Session.objects.bulk_create(sessions, batch_size=2000)
    out.write_text(json.dumps({"sessions": keys, "projects": [i.pk for i in ideas]}))


# --- load ---------------------------------------------------------------------------------


class Client(threading.Thread):
    """One browser-like client casting ballots for its own voters, one request at a time."""

    def __init__(self, port, voters, projects, stop_at, warm_until):
        super().__init__(daemon=True)
        self.port, self.voters, self.projects = port, voters, projects
        self.stop_at, self.warm_until = stop_at, warm_until
        self.path = f"/en/budget/{SLUG}/vote/{CATEGORY}/"
        self.latencies: list[float] = []
        self.acked: dict[int, frozenset[int]] = {}
        self.count = 0
        self.unacked: set[int] = set()
        self.errors: list[str] = []
        self.tokens: dict[int, str] = {}
        self.conn = None
        self.rng = random.Random()

    def _request(self, method, body, headers):
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                self.conn.request(method, self.path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return response.status, data
            except (http.client.HTTPException, OSError):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise AssertionError

    def _cookie(self, session, csrf=""):
        cookie = f"sessionid={session}"
        return cookie + (f"; csrftoken={csrf}" if csrf else "")

    def login_page(self, session) -> str:
        """GET the ballot page as the voter: the CSRF token and cookie value come from it."""
        status, data = self._request("GET", None, {"Cookie": self._cookie(session)})
        if status != 200:
            raise RuntimeError(f"ballot page: HTTP {status}")
        match = CSRF_META.search(data.decode())
        if not match:
            raise RuntimeError("ballot page without a CSRF token (not logged in?)")
        return match.group(1)

    def run(self):
        try:
            # A CSRF secret per client: the token of the page, sent back as cookie + header.
            token = self.login_page(self.voters[0][0])
            while time.monotonic() < self.stop_at:
                for session, user_id in self.voters:
                    if time.monotonic() >= self.stop_at:
                        break
                    self.cast(session, user_id, token)
        except Exception as exc:
            self.errors.append(repr(exc))

    def cast(self, session, user_id, token):
        picks = frozenset(self.rng.sample(self.projects, self.rng.randint(1, MAX_PICKS)))
        body = "&".join(f"idea={pk}" for pk in sorted(picks))
        headers = {
            "Cookie": self._cookie(session, token),
            "X-CSRFToken": token,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        started = time.monotonic()
        try:
            status, data = self._request("POST", body, headers)
        except Exception as exc:
            self.unacked.add(user_id)
            self.errors.append(repr(exc))
            return
        elapsed = time.monotonic() - started
        if status == 200 and b'id="ballot-status"' in data and b"ballot-error" not in data:
            self.acked[user_id] = picks
            self.count += 1
            self.unacked.discard(user_id)
            if started >= self.warm_until:
                self.latencies.append(elapsed)
        else:
            self.unacked.add(user_id)
            self.errors.append(f"HTTP {status}: {data[:200]!r}")


def run_clients(port, voter_lists, projects, stop_at, warm_until) -> dict:
    """One client process: a thread per client (their voters in ``voter_lists``)."""
    clients = [
        Client(port, voters, projects, stop_at, warm_until) for voters in voter_lists if voters
    ]
    for client in clients:
        client.start()
    for client in clients:
        client.join(timeout=stop_at - time.monotonic() + 120)
    return {
        "latencies": [x for c in clients for x in c.latencies],
        "acked": {k: v for c in clients for k, v in c.acked.items()},
        "unacked": {k for c in clients for k in c.unacked},
        "errors": [e for c in clients for e in c.errors],
        "count": sum(c.count for c in clients),
    }


def percentile(values, q):
    values = sorted(values)
    index = min(len(values) - 1, max(0, round(q / 100 * len(values)) - 1))
    return values[index]


def check_database(db_url: str, acked: dict[int, frozenset[int]], unacked: set[int]) -> dict:
    import psycopg

    with psycopg.connect(db_url) as conn:
        ballots = conn.execute(
            "SELECT voter_id, count(*) FROM budgeting_ballot GROUP BY voter_id"
        ).fetchall()
        rows = conn.execute(
            "SELECT b.voter_id, c.idea_id, count(*) FROM budgeting_ballot b "
            "JOIN budgeting_ballotchoice c ON c.ballot_id = b.id GROUP BY b.voter_id, c.idea_id"
        ).fetchall()
    per_voter = dict(ballots)
    stored: dict[int, set[int]] = {}
    duplicated = sum(n - 1 for n in per_voter.values() if n > 1)
    for voter, idea, n in rows:
        stored.setdefault(voter, set()).add(idea)
        duplicated += n - 1
    # A request that timed out may or may not have committed: such voters are not judged.
    lost = sum(
        1 for voter, picks in acked.items() if voter not in unacked and stored.get(voter) != picks
    )
    lost += sum(1 for voter in acked if voter not in per_voter)
    return {
        "ballots": sum(per_voter.values()),
        "voters": len(acked),
        "lost": lost,
        "duplicated": duplicated,
        "unjudged": len(unacked),
    }


# --- pgbench --------------------------------------------------------------------------------


def pgbench_inserts(db_url: str, clients: int, seconds: int) -> float | None:
    exe = shutil.which("pgbench")
    if not exe:
        print(
            "pgbench not found: install it with `apt-get install postgresql-contrib` "
            "(Debian: package postgresql-client-15 or postgresql-contrib) — skipped."
        )
        return None
    import psycopg

    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS pgbench_insert "
            "(id bigserial PRIMARY KEY, k text NOT NULL, v integer NOT NULL, at timestamptz)"
        )
    script = Path(tempfile.mkstemp(suffix=".sql")[1])
    script.write_text(
        "\\set v random(1, 1000000)\n"
        "INSERT INTO pgbench_insert (k, v, at) VALUES (md5(:v::text), :v, now());\n"
    )
    parts = urlparse(db_url)
    env = {**os.environ, "PGPASSWORD": parts.password or ""}
    cmd = [
        exe,
        "-n",
        "-M",
        "prepared",
        "-c",
        str(clients),
        "-j",
        str(min(clients, os.cpu_count() or 2)),
        "-T",
        str(seconds),
        "-f",
        str(script),
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
        parts.path.lstrip("/"),
    ]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    script.unlink()
    match = re.search(r"tps = ([\d.]+)", result.stdout)
    if not match:
        print("pgbench failed:", result.stderr.strip()[:300])
        return None
    return float(match.group(1))


# --- main -----------------------------------------------------------------------------------


def _proc_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _processes() -> list[tuple[int, int, str]]:
    """(pid, parent pid, command name) of every process."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            out.append((int(entry.name), ppid, name))
    return out


def cpu_snapshot(server_pid: int) -> dict[str, float]:
    """CPU seconds used so far by the gunicorn master and workers, and by PostgreSQL."""
    procs = _processes()
    web = {server_pid} | {pid for pid, ppid, _name in procs if ppid == server_pid}
    db = {pid for pid, _ppid, name in procs if name.startswith("postgres")}
    return {
        "web": sum(_proc_cpu(pid) for pid in web),
        "db": sum(_proc_cpu(pid) for pid in db),
    }


def wait_until_serving(port: int, timeout: float = 120) -> None:
    """Until the app answers (the port opens before the workers are ready)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", f"/en/budget/{SLUG}/turnout/")
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not start serving")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="gthread", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--client-processes", type=int, default=2, help="processes the clients are spread over"
    )
    parser.add_argument("--keep", action="store_true", help="keep the throw-away database")
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS.name}")
    parser.add_argument("--seed-into", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.seed_into:  # the seeding subprocess
        seed(args.voters, Path(args.seed_into))
        return

    workdir = Path(tempfile.mkdtemp(prefix="lidzdaliba-voteload-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lidzdaliba.settings",
        "SECRET_KEY": "vote-load-benchmark",
        "PERSONAL_CODE_HMAC_KEY": "vote-load-benchmark",
        "CONN_MAX_AGE": "600",
        "LIDZDALIBA_VAR_DIR": str(workdir),
        "SECURE_COOKIES": "0",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    db_url = database_create(server_url(), env)
    env["DATABASE_URL"] = db_url
    server = None
    try:
        subprocess.run(
            [str(BIN / "lidzdaliba"), "collectstatic", "--noinput"],
            env=env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        seeded = workdir / "seed.json"
        started = time.monotonic()
        subprocess.run(
            [sys.executable, __file__, "--voters", str(args.voters), "--seed-into", str(seeded)],
            env=env,
            cwd=ROOT,
            check=True,
        )
        data = json.loads(seeded.read_text())
        print(f"seeded {args.voters} voters with sessions in {time.monotonic() - started:.1f} s")

        port = free_port()
        cmd = [
            str(BIN / "gunicorn"),
            "lidzdaliba.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            args.worker_class,
            "--log-level",
            "warning",
            "--backlog",
            "2048",
            "--preload",
        ]
        if args.worker_class == "gthread":
            cmd += ["--threads", str(args.threads)]
        server = subprocess.Popen(cmd, env=env, cwd=ROOT)
        wait_until_serving(port)

        load_before = os.getloadavg()[0]
        sessions = data["sessions"]
        per_client = [sessions[i :: args.clients] for i in range(args.clients)]
        begin = time.monotonic() + 2.0
        stop_at = begin + args.warmup + args.duration
        procs = max(1, min(args.client_processes, args.clients))
        jobs = [
            (port, per_client[i::procs], data["projects"], stop_at, begin + args.warmup)
            for i in range(procs)
        ]
        import multiprocessing

        cpu_before = cpu_snapshot(server.pid)
        clients_before = os.times()
        with multiprocessing.get_context("fork").Pool(procs) as pool:
            outcomes = pool.starmap(run_clients, jobs)
        cpu_after = cpu_snapshot(server.pid)
        clients_after = os.times()
        cpu = {k: cpu_after[k] - cpu_before[k] for k in cpu_before}
        cpu["clients"] = (clients_after.children_user + clients_after.children_system) - (
            clients_before.children_user + clients_before.children_system
        )
        wall = time.monotonic() - begin
        server.terminate()
        server.wait(timeout=30)
        server = None

        latencies = [x for o in outcomes for x in o["latencies"]]
        acked = {k: v for o in outcomes for k, v in o["acked"].items()}
        unacked = {k for o in outcomes for k in o["unacked"]}
        errors = [e for o in outcomes for e in o["errors"]]
        if not latencies:
            sys.exit("no ballot was acknowledged; first errors: " + "; ".join(errors[:3]))
        checked = check_database(db_url, acked, unacked)
        rate = len(latencies) / args.duration
        p50, p95, p99 = (percentile(latencies, q) * 1000 for q in (50, 95, 99))
        tps = pgbench_inserts(db_url, args.clients, 10)
        total = sum(o["count"] for o in outcomes)
        per_ballot = {k: v / total * 1000 for k, v in cpu.items()}
        server_ms = per_ballot["web"] + per_ballot["db"]
        cores = os.cpu_count() or 1

        setup = (
            f"{args.workers} {args.worker_class} workers"
            + (f" × {args.threads} threads" if args.worker_class == "gthread" else "")
            + f", {args.clients} clients in {args.client_processes} processes, {args.voters} voters, {args.duration:.0f} s"
            f" (+{args.warmup:.0f} s warm-up), {os.cpu_count()} CPUs,"
            f" load average before {load_before:.1f}"
        )
        lines = [
            f"setup:       {setup}",
            f"ballots/s:   {rate:.0f} (target ≥ {TARGET_RATE})",
            f"latency ms:  p50 {p50:.1f}  p95 {p95:.1f}  p99 {p99:.1f} (target p99 ≤ "
            f"{TARGET_P99_MS})",
            f"mean ms:     {statistics.mean(latencies) * 1000:.1f}",
            f"CPU/ballot:  web {per_ballot['web']:.2f} ms, PostgreSQL {per_ballot['db']:.2f} ms,"
            f" load clients {per_ballot['clients']:.2f} ms (machine busy "
            f"{sum(cpu.values()) / wall / cores * 100:.0f} % with these alone)",
            f"capacity:    {cores / server_ms * 1000:.0f} ballots/s if web + PostgreSQL had all "
            f"{cores} CPUs to themselves",
            f"ballots:     {checked['ballots']} for {checked['voters']} voters",
            f"lost:        {checked['lost']}",
            f"duplicated:  {checked['duplicated']}",
            f"errors:      {len(errors)}" + (f" (first: {errors[0]})" if errors else ""),
            "pgbench:     " + (f"{tps:.0f} single-row INSERT transactions/s" if tps else "skipped"),
        ]
        print("\n".join(lines))
        if args.write:
            record(lines, args)
        ok = checked["lost"] == 0 and checked["duplicated"] == 0
        sys.exit(0 if ok else 1)
    finally:
        if server is not None:
            server.terminate()
        if not args.keep:
            database_drop(db_url)
        shutil.rmtree(workdir, ignore_errors=True)


def record(lines: list[str], args) -> None:
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    command = "benchmarks/vote_load.py " + " ".join(a for a in sys.argv[1:] if a != "--write")
    block = [f"## {stamp}", "", f"`{command.strip()}`", "", "```", *lines, "```", ""]
    if RESULTS.exists():
        text = RESULTS.read_text()
    else:
        text = "# Ballot load benchmark (`benchmarks/vote_load.py`)\n\n"
    RESULTS.write_text(text.rstrip("\n") + "\n\n" + "\n".join(block))


if __name__ == "__main__":
    main()
