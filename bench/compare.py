#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Before/after: the bench scripts on an older revision and on the working tree, one table.

    python3 bench/compare.py REV [--only booking,report] [--timeout 900] [--same-scripts]
    make bench-compare REV=def2be9 [ONLY=booking]

The revision is checked out in a temporary git worktree (removed afterwards) with its own
.local (private PostgreSQL cluster, filestore). Script by script, the old checkout runs
first and the working tree right after, on the same machine, so that both sides see the
same load as far as possible. The table shows every figure: old, new, new / old, target,
and the verdict of each side.

Each side runs its own bench scripts (a script follows the pages and models of its
revision); a figure one side does not print is n/a there. ``--same-scripts`` copies the
working tree's bench/ and scripts/ into the old checkout instead, so that only the addon
differs (for scripts that do not depend on what changed).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common
import run_all


def load_average():
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "n/a"


def checkout(rev, folder, same_scripts):
    subprocess.run(
        ["git", "-C", str(common.ROOT), "worktree", "add", "--detach", str(folder), rev],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    if same_scripts:
        for part in ("bench", "scripts"):
            shutil.copytree(common.ROOT / part, folder / part, dirs_exist_ok=True)


def remove_checkout(folder):
    subprocess.run(
        ["git", "-C", str(common.ROOT), "worktree", "remove", "--force", str(folder)],
        check=False,
    )
    shutil.rmtree(folder, ignore_errors=True)


def ratio(old, new):
    if old is None or new is None or not old:
        return ""
    return f"{new / old:.2f}"


def side(fig):
    """(value text, verdict) of one side's figure, or n/a when it did not print it."""
    if fig is None:
        return "n/a", "-"
    value = "n/a" if fig["value"] is None else common._fmt(fig["value"])
    return f"{value} {fig['unit']}", run_all.verdict(fig)


def compare_rows(old_figures, new_figures):
    old = {fig["name"]: fig for fig in old_figures}
    new = {fig["name"]: fig for fig in new_figures}
    names = list(new) + [name for name in old if name not in new]
    rows = []
    for name in names:
        before, after = old.get(name), new.get(name)
        old_text, old_verdict = side(before)
        new_text, new_verdict = side(after)
        target = (after or before)["target"] or ""
        rows.append(
            [
                name,
                old_text,
                new_text,
                ratio(before and before["value"], after and after["value"]),
                target,
                old_verdict,
                new_verdict,
            ]
        )
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the old revision: a commit, tag or branch")
    parser.add_argument("--only", help="comma-separated families, e.g. booking,report")
    parser.add_argument("--timeout", type=int, default=int(os.environ.get("BENCH_TIMEOUT", "900")))
    parser.add_argument(
        "--same-scripts", action="store_true", help="the working tree's scripts on both sides"
    )
    parser.add_argument("--markdown", help="also write the table to this file")
    args = parser.parse_args(argv)

    scripts = run_all.discover(args.only)
    if not scripts:
        print("no bench/bench_*.py scripts found: nothing to compare")
        return 0
    load_before = load_average()
    folder = Path(tempfile.mkdtemp(prefix="vp_bench_compare_")) / "old"
    # the user postgres must reach the old checkout's .local: else scripts/dev.py puts its
    # cluster elsewhere, where removing the checkout does not remove it
    folder.parent.chmod(0o755)
    rows, runs = [], []
    try:
        checkout(args.rev, folder, args.same_scripts)
        for script in scripts:
            old_script = folder / "bench" / script.name
            figures = {}
            for label, path, root in (
                ("old", old_script, folder),
                ("new", script, common.ROOT),
            ):
                if not path.exists():
                    runs.append([script.name, label, "missing", "", ""])
                    figures[label] = []
                    continue
                common.info(f"{label}: running {script.name} (timeout {args.timeout}s)")
                logs = common.BENCH_LOGS / "compare" / label
                status, figs, seconds, log_path = run_all.run_script(
                    path, args.timeout, logs, root=root
                )
                runs.append([script.name, label, status, f"{seconds:.0f}s", str(log_path)])
                figures[label] = figs
            rows += compare_rows(figures["old"], figures["new"])
    finally:
        remove_checkout(folder)
        shutil.rmtree(folder.parent, ignore_errors=True)
    print()
    common.print_table(runs, ["script", "side", "status", "time", "log"])
    print()
    headers = ["figure", f"old ({args.rev})", "new (working tree)", "new/old", "target"]
    headers += ["old", "new"]
    common.print_table(rows, headers)
    if args.markdown:
        with open(args.markdown, "w") as fh:
            common.print_table(rows, headers, file=fh)
    print(
        f"\nload average (1, 5, 15 min) before: {load_before}; after: {load_average()}; "
        f"{os.cpu_count()} CPUs"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
