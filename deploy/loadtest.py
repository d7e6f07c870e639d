"""Load and fault test: simulated students and a teacher, a worker killed mid-run, then every write checked.

    python deploy/loadtest.py                  one gunicorn instance (`make serve`'s configuration)
    python deploy/loadtest.py --mode cluster   deploy/cluster: nginx, two instances, PostgreSQL; a worker
                                               and then a whole instance killed, then a rolling restart
    python deploy/loadtest.py --short          a few seconds, a few students (part of `make test`)

Each student logs in, joins the demo class, then reads lessons (marks them read), answers quiz questions
and ticks or unticks checklist items, with real form posts (CSRF token from the page, cookies kept); the
teacher reloads the class page. A request that meets a refused or reset connection, or a 502/503/504, is
sent again (every write of the site is idempotent); a write answered 2xx/3xx is acknowledged. At the end
deploy/loadtest_db.py checks the database against the acknowledged writes.

Single mode uses a throwaway SQLite file, or, when DATABASE_URL names a PostgreSQL server, a throwaway
database created on that server and dropped after. Everything listens on loopback only.
"""

import argparse
import http.client
import http.cookies
import json
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from contextlib import ExitStack, closing, suppress
from pathlib import Path

from throwaway import ThrowawayDatabase, free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
QUESTION_KEY = re.compile(r'name="question" value="([^"]+)"')
CHOICE_KEY = re.compile(r'name="choice" value="([^"]+)"')
RETRIED_STATUSES = {502, 503, 504}
ATTEMPTS_PER_REQUEST = 6


class Stats:
    """Every HTTP exchange (latency, status or connection error) and every request's final outcome."""

    def __init__(self, max_requests: int):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.server_errors = defaultdict(int)
        self.connection_errors = defaultdict(int)
        self.failures = []  # (label, what): requests that did not end as expected, even after retries
        self.connection_error_examples = []
        self.max_requests = max_requests
        self.count = 0

    def exchange(self, label: str, seconds: float, status: int | None) -> None:
        with self.lock:
            self.count += 1
            self.latencies[label].append(seconds)
            if status is None:
                self.connection_errors[label] += 1
            elif status >= 500:
                self.server_errors[label] += 1

    def failure(self, label: str, what: str) -> None:
        with self.lock:
            self.failures.append((label, what))

    @property
    def exhausted(self) -> bool:
        return self.count >= self.max_requests


