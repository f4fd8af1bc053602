"""How long dhrkg takes to start, against the cost of importing rdflib, in the same run.

Prints the median wall time of five runs of each of ``dhrkg --help``, ``dhrkg query`` (a named
query on a store built from the bundled data) and ``python -c "import rdflib"``, then a last
line ``startup_ratio=<dhrkg --help / import rdflib>``. The store is built once, untimed, in a
temporary folder unless ``--store`` names one.

    python scripts/bench_startup.py [--store DIR] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
RDFLIB = 'python -c "import rdflib"'


def median_seconds(command: list[str], runs: int) -> float:
    """The median wall time of ``runs`` runs of ``command`` (each must succeed)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="A store built by `dhrkg build` (default: build one now).")
    parser.add_argument("--runs", type=int, default=5, help="Runs per command; the median is printed.")
    args = parser.parse_args()
    dhrkg = str(BIN / "dhrkg")
    with tempfile.TemporaryDirectory() as scratch:
        store = args.store or Path(scratch) / "store"
        if args.store is None:
            subprocess.run([dhrkg, "build", "--store", str(store)], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        commands = {
            "dhrkg --help": [dhrkg, "--help"],
            "dhrkg query --named stats": [dhrkg, "query", "--named", "stats", "--store", str(store)],
            RDFLIB: [sys.executable, "-c", "import rdflib"],
        }
        seconds = {name: median_seconds(command, args.runs) for name, command in commands.items()}
    for name, value in seconds.items():
        print(f"{name:<28} {value * 1000:8.0f} ms  (median of {args.runs})")
    print(f"startup_ratio={seconds['dhrkg --help'] / seconds[RDFLIB]:.2f}")


if __name__ == "__main__":
    main()
