"""`make lighthouse`: Lighthouse 12.8.2 (from the npm registry, run with npx, never committed) in the
system's Chromium against the production configuration, on the home page, a lesson, a quiz question, a
checklist platform and the class page of 40 students, in English and Arabic. Prints each category's
score and writes the table to docs/performance.md. Every score must be at least 95: exits 1 otherwise.

    python deploy/lighthouse.py [--no-write]
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import Browser, seeded_server, write_report  # noqa: E402

LIGHTHOUSE = "lighthouse@12.8.2"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGET = 95
START, END = "<!-- lighthouse:start -->", "<!-- lighthouse:end -->"


def audit(url: str, cookie: str | None) -> dict[str, int]:
    command = [
        "npx",
        "--yes",
        LIGHTHOUSE,
        url,
        "--quiet",
        "--output=json",
        "--output-path=stdout",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    environment = {**os.environ, "CHROME_PATH": CHROMIUM}
    for _attempt in range(3):  # a headless Chromium that fails to start, or a trace it drops, is tried again
        result = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=240)
        if result.returncode == 0:
            break
    else:
        raise RuntimeError(f"lighthouse failed on {url}: {result.stderr.strip()[-2000:]}")
    report = json.loads(result.stdout)
    return {name: round(100 * report["categories"][name]["score"]) for name in CATEGORIES}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    options = parser.parse_args()
    rows, failures = [], []
    with seeded_server(Path(tempfile.mkdtemp(prefix="datatrail-lighthouse-"))) as server:
        data = server.data
        cookies = {}
        for role in ("student", "teacher"):
            browser = Browser(server.port).log_in(data[role], data["password"])
            cookies[role] = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
        group = "/".join(data["item"].split("/")[:2])  # checklist/<platform>
        pages = [
            ("home page", "", None),
            ("lesson", data["lesson"], None),
            ("quiz question", data["attempt"], "student"),
            ("checklist platform", f"{group}/", None),
            ("class page, 40 students", f"classes/{data['classes']['40']}/", "teacher"),
            ("simulator", "simulator/", None),
        ]
        for lang in ("en", "ar"):
            for name, path, role in pages:
                url = f"http://127.0.0.1:{server.port}/{lang}/{path}"
                scores = audit(url, cookies.get(role))
                rows.append((f"{name} ({lang})", scores))
                failures += [f"{name} ({lang}): {c} {s}" for c, s in scores.items() if s < TARGET]
                print(
                    f"{name + ' (' + lang + ')':32} " + "  ".join(f"{c} {s}" for c, s in scores.items()),
                    flush=True,
                )
    today = datetime.datetime.now(datetime.UTC)
    lines = [
        f"Lighthouse 12.8.2 by `make lighthouse` on {today:%Y-%m-%d} (Chromium, mobile emulation, simulated "
        "throttling), against gunicorn with the production settings:",
        "",
        "| Page | " + " | ".join(c.replace("-", " ").capitalize() for c in CATEGORIES) + " |",
        "|---|" + "---:|" * len(CATEGORIES),
        *(f"| {name} | " + " | ".join(str(scores[c]) for c in CATEGORIES) + " |" for name, scores in rows),
    ]
    text = "\n".join(lines)
    print("\n" + text)
    if not options.no_write:
        write_report(text, START, END)
    if failures:
        print("lighthouse: below 95: " + "; ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
