"""`make bench`: the production configuration on loopback, measured with wrk against its own ceiling.

Starts gunicorn as `make serve` does (3 workers, --preload) on a throwaway database (a SQLite file, or a
new database on the server of DATABASE_URL), seeds classes of 5, 40 and 200 students with 6 assignments
each, then measures each page or write for a few seconds at 16 connections, between two halves of a
measurement of the ceiling (`/livez`: our whole middleware stack, no template, no database), so the
ratio compares like with like.
Prints requests per second, p50/p95/p99, the ratio to the ceiling, the transferred size and the query
count of each, the workers' memory, and writes the table to docs/performance.md.

A benchmark, not a test: timings move with the machine and whatever else it runs.
    python deploy/bench.py [--seconds 5] [--connections 16] [--no-write]
"""

import argparse
import datetime
import gzip
import http.client
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.parse
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from throwaway import ThrowawayDatabase, free_port

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
WORKERS = 3
REPORT = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

WRK_SCRIPT = r"""
local method = os.getenv("BENCH_METHOD")
local headers, bodies, counter = {}, {}, 0
for line in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^\n]+") do
  local name, value = line:match("^([^:]+):%s*(.*)$")
  headers[name] = value
end
for body in string.gmatch(os.getenv("BENCH_BODIES") or "", "[^\n]+") do table.insert(bodies, body) end
request = function()
  counter = counter + 1
  local body = nil
  if #bodies > 0 then body = bodies[(counter % #bodies) + 1] end
  return wrk.format(method, nil, headers, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH {"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, '
    .. '"errors": %d, "bad_status": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, e.connect + e.read + e.write + e.timeout, e.status))
end
"""


@dataclass
class Target:
    name: str
    path: str  # with the leading /
    user: str | None = None
    method: str = "GET"
    bodies: list[dict] = field(default_factory=list)  # cycled through, one per request
    htmx: bool = False
    group: str = "pages"  # "pages" or "growth"


@dataclass
class Result:
    target: Target
    rate: float
    p50: float
    p95: float
    p99: float
    errors: int
    ceiling: float
    size: int = 0
    queries: int | None = None

    @property
    def ratio(self) -> float:
        return self.rate / self.ceiling if self.ceiling else 0.0


