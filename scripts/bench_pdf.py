"""Benchmark: reading full review reports (PDF), dhrkg's pipeline against pdfplumber on every page.

    python scripts/bench_pdf.py [--reports 6] [--pages 40]

Builds a corpus of SYNTHETIC reports (several layouts, 40–80 pages each), then in one run
measures pages per second for
- the baseline: pdfplumber's text on every page, then the same recommendation parser;
- dhrkg's pipeline: pypdfium2's text on every page, pdfplumber only on the pages of the
  recommendations section;
- dhrkg's pipeline over the folder with a process pool (all cores);
and checks both read identical recommendations. Target: pipeline ≥ 5x the baseline.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate_reports import write_report  # noqa: E402

from graph.extraction.pdf import read_report  # noqa: E402
from graph.ingestion.pipeline import SourceFile, _prepared  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=6)
    parser.add_argument("--pages", type=int, default=40)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    layouts = ["paragraphs", "table", "action-plan"]
    paths = [write_report(folder / f"report-{i}.pdf", layout=layouts[i % 3], seed=i,
                          pages=args.pages + (i * 13) % 41).path for i in range(args.reports)]
    import pypdfium2

    pages = sum(len(pypdfium2.PdfDocument(str(p))) for p in paths)

    def run(engine: str) -> tuple[float, list[list[tuple[object, ...]]]]:
        started = time.perf_counter()
        found = []
        for path in paths:
            result = read_report(path, path.read_bytes(), engine=engine)  # type: ignore[arg-type]
            found.append([(r.number, r.text, tuple(r.addressed_to), r.page) for r in result.recommendations])
        return time.perf_counter() - started, found

    baseline, expected = run("pdfplumber")
    pipeline, got = run("pdfium")
    started = time.perf_counter()
    pooled = list(_prepared([SourceFile(p, p.name) for p in paths], (), None, 300))
    parallel = time.perf_counter() - started
    print(f"{len(paths)} synthetic reports, {pages:,} pages, {os.cpu_count()} cores")
    print(f"baseline (pdfplumber text on every page): {pages / baseline:8.1f} pages/s")
    print(f"dhrkg pipeline, one process:              {pages / pipeline:8.1f} pages/s  ({baseline / pipeline:.1f}x)")
    print(f"dhrkg pipeline, process pool:             {pages / parallel:8.1f} pages/s  ({baseline / parallel:.1f}x)")
    print(f"identical recommendations: {got == expected} "
          f"({sum(map(len, got))} recommendations; pool failures: "
          f"{sum(1 for _, p in pooled if isinstance(p, Exception))})")
    print(f"target ≥ 5x: {'met' if baseline / pipeline >= 5 else 'MISSED'}")


if __name__ == "__main__":
    main()
