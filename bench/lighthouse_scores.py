"""Lighthouse 12.2.3 on a lesson page: mobile and desktop presets, English and Chinese (#15).

``make bench`` installs Lighthouse from npm into ``bench/lighthouse/`` (its lockfile pins every
package's integrity; ``make run`` never installs it) and runs this. Chromium is Lighthouse's
``CHROME_PATH`` when set, else the one the browser tests use (``CHROMIUM_PATH``, else on ``PATH``:
bench/tools.py, exit status 1 without one), with the test suite's flags. Prints, per run, the
performance score, LCP, TBT and CLS, each beside the goal as a ratio, and the load average: the
figures are only comparable on a machine doing the same amount of other work.

The server is the app on a free port (a thread of this process, like the other benches), with the
local assets (``ASSETS_MODE=local``): this machine cannot reach the CDN, and a CDN request that
fails would be measured instead of the page. ``--runs N`` takes the median of N runs per cell.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import tools  # noqa: E402
from bench.browser_timings import live_server  # noqa: E402
from tests.browser.conftest import CHROMIUM_FLAGS  # noqa: E402

LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
VERSION = "12.2.3"
LESSON = "/lessons/hypervisors"
GOAL_SCORE = 95
# Lighthouse's own "good" thresholds.
GOAL_LCP_MS = 2500
GOAL_TBT_MS = 200
GOAL_CLS = 0.1


class LighthouseMissing(RuntimeError):
    pass


def lighthouse() -> Path:
    """The pinned Lighthouse, or a loud error saying how to get it (never a silent skip)."""
    if not LIGHTHOUSE.exists():
        raise LighthouseMissing(
            f"Lighthouse {VERSION} is not installed at {LIGHTHOUSE}: run `make bench-tools` "
            "(npm ci in bench/lighthouse; needs Node 18.20+ and npm)"
        )
    if shutil.which("node") is None:
        raise LighthouseMissing(
            f"Lighthouse {VERSION} needs Node (18.20+), which is not on PATH: install Node "
            "(Debian: apt-get install nodejs)"
        )
    found = subprocess.run(
        [str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    if found != VERSION:
        raise LighthouseMissing(f"bench/lighthouse has Lighthouse {found!r}, not {VERSION}")
    return LIGHTHOUSE


def chinese_font() -> None:
    """A Chinese reader's phone has CJK fonts; a machine without one draws every Han character
    through font fallback to a missing glyph, and measured that (a 2 s layout) instead of the
    page: 85 here without one, 93–99 with Debian's ``fonts-noto-cjk``. So the Chinese rows
    refuse to run without one rather than print a figure no reader would see."""
    listed = subprocess.run(
        ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False
    )
    if not listed.stdout.strip():
        raise LighthouseMissing(
            "no Chinese (CJK) font is installed, so the Chinese page would be measured with "
            "missing glyphs: run `make cjk-font` (Debian: apt-get install fonts-noto-cjk), or "
            "measure English only with --lang en"
        )


# Lighthouse's own "run Lighthouse again" failures, seen on a loaded machine: retried, not fatal.
TRANSIENT = ("NO_NAVSTART", "NO_FCP", "Something went wrong with recording the trace")
ATTEMPTS = 3


def measure(tool: Path, chrome: str, url: str, preset: str) -> dict[str, Any]:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return measure_once(tool, chrome, url, preset)
        except RuntimeError as error:
            if attempt == ATTEMPTS or not any(code in str(error) for code in TRANSIENT):
                raise
            print(f"    (attempt {attempt}: {str(error)[-120:].strip()}; again)", flush=True)
    raise AssertionError("unreachable")


def measure_once(tool: Path, chrome: str, url: str, preset: str) -> dict[str, Any]:
    command = [
        str(tool),
        url,
        "--only-categories=performance",
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        # A loaded machine (other engineers' test runs) is slow, not hung: give the page time.
        "--max-wait-for-load=120000",
        "--chrome-flags=" + " ".join(CHROMIUM_FLAGS),
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CHROME_PATH": chrome},
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url} ({preset}): {done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse: {report['runtimeError']}")
    audits = report["audits"]
    return {
        "score": 100 * float(report["categories"]["performance"]["score"] or 0),
        "lcp": float(audits["largest-contentful-paint"]["numericValue"]),
        "tbt": float(audits["total-blocking-time"]["numericValue"]),
        "cls": float(audits["cumulative-layout-shift"]["numericValue"]),
        "long_tasks": long_tasks(audits),
        "report": report,
    }


def long_tasks(audits: dict[str, Any], count: int = 4) -> list[str]:
    """The longest main-thread tasks (as the preset counts them) and the script each is
    charged to: where TBT comes from, so the next change can aim at it."""
    items = (audits.get("long-tasks", {}).get("details") or {}).get("items", [])
    longest = sorted(items, key=lambda item: -float(item.get("duration", 0)))[:count]
    named = [(item, str(item.get("url", "?")).split("?")[0].rsplit("/", 1)[-1]) for item in longest]
    return [
        f"{float(item['duration']):.0f} ms {name} "
        f"(at {float(item.get('startTime', 0)) / 1000:.1f} s)"
        for item, name in named
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--lesson", default=LESSON)
    parser.add_argument(
        "--tasks", action="store_true", help="also print each run's longest main-thread tasks"
    )
    parser.add_argument(
        "--preset", choices=("mobile", "desktop"), help="only this preset (default: both)"
    )
    parser.add_argument("--lang", choices=("en", "zh"), help="only this language (default: both)")
    parser.add_argument(
        "--save", type=Path, help="also write each run's Lighthouse JSON report into this folder"
    )
    args = parser.parse_args()
    chosen = os.environ.get("CHROME_PATH") or os.environ.get("CHROMIUM_PATH", "")
    chrome = tools.chromium("bench/lighthouse_scores.py", {**os.environ, "CHROMIUM_PATH": chosen})
    try:
        tool = lighthouse()
        if args.lang != "en":
            chinese_font()
    except LighthouseMissing as missing:
        print(f"ERROR: {missing}", file=sys.stderr)
        return 2
    print(f"Lighthouse {VERSION}, {args.lesson}, median of {args.runs} run(s)")
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"{'preset':<8} {'lang':<4} {'score':>12} {'LCP':>16} {'TBT':>16} {'CLS':>14}")
    met = True
    # The phone's first frame of the animation, as `make run` draws it (kept when current).
    drawn = subprocess.run(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "app",
            "tutor",
            "draw-posters",
            "--lesson",
            args.lesson.rstrip("/").rsplit("/", 1)[-1],
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if drawn.returncode != 0:
        print(f"ERROR: flask tutor draw-posters: {drawn.stderr.strip()}", file=sys.stderr)
        return 2
    with live_server(ASSETS_MODE="local") as base:
        for preset in [args.preset] if args.preset else ["mobile", "desktop"]:
            for language in [args.lang] if args.lang else ["en", "zh"]:
                url = f"{base}{args.lesson}?lang={language}"
                runs = [measure(tool, chrome, url, preset) for _ in range(args.runs)]
                figure = {
                    k: statistics.median(r[k] for r in runs) for k in ("score", "lcp", "tbt", "cls")
                }
                met &= figure["score"] >= GOAL_SCORE and figure["cls"] <= GOAL_CLS
                print(
                    f"{preset:<8} {language:<4} "
                    f"{figure['score']:>4.0f} ({figure['score'] / GOAL_SCORE:.2f}x) "
                    f"{figure['lcp'] / 1000:>5.2f} s ({figure['lcp'] / GOAL_LCP_MS:.2f}x) "
                    f"{figure['tbt']:>5.0f} ms ({figure['tbt'] / GOAL_TBT_MS:.2f}x) "
                    f"{figure['cls']:>6.3f} ({figure['cls'] / GOAL_CLS:.2f}x)",
                    flush=True,
                )
                if args.save:
                    args.save.mkdir(parents=True, exist_ok=True)
                    for number, run in enumerate(runs, 1):
                        path = args.save / f"{preset}-{language}-{number}.json"
                        path.write_text(json.dumps(run["report"]), encoding="utf-8")
                if args.tasks:
                    for run in runs:
                        print("    longest tasks: " + "; ".join(run["long_tasks"]), flush=True)
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(
        f"goals: score >= {GOAL_SCORE}, LCP <= {GOAL_LCP_MS} ms, TBT <= {GOAL_TBT_MS} ms, "
        f"CLS <= {GOAL_CLS} (ratios: figure / goal; score > 1 and the others < 1 are good)"
    )
    print("all presets meet score and CLS goals" if met else "NOT MET: see the rows above")
    return 0


if __name__ == "__main__":
    sys.exit(main())