class Browser:
    """Cookies and the CSRF token, as a browser keeps them (the CSRF cookie is HttpOnly: the token
    comes from the page)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.token = ""

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": "127.0.0.1", "Accept-Encoding": "gzip", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode({**body, "csrfmiddlewaretoken": self.token}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, data, headers)
        response = connection.getresponse()
        raw = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";")[0]
        html = gzip.decompress(raw) if response.getheader("Content-Encoding") == "gzip" else raw
        found = TOKEN.search(html.decode(errors="replace"))
        if found:
            self.token = found[1]
        header_bytes = sum(len(k) + len(v) + 4 for k, v in response.getheaders()) + 17
        connection.close()
        return response.status, len(raw) + header_bytes

    def log_in(self, username: str, password: str) -> "Browser":
        self.request("GET", "/en/accounts/login/")
        status, _ = self.request("POST", "/en/accounts/login/", {"username": username, "password": password})
        assert status == 302, f"log-in of {username} answered {status}"
        self.request("GET", "/en/")  # a page, for a token of the logged-in session
        return self


def wrk(
    port: int, target: Target, browser: Browser | None, *, seconds: float, connections: int, script: Path
):
    headers = {"Host": "127.0.0.1", "Accept-Encoding": "gzip"}
    if browser:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
        headers["X-CSRFToken"] = browser.token
    if target.htmx:
        headers["HX-Request"] = "true"
    if target.bodies:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    environment = {
        **os.environ,
        "BENCH_METHOD": target.method,
        "BENCH_HEADERS": "\n".join(f"{k}: {v}" for k, v in headers.items()),
        "BENCH_BODIES": "\n".join(urllib.parse.urlencode(body) for body in target.bodies),
    }
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "-s", str(script)]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{target.path}"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.split("BENCH ", 1)[1])


def memory_of_workers(master: int) -> list[tuple[int, int]]:
    """(RSS, PSS) in KB of each worker: PSS splits shared pages between the processes that share them."""
    workers = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master}$", text, re.M):
            rss = int(re.search(r"^VmRSS:\s+(\d+)", text, re.M)[1])
            rollup = (status.parent / "smaps_rollup").read_text()
            pss = int(re.search(r"^Pss:\s+(\d+)", rollup, re.M)[1])
            workers.append((rss, pss))
    return workers


def targets(data: dict) -> list[Target]:
    student, teacher, busy = data["student"], data["teacher"], data["busy_student"]
    lesson, classes = data["lesson"], data["classes"]
    answer = {"question": data["question"], "choice": data["choice"]}
    return [
        Target("home page", "/en/"),
        # The floor of any signed-in request: the ceiling's view, with the session and account lookups
        # every signed-in request pays before its view runs.
        Target("ceiling, signed in (/livez)", "/livez", student),
        Target("lesson, anonymous, en", f"/en/{lesson}"),
        Target("lesson, anonymous, ar", f"/ar/{lesson}"),
        Target("lesson, signed in, en", f"/en/{lesson}", student),
        Target("lesson, signed in, ar", f"/ar/{lesson}", student),
        Target("catalogue", f"/en/{data['catalogue']}"),
        Target("quiz answer (htmx)", f"/en/{data['attempt']}", student, "POST", [answer], htmx=True),
        Target(
            "checklist tick (htmx)",
            f"/en/{data['item']}",
            student,
            "POST",
            [{"state": "done"}, {"state": "not-done"}],
            htmx=True,
        ),
        Target("mark read (htmx)", f"/en/{lesson}", student, "POST", [{}], htmx=True),
        Target("student dashboard", "/en/dashboard/", student),
        Target("class page, 40 students", f"/en/classes/{classes['40']}/", teacher),
        Target("class page, 200 students", f"/en/classes/{classes['200']}/", teacher),
        Target("class page, 5 students", f"/en/classes/{classes['5']}/", teacher, group="growth"),
        Target("dashboard, 1 class", "/en/dashboard/", student, group="growth"),
        Target("dashboard, 10 classes", "/en/dashboard/", busy, group="growth"),
    ]


def table(results: list[Result], group: str) -> list[str]:
    lines = [
        "| Request | req/s | p50 ms | p95 ms | p99 ms | ratio to ceiling | transferred | queries | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in (r for r in results if r.target.group == group):
        lines.append(
            f"| {r.target.name} | {r.rate:.0f} | {r.p50:.1f} | {r.p95:.1f} | {r.p99:.1f} | {r.ratio:.2f} | "
            f"{r.size / 1024:.1f} KB | {r.queries if r.queries is not None else '-'} | {r.errors} |"
        )
    return lines


def write_report(text: str, start: str = START, end: str = END) -> None:
    """Put `text` between the two markers in docs/performance.md (added at the end when missing)."""
    current = REPORT.read_text() if REPORT.exists() else "# Performance\n"
    if start not in current:
        current += f"\n{start}\n{end}\n"
    before, rest = current.split(start, 1)
    after = rest.split(end, 1)[1]
    REPORT.write_text(f"{before}{start}\n{text}\n{end}{after}")


@dataclass
class Server:
    port: int
    data: dict  # what deploy/bench_data.py seeded
    process: subprocess.Popen
    database: ThrowawayDatabase
    environment: dict

    def __iter__(self):
        return iter((self.port, self.data, self.process, self.database, self.environment))


@contextmanager
def seeded_server(folder: Path):
    """gunicorn as `make serve` runs it (3 workers, --preload), on a throwaway database seeded by
    deploy/bench_data.py."""
    database = ThrowawayDatabase(folder, "datatrail_bench")
    port = free_port()
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"},
        **database.environment,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_LOG_LEVEL": "ERROR",
    }
    server = None
    try:
        manage = [str(PYTHON), "manage.py"]
        for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"], ["load_content"]):
            subprocess.run([*manage, *command], cwd=ROOT, env=environment, check=True, capture_output=True)
        seeded = subprocess.run(
            [str(PYTHON), "deploy/bench_data.py", "seed"],
            cwd=ROOT,
            env=environment,
            check=True,
            capture_output=True,
        )
        gunicorn = [str(GUNICORN), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS)]
        with open(folder / "gunicorn.log", "w") as log:
            server = subprocess.Popen(
                [*gunicorn, "--preload", "--no-control-socket"],
                cwd=ROOT,
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        for _ in range(100):
            try:
                if Browser(port).request("GET", "/livez")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        yield Server(port, json.loads(seeded.stdout), server, database, environment)
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        database.drop()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=5, help="per measurement (default 5)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    options = parser.parse_args()
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="datatrail-bench-"))
    with seeded_server(folder) as (port, data, server, database, environment):
        browsers = {None: None}
        all_targets = targets(data)
        for user in {t.user for t in all_targets if t.user}:
            browsers[user] = Browser(port).log_in(user, data["password"])
        script = folder / "bench.lua"
        script.write_text(WRK_SCRIPT)
        ceiling = Target("ceiling: /livez", "/livez")
        query_requests = [
            {
                "name": t.name,
                "path": t.path,
                "user": t.user,
                "method": t.method,
                "data": (t.bodies or [{}])[0],
                "htmx": t.htmx,
            }
            for t in all_targets
        ]
        counted = subprocess.run(
            [str(PYTHON), "deploy/bench_data.py", "queries"],
            cwd=ROOT,
            env=environment,
            input=json.dumps(query_requests),
            capture_output=True,
            text=True,
            check=True,
        )
        query_counts = json.loads(counted.stdout)
        results = []
        run = {"seconds": options.seconds, "connections": options.connections, "script": script}
        wrk(port, ceiling, None, seconds=1, connections=options.connections, script=script)  # warm up
        # The ceiling is measured half before and half after each target: the machine's speed drifts
        # (other work on it), and a drift during the target's run then weighs on both sides of the ratio.
        half = {**run, "seconds": max(1, round(options.seconds / 2))}
        for target in all_targets:
            before = wrk(port, ceiling, None, **half)
            measured = wrk(port, target, browsers[target.user], **run)
            after = wrk(port, ceiling, None, **half)
            browser = browsers[target.user] or Browser(port)
            _, size = browser.request(
                target.method,
                target.path,
                target.bodies[0] if target.bodies else None,
                {"HX-Request": "true"} if target.htmx else None,
            )
            result = Result(
                target,
                measured["requests"] / measured["seconds"],
                measured["p50"],
                measured["p95"],
                measured["p99"],
                measured["errors"] + measured["bad_status"],
                (before["requests"] + after["requests"]) / (before["seconds"] + after["seconds"]),
                size,
                query_counts.get(target.name),
            )
            results.append(result)
            print(
                f"{target.name:28} {result.rate:7.0f} req/s  p50 {result.p50:6.1f}  p95 {result.p95:6.1f}  "
                f"p99 {result.p99:6.1f} ms  ratio {result.ratio:4.2f}  {size / 1024:6.1f} KB  "
                f"{result.queries} queries  {result.errors} errors",
                flush=True,
            )
        memory = memory_of_workers(server.pid)
    ceiling_rate = sum(r.ceiling for r in results) / len(results)
    today = datetime.datetime.now(datetime.UTC)
    lines = [
        f"Measured by `make bench` on {today:%Y-%m-%d}: {os.cpu_count()} cores, "
        f"{database.engine}, gunicorn with {WORKERS} workers (--preload), wrk with {options.connections} "
        f"connections, {options.seconds:g} s per measurement, the ceiling (`/livez`) measured "
        f"{half['seconds']:g} s before and {half['seconds']:g} s after each; the ceiling averaged "
        f"{ceiling_rate:.0f} req/s. Sizes are as sent with gzip; query counts as the page makes them.",
        "",
        *table(results, "pages"),
        "",
        "How cost grows:",
        "",
        *table(results, "growth"),
        "",
        "Workers' memory after the run (RSS, and PSS, which splits shared pages between workers): "
        + ", ".join(f"{rss / 1024:.0f} MB RSS / {pss / 1024:.0f} MB PSS" for rss, pss in memory)
        + ".",
    ]
    text = "\n".join(lines)
    print("\n" + text)
    print(f"\nbench: done in {time.monotonic() - started:.0f} s")
    if not options.no_write:
        write_report(text)
        print(f"bench: table written to {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