class Browser:
    """One person's browser: its cookies, real form posts with the page's CSRF token, and retries."""

    def __init__(self, port: int, stats: Stats):
        self.port = port
        self.stats = stats
        self.cookies = {}

    def request(self, label: str, method: str, path: str, form: list | None = None, expect=(200,)):
        """(status, location, body) of the final answer, or None when it failed (recorded as a failure)."""
        body = urllib.parse.urlencode(form or [])
        for attempt in range(ATTEMPTS_PER_REQUEST):
            started = time.monotonic()
            try:
                status, headers, text = self._exchange(method, path, body)
            except (OSError, http.client.HTTPException) as error:
                self.stats.exchange(label, time.monotonic() - started, None)
                self.stats.connection_error_examples.append(f"{label}: {error!r}")
            else:
                self.stats.exchange(label, time.monotonic() - started, status)
                if status not in RETRIED_STATUSES:
                    if status not in expect:
                        self.stats.failure(label, f"{status} for {method} {path}")
                        return None
                    return status, headers.get("Location", ""), text
            time.sleep(0.1 * (attempt + 1))
        self.stats.failure(label, f"no answer after {ATTEMPTS_PER_REQUEST} tries: {method} {path}")
        return None

    def _exchange(self, method: str, path: str, body: str):
        origin = f"http://{HOST}:{self.port}"
        headers = {"Host": f"{HOST}:{self.port}", "Accept-Language": "en", "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if method == "POST":
            headers |= {"Origin": origin, "Referer": origin + path}
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        with closing(http.client.HTTPConnection(HOST, self.port, timeout=60)) as connection:
            connection.request(method, path, body=body if method == "POST" else None, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in http.cookies.SimpleCookie(header).items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return response.status, response.headers, text

    def post_form(self, label: str, page: str, action: str, fields: list, expect=(302,)):
        """GET the page, then POST the form with its CSRF token, as a browser does."""
        shown = self.request(f"GET {label} page", "GET", page)
        if shown is None:
            return None
        token = CSRF_TOKEN.search(shown[2])
        if token is None:
            self.stats.failure(label, f"no CSRF token in {page}")
            return None
        return self.request(
            f"POST {label}", "POST", action, [("csrfmiddlewaretoken", token[1]), *fields], expect
        )


class Student:
    def __init__(self, browser: Browser, username: str, plan: dict, acks: dict, rng: random.Random):
        self.browser, self.username, self.plan, self.acks, self.rng = browser, username, plan, acks, rng
        self.attempts = {}  # quiz module slug -> the open attempt's URL
        self.ticks = {}  # (group, item) -> the last acknowledged state, None when the last write failed

    def run(self, until: float, stop: threading.Event) -> None:
        if not log_in(self.browser, self.username, self.plan["password"]):
            return
        fields = [("code", self.plan["join_code"])]
        if self.browser.post_form("join", "/en/join/", "/en/join/", fields):
            self.acks["joins"].append([self.username, self.plan["class_id"]])
        actions = [self.read, self.read, self.answer, self.answer, self.tick]
        while time.monotonic() < until and not stop.is_set() and not self.browser.stats.exhausted:
            self.rng.choice(actions)()
        self.acks["ticks"].extend(
            [self.username, group, item, done]
            for (group, item), done in self.ticks.items()
            if done is not None
        )

    def read(self) -> None:
        lesson = self.rng.choice(self.plan["lessons"])
        if self.browser.post_form("lesson (mark read)", lesson, lesson, []):
            module_slug, lesson_slug = lesson.strip("/").split("/")[-2:]
            self.acks["reads"].append([self.username, module_slug, lesson_slug])

    def answer(self) -> None:
        slug = self.rng.choice(self.plan["quizzes"])
        if slug not in self.attempts:
            quiz = f"/en/modules/{slug}/quiz/"
            started = self.browser.post_form("quiz start", quiz, quiz, [])
            if started is None:
                return
            self.attempts[slug] = started[1]
        url = self.attempts[slug]
        shown = self.browser.request("GET quiz question", "GET", url, expect=(200, 302))
        if shown is None or shown[0] == 302:  # every question answered: the results page
            self.attempts.pop(slug)
            return
        token, question, choices = (
            CSRF_TOKEN.search(shown[2]),
            QUESTION_KEY.search(shown[2]),
            CHOICE_KEY.findall(shown[2]),
        )
        if not (token and question and choices):
            self.browser.stats.failure("POST quiz answer", f"no question form in {url}")
            return
        choice = self.rng.choice(choices)
        form = [("csrfmiddlewaretoken", token[1]), ("question", question[1]), ("choice", choice)]
        if self.browser.request("POST quiz answer", "POST", url, form, expect=(302,)):
            attempt_id = int(url.rstrip("/").split("/")[-1])
            self.acks["answers"].append([self.username, attempt_id, question[1], choice])

    def tick(self) -> None:
        group, item = self.rng.choice(self.plan["checklist"])
        done = self.rng.random() < 0.6
        # The checkbox form sends a hidden "not-done" first, then "done" when ticked.
        states = [("state", "not-done")] + ([("state", "done")] if done else [])
        posted = self.browser.post_form(
            "checklist tick", f"/en/checklist/{group}/", f"/en/checklist/{group}/{item}/", states
        )
        self.ticks[(group, item)] = done if posted else None


def log_in(browser: Browser, username: str, password: str) -> bool:
    fields = [("username", username), ("password", password)]
    return browser.post_form("log in", "/en/accounts/login/", "/en/accounts/login/", fields) is not None


def run_teacher(browser: Browser, plan: dict, until: float, stop: threading.Event) -> None:
    if not log_in(browser, plan["teacher"], plan["password"]):
        return
    while time.monotonic() < until and not stop.is_set() and not browser.stats.exhausted:
        browser.request("GET class page (teacher)", "GET", f"/en/classes/{plan['class_id']}/")
        time.sleep(0.5)


def wait_until_answers(port: int, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"loadtest: the server exited (code {process.returncode}); see its log above")
        try:
            with closing(http.client.HTTPConnection(HOST, port, timeout=2)) as connection:
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"loadtest: nothing answers on port {port}")


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def kill(pids: list[int]) -> None:
    for pid in pids:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def start(command: list, log: Path, **options) -> subprocess.Popen:
    with log.open("w") as output:
        return subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, **options)


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [BIN / "python", "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def database_script(env: dict, *args: str):
    output = subprocess.run(
        [BIN / "python", ROOT / "deploy" / "loadtest_db.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(output.stdout)


class SingleInstance:
    """`make serve`'s configuration: gunicorn straight on a loopback port, on its own database."""

    name = "single instance"

    def __init__(self, stack: ExitStack, tmp: Path, workers: int):
        self.env = production_env()
        database = ThrowawayDatabase(tmp, "datatrail_loadtest")
        stack.callback(database.drop)
        self.env.update(database.environment)
        self.database = (
            database.engine if database.engine == "SQLite" else f"PostgreSQL ({database.name}, dropped after)"
        )
        for command in (
            ["migrate", "--noinput", "-v0"],
            ["collectstatic", "--noinput", "-v0"],
            ["load_content"],
        ):
            manage(self.env, *command)
        self.port, self.pid_file = free_port(), tmp / "gunicorn.pid"
        command = [
            BIN / "gunicorn",
            "config.wsgi",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(workers),
            "--preload",
        ]
        command += ["--pid", str(self.pid_file), "--no-control-socket"]
        self.process = start(command, tmp / "gunicorn.log", cwd=ROOT, env=self.env)
        stack.callback(self._stop)
        wait_until_answers(self.port, self.process)

    def _stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def faults(self) -> list[tuple[float, str, object]]:
        return [(0.4, "SIGKILL one worker", self.kill_worker)]

    def kill_worker(self) -> str:
        victim = worker_pids(int(self.pid_file.read_text()))[0]
        kill([victim])
        return f"worker {victim}"


class Cluster:
    """deploy/cluster: nginx in front of two gunicorn instances sharing a throwaway PostgreSQL."""

    name = "cluster (nginx, 2 instances, PostgreSQL)"

    def __init__(self, stack: ExitStack, tmp: Path, workers: int):
        self.run_dir = tmp / "cluster"
        tmp.chmod(0o711)  # PostgreSQL and nginx's workers run as other users when we are root
        self.port, self.app_ports = free_port(), [free_port(), free_port()]
        cluster_env = production_env() | {
            "CLUSTER_RUN_DIR": str(self.run_dir),
            "CLUSTER_PORT": str(self.port),
            "CLUSTER_APP_PORTS": " ".join(map(str, self.app_ports)),
            "CLUSTER_PG_PORT": str(free_port()),
            "WEB_CONCURRENCY": str(workers),
        }
        # Its own process group, so a Ctrl-C meant for this test reaches the cluster only through _stop.
        self.process = start(
            [ROOT / "deploy" / "cluster"], tmp / "cluster.log", env=cluster_env, start_new_session=True
        )
        stack.callback(self._stop)
        deadline = time.monotonic() + 180
        while not (self.run_dir / "ready").exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(
                    "loadtest: the cluster did not start:\n" + (tmp / "cluster.log").read_text()[-3000:]
                )
            time.sleep(0.2)
        self.env = production_env() | dict(
            line.split("=", 1) for line in (self.run_dir / "env").read_text().splitlines() if "=" in line
        )
        self.database = "PostgreSQL (throwaway server)"
        self.log = tmp / "cluster.log"

    def problems(self) -> list[str]:
        """nginx's errors (a failed upstream, a retry), with the instances' own messages."""
        return [line for line in self.log.read_text().splitlines() if "[error]" in line or "[warn]" in line]

    def _stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)

    def master(self, index: int) -> int:
        return int((self.run_dir / f"app-{self.app_ports[index]}.pid").read_text())

    def faults(self) -> list[tuple[float, str, object]]:
        return [
            (0.25, "SIGKILL one worker", self.kill_worker),
            (0.45, "SIGKILL a whole instance (master and workers)", self.kill_instance),
            (0.7, "deploy/rolling-restart (migrate, then restart each instance)", self.rolling_restart),
        ]

    def kill_worker(self) -> str:
        victim = worker_pids(self.master(0))[0]
        kill([victim])
        return f"worker {victim} of the instance on port {self.app_ports[0]}"

    def kill_instance(self) -> str:
        master = self.master(1)
        kill([master, *worker_pids(master)])
        return f"instance on port {self.app_ports[1]} (master {master}); its supervisor starts it again"

    def rolling_restart(self) -> str:
        done = subprocess.run(
            [ROOT / "deploy" / "rolling-restart", self.run_dir], capture_output=True, text=True, timeout=120
        )
        if done.returncode != 0:
            raise RuntimeError(done.stdout + done.stderr)
        return "both instances serve new workers"


def production_env() -> dict:
    """The site's production configuration on plain-HTTP loopback, from environment variables only."""
    return os.environ | {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_TRUSTED_PROXY_COUNT": "0",
    }


def run_faults(target, started: float, duration: float, stop: threading.Event, log: list) -> None:
    for fraction, what, action in target.faults():
        if stop.wait(max(0.0, started + fraction * duration - time.monotonic())):
            return
        at = time.monotonic() - started
        try:
            log.append((at, f"{what}: {action()}", True))
        except Exception as error:  # reported as a failed check, the run goes on
            log.append((at, f"{what} failed: {error}", False))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(target, args, stats: Stats, elapsed: float, fault_log: list, acks: dict, checks: list) -> int:
    print(f"\nload test: {target.name}, {target.database}, {args.workers} gunicorn workers per instance")
    print(f"{args.clients} students and a teacher for {elapsed:.1f} s on {os.cpu_count()} cores")
    for at, what, _ok in fault_log:
        print(f"  at {at:5.1f} s  {what}")
    columns = ("requests", "p50 ms", "p95 ms", "p99 ms", "5xx", "conn err")
    print("\n" + f"{'endpoint':34}" + "".join(f"{column:>9}" for column in columns))
    for label in sorted(stats.latencies):
        times = stats.latencies[label]
        p50, p95, p99 = (1000 * percentile(times, f) for f in (0.5, 0.95, 0.99))
        print(
            f"{label:34} {len(times):9} {p50:9.0f} {p95:9.0f} {p99:9.0f} "
            f"{stats.server_errors[label]:9} {stats.connection_errors[label]:9}"
        )
    server_errors, connection_errors = (
        sum(stats.server_errors.values()),
        sum(stats.connection_errors.values()),
    )
    print(f"\nrequests: {stats.count} in {elapsed:.1f} s = {stats.count / elapsed:.0f}/s")
    print(f"5xx: {server_errors}, connection errors: {connection_errors}, ", end="")
    print(f"failed after retries: {len(stats.failures)}")
    for label, what in stats.failures[:5]:
        print(f"  {label}: {what}")
    for example in stats.connection_error_examples[:5]:
        print(f"  {example}")
    lost = sum(check["wrong"] for check in checks if check["name"].startswith("every acknowledged"))
    lost += next(check["wrong"] for check in checks if check["name"].startswith("every checklist"))
    acknowledged = ", ".join(f"{len(rows)} {kind}" for kind, rows in acks.items())
    print(f"acknowledged writes: {acknowledged}; lost: {lost}\n")

    for line in getattr(target, "problems", list)()[-8:]:
        print(f"  log: {line[:200]}")
    checks = list(checks)
    checks.append({"name": "every request ended as expected (after retries)", "passed": not stats.failures})
    if args.mode == "cluster":
        seen = server_errors + connection_errors
        checks.append({"name": "no 5xx or connection error reached a client", "passed": seen == 0})
    checks += [{"name": what, "passed": ok} for _at, what, ok in fault_log if not ok]
    for check in checks:
        detail = (
            f" ({check['wrong']} of {check['covered']}: {check['examples']})" if check.get("wrong") else ""
        )
        print(f"  {'PASS' if check['passed'] else 'FAIL'}  {check['name']}{detail}")
    failed = sum(not check["passed"] for check in checks)
    print(f"\n{len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mode", choices=["single", "cluster"], default="single")
    parser.add_argument("--short", action="store_true", help="4 students for 6 s (make test)")
    parser.add_argument("--clients", type=int, default=50, help="simulated students (default 50)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    parser.add_argument("--max-requests", type=int, default=200_000, help="stop after this many requests")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per instance (default 3)")
    args = parser.parse_args()
    if args.short:
        args.clients, args.duration = 4, 6

    with ExitStack() as stack:
        # Entered first, so removed last: after the servers have stopped.
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="datatrail-loadtest-")))
        print(f"loadtest: starting the {args.mode} target", flush=True)
        target = (Cluster if args.mode == "cluster" else SingleInstance)(stack, tmp, args.workers)
        plan = database_script(target.env, "prepare", str(args.clients))
        port = target.port

        stats, stop = Stats(args.max_requests), threading.Event()
        acks = {"reads": [], "answers": [], "ticks": [], "joins": []}
        started = time.monotonic()
        until = started + args.duration
        threads = [
            threading.Thread(
                target=Student(Browser(port, stats), name, plan, acks, random.Random(name)).run,
                args=(until, stop),
            )
            for name in plan["students"]
        ]
        threads.append(threading.Thread(target=run_teacher, args=(Browser(port, stats), plan, until, stop)))
        fault_log = []
        faults = threading.Thread(target=run_faults, args=(target, started, args.duration, stop, fault_log))
        print(f"loadtest: {args.clients} students and a teacher for {args.duration:.0f} s", flush=True)
        try:
            for thread in [*threads, faults]:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            stop.set()
            faults.join()
        elapsed = time.monotonic() - started

        acks_file = tmp / "acks.json"
        acks_file.write_text(json.dumps(acks))
        checks = database_script(target.env, "check", str(acks_file))
        return report(target, args, stats, elapsed, fault_log, acks, checks)


if __name__ == "__main__":
    sys.exit(main())
