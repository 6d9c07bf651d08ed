#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Run every bench/bench_*.py and print one table of their figures (``make bench``).

Each script runs in its own subprocess with a timeout; its stdout is scanned for
``FIGURE`` lines (format in bench/README.md, written by ``common.figure()``). A script that
is missing is simply not run; one that fails or times out is reported as such, with the
figures it printed before that.

    python3 bench/run_all.py [--timeout 900] [--only cases,vault] [--markdown out.md]
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common


def discover(only=None):
    scripts = sorted(HERE.glob("bench_*.py"))
    if only:
        wanted = {f"bench_{name.strip()}.py" for name in only.split(",") if name.strip()}
        scripts = [s for s in scripts if s.name in wanted]
    return scripts


def run_script(script, timeout, log_dir, root=common.ROOT):
    """Run one script from the checkout ``root``; returns (status, figures, seconds, log
    path). The script of another checkout (bench/compare.py) keeps its own .local."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{script.stem}.log"
    started = time.time()
    figures = []
    status = "ok"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if root != common.ROOT:
        env["VP_LOCAL_DIR"] = str(Path(root) / ".local")
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, str(script)],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            cwd=str(root),
            env=env,
            start_new_session=True,
        )
        try:
            out, _err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            out, _err = proc.communicate()
            status = f"timeout after {timeout}s"
        log.write("\n--- stdout ---\n" + (out or ""))
    for line in (out or "").splitlines():
        parsed = common.parse_figure(line)
        if parsed:
            figures.append(parsed)
    if status == "ok" and proc.returncode:
        status = f"exit {proc.returncode}"
    return status, figures, time.time() - started, log_path


def verdict(fig):
    if fig["value"] is None:
        return "n/a"
    result = common.check_target(fig["value"], fig["target"])
    return {True: "pass", False: "FAIL", None: "-"}[result]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=int, default=int(os.environ.get("BENCH_TIMEOUT", "900")))
    parser.add_argument("--only", help="comma-separated families, e.g. cases,vault")
    parser.add_argument("--markdown", help="also write the table to this file")
    args = parser.parse_args(argv)

    scripts = discover(args.only)
    if not scripts:
        print("no bench/bench_*.py scripts found: nothing to measure")
        return 0
    rows = []
    failures = 0
    script_rows = []
    for script in scripts:
        common.info(f"running {script.name} (timeout {args.timeout}s)")
        status, figures, seconds, log_path = run_script(script, args.timeout, common.BENCH_LOGS)
        script_rows.append([script.name, status, f"{seconds:.0f}s", str(log_path)])
        if status != "ok":
            failures += 1
        if not figures:
            family = script.stem.removeprefix("bench_")
            rows.append([family, "(no FIGURE lines)", "", "", "-", f"see {log_path}"])
        for fig in figures:
            result = verdict(fig)
            failures += result == "FAIL"
            value = "n/a" if fig["value"] is None else common._fmt(fig["value"])
            rows.append(
                [
                    script.stem.removeprefix("bench_"),
                    fig["name"],
                    f"{value} {fig['unit']}",
                    fig["target"] or "",
                    result,
                    fig["note"],
                ]
            )
    print()
    common.print_table(script_rows, ["script", "status", "time", "log"])
    print()
    headers = ["family", "figure", "value", "target", "result", "note"]
    common.print_table(rows, headers)
    if args.markdown:
        with open(args.markdown, "w") as fh:
            common.print_table(rows, headers, file=fh)
    print(f"\n{len(rows)} figures from {len(scripts)} scripts; {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
