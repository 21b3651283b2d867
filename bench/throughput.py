"""Time ``copylint check`` over a corpus and print MB/s and peak memory.

    python bench/throughput.py [CORPUS_DIR] [--select CL1] [--concatenate] [--repeat 3]

CORPUS_DIR defaults to ../shared/bench/bbc_news (next to the repository) when present.
Each run is a real ``copylint check`` in a subprocess, so start-up is included; the best
of ``--repeat`` runs is reported. ``--concatenate`` joins the corpus into one large file
first (one document instead of thousands).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "bench" / "bbc_news"


def corpus_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.txt") if p.name != "README.TXT")


def run_once(targets: list[str], select: str | None) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one copylint run."""
    command = [sys.executable, "-m", "copylint", "check", "--exit-zero", "--quiet", *targets]
    if select:
        command += ["--select", select]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    completed = subprocess.run(command, capture_output=True)
    elapsed = time.perf_counter() - start
    refused = [line for line in completed.stderr.decode(errors="replace").splitlines() if line]
    if completed.returncode not in (0, 1) and not all("not UTF-8" in line for line in refused):
        sys.exit(f"copylint failed: {completed.stderr.decode(errors='replace')}")
    for line in refused:
        print(f"  (refused, as designed: {line})")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--select", help="rule codes or prefixes (default: all default rules)")
    parser.add_argument("--concatenate", action="store_true", help="check the corpus as one file")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"corpus folder not found: {args.corpus}")
    files = corpus_files(args.corpus)
    size = sum(p.stat().st_size for p in files)
    with tempfile.TemporaryDirectory() as scratch:
        targets = [str(args.corpus)]
        if args.concatenate:
            joined = Path(scratch, "corpus.txt")
            joined.write_bytes(b"\n\n".join(p.read_bytes().decode("utf-8", "replace").encode() for p in files))
            targets = [str(joined)]
        runs = [run_once(targets, args.select) for _ in range(args.repeat)]
    best = min(seconds for seconds, _ in runs)
    peak = max(memory for _, memory in runs)
    label = args.select or "all default rules"
    print(f"corpus: {args.corpus} ({len(files)} files, {size / 1e6:.2f} MB{', concatenated' if args.concatenate else ''})")
    print(f"rules: {label}")
    print(f"best of {args.repeat}: {best:.2f} s  ->  {size / 1e6 / best:.2f} MB/s, peak memory {peak:.0f} MiB")


if __name__ == "__main__":
    main()
