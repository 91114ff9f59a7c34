"""Server time and SQL queries of the public pages on the demo data, under gunicorn.

Starts a fresh copy of the demo (SQLite, demo data) under gunicorn on 127.0.0.1, requests
each page many times one after another, and reads the app's own ``Server-Timing`` header
(time inside Django and number of SQL queries). Prints p50/p95 per page and the ratio to
the peer figure (adhocracy+: 58 ms and 105 queries for a 15-item idea list).

    .venv/bin/python benchmarks/pages.py [--requests 200] [--paths / /neighbourhoods/ ...]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PEER_MS, PEER_QUERIES = 58.0, 105
DEFAULT_PATHS = [
    "/",
    "/reports/",
    "/en/reports/?category=pothole",
    "/submissions/",
    "/help/",
    "/help/?need=food",
    "/neighbourhoods/",
    "/sdg/",
    "/open311/v2/requests.json",
    "/api/hsds/services",
    "/budget/",
    "/budget/2025/",
    "/budget/2025/ideas/",
    "/budget/2026/ideas/",
    "/budget/2025/results/",
    "/budget/2025/statistics/",
    "/budget/2025/projects/",
    "/budget/2026/turnout/",
    "/api/pb/cycles/2025/projects",
    "/api/pb/cycles/2025/results",
]
TIMING = re.compile(r'app;dur=([\d.]+), db;dur=([\d.]+);desc="(\d+) queries"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, env):
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)


def percentile(values, q):
    values = sorted(values)
    index = min(len(values) - 1, max(0, round(q / 100 * len(values)) - 1))
    return values[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--paths", nargs="*", default=DEFAULT_PATHS)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="lidzdaliba-bench-"))
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lidzdaliba.settings",
        "SECRET_KEY": "benchmark",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "LIDZDALIBA_VAR_DIR": str(workdir),
        "SECURE_COOKIES": "0",
        "SERVER_TIMING": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    lidzdaliba = str(BIN / "lidzdaliba")
    run([lidzdaliba, "migrate", "--noinput"], env)
    run([lidzdaliba, "demo-data"], env)
    run([lidzdaliba, "collectstatic", "--noinput"], env)
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "lidzdaliba.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        print(f"{'page':32} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'vs peer':>9}")
        worst_p95 = 0.0
        for path in args.paths:
            times, queries = [], set()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            for i in range(args.requests + 10):
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    sys.exit(f"{path}: HTTP {response.status}")
                match = TIMING.search(response.getheader("Server-Timing", ""))
                if i >= 10 and match:  # the first requests warm caches and connections
                    times.append(float(match.group(1)))
                    queries.add(int(match.group(3)))
            conn.close()
            p95 = percentile(times, 95)
            worst_p95 = max(worst_p95, p95)
            print(
                f"{path:32} {statistics.median(times):8.2f} {p95:8.2f} "
                f"{max(queries):8d} {PEER_MS / p95:8.1f}×"
            )
        print(
            f"worst p95: {worst_p95:.2f} ms (target ≤ 20 ms; adhocracy+ idea list: {PEER_MS} ms,"
            f" {PEER_QUERIES} queries)"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
