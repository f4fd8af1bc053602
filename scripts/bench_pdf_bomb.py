"""Measure: the peak memory of reading a PDF decompression bomb, with and without the budget.

    python scripts/bench_pdf_bomb.py [--gigabytes 1] [--uses 4]

Writes a one-page PDF whose content stream inflates to ``--gigabytes`` GB (about 1 MB on
disk; with ``--uses`` > 1 the page draws it that many times as a form), then reads it in a
fresh process twice: with pdf.py's reader alone (the baseline) and through ``extract`` (the
decompression check and the memory limit of :mod:`graph.extraction.pdf_budget`). Prints each
outcome and the peak resident memory of the process.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

READ = """
import resource, sys
from pathlib import Path
path = Path(sys.argv[1])
try:
    if sys.argv[2] == "baseline":
        from graph.extraction.pdf import read_report
        read_report(path, path.read_bytes())
        outcome = "read"
    else:
        from graph import extract
        extract(path)
        outcome = "read"
except Exception as err:
    outcome = str(err)[:160]
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(f"{sys.argv[2]:>9}: peak {peak / 2**20:6.2f} GiB; {outcome}")
"""


def bomb(gigabytes: float, uses: int) -> bytes:
    """A valid one-page PDF whose content (a form drawn ``uses`` times) inflates to ``gigabytes`` GB."""
    packer = zlib.compressobj(9)
    chunk = b"0 0 m " * (2**20 // 6)
    body = b"".join(packer.compress(chunk) for _ in range(int(gigabytes * 1024))) + packer.flush()
    draws = b" ".join(b"/F1 Do" for _ in range(uses))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(draws) + draws + b"\nendstream",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Filter /FlateDecode /Length %d >>\nstream\n" % len(body)
        + body + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gigabytes", type=float, default=1.0)
    parser.add_argument("--uses", type=int, default=1)
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp()) / "bomb.pdf"
    path.write_bytes(bomb(args.gigabytes, args.uses))
    print(f"{path.stat().st_size / 1e6:.1f} MB on disk, content inflating to {args.gigabytes:g} GB, drawn {args.uses}x")
    for mode in ("baseline", "budgeted"):
        done = subprocess.run([sys.executable, "-c", READ, str(path), mode], capture_output=True, text=True)
        print(done.stdout.strip() or f"{mode:>9}: the process died ({done.returncode}) {done.stderr.strip()[-200:]}")


if __name__ == "__main__":
    main()
