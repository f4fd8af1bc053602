"""How much of ingest theme classification costs, on the generated corpus.

    python scripts/bench_themes.py                  # 10,000 generated reviews (about 320,000 recommendations)
    python scripts/bench_themes.py --reviews 1000

Times ``classify`` on every recommendation of ``--reviews`` generated reviews (and on the
hand-labelled development set, whose texts are longer and more varied), and, as the baseline
measured in the same run, the rest of what ingest does for a file in its worker (``prepare``:
read the page, resolve addressees, classify, summary findings, build the triples) on a sample
of the same pages. Both are given per 1,000 recommendations, with classification's share of
the per-file work: classification must never become the bottleneck of ingest. Times are CPU
time of this process (``time.process_time``), so that other work on a shared machine does not
count; run the script at two versions to compare them.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.analysis.evaluation import default_labels  # noqa: E402
from graph.enrich.themes import classify  # noqa: E402
from graph.ingestion.pipeline import prepare  # noqa: E402
from scripts.generate_corpus import generate, page_text  # noqa: E402


def _per_thousand(seconds: float, count: int) -> float:
    return 1000 * seconds / max(count, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reviews", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=300, help="pages run through prepare() for the baseline")
    args = parser.parse_args()

    classify("warm up: load the scheme and the lexicon once")
    extractions = list(generate(args.reviews))
    texts = [r.text for e in extractions for r in e.recommendations]
    start = time.process_time()
    for text in texts:
        classify(text)
    corpus_seconds = time.process_time() - start

    labelled = [json.loads(line)["text"] for line in default_labels().read_text(encoding="utf-8").splitlines()
                if line.strip()]
    start = time.process_time()
    for text in labelled:
        classify(text)
    labelled_seconds = time.process_time() - start

    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index, extraction in enumerate(extractions[:args.sample]):
            path = Path(folder) / f"page-{index:05d}.txt"
            path.write_text(page_text(extraction), encoding="utf-8")
            paths.append(path)
        prepare(paths[0], "warm-up")
        start = time.process_time()
        sample_recommendations = sum(prepare(path, path.stem).recommendations for path in paths)
        prepare_seconds = time.process_time() - start

    classify_ms = _per_thousand(corpus_seconds, len(texts)) * 1000
    prepare_ms = _per_thousand(prepare_seconds, sample_recommendations) * 1000
    print(f"generated corpus: {args.reviews:,} reviews, {len(texts):,} recommendations")
    print(f"classify, generated corpus: {corpus_seconds:.2f} s in all, {classify_ms:.0f} ms per 1,000 recommendations")
    print(f"classify, development set ({len(labelled)} texts): "
          f"{_per_thousand(labelled_seconds, len(labelled)) * 1000:.0f} ms per 1,000 recommendations")
    print(f"baseline, prepare() per file ({args.sample} pages, {sample_recommendations:,} recommendations): "
          f"{prepare_ms:.0f} ms per 1,000 recommendations")
    print(f"classification's share of the per-file work: {classify_ms / prepare_ms:.0%}")


if __name__ == "__main__":
    main()
