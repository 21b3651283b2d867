"""Time ``copylint check`` over a corpus and print MB/s and peak memory.

    python bench/throughput.py [CORPUS_DIR] [--select CL1] [--concatenate] [--repeat 3] [--jobs N]
    python bench/throughput.py --in-process --select CL1 --repeat 7 [--dump-flags FLAGS.json]

CORPUS_DIR defaults to ../shared/bench/bbc_news (next to the repository) when present.
Each run is a real ``copylint check`` in a subprocess, so start-up is included; the best
of ``--repeat`` runs is reported. ``--concatenate`` joins the corpus into one large file
first (one document instead of thousands). ``--jobs`` is passed to ``copylint check``
(default: copylint's own default, the usable CPUs); peak memory is that of the largest
process, so with several workers the run as a whole holds about that much per worker.

``--in-process`` measures the rules alone: the files are read and the rules loaded
first, then each run builds every document and lints it, timed in CPU seconds (so other
processes on the machine matter less). ``--dump-flags`` writes what was flagged, as
sorted [path, code, offset, end_offset] lists, to compare two versions of the code.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "bench" / "bbc_news"


def corpus_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.txt") if p.name != "README.TXT")


def run_once(targets: list[str], select: str | None, jobs: int | None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (all its processes) and peak resident memory (MiB, of the
    largest process) of one copylint run."""
    command = [sys.executable, "-m", "copylint", "check", "--exit-zero", "--quiet", *targets]
    if select:
        command += ["--select", select]
    if jobs:
        command += ["--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    completed = subprocess.run(command, capture_output=True)
    elapsed = time.perf_counter() - start
    refused = [line for line in completed.stderr.decode(errors="replace").splitlines() if line]
    if completed.returncode not in (0, 1) and not all("not UTF-8" in line for line in refused):
        sys.exit(f"copylint failed: {completed.stderr.decode(errors='replace')}")
    for line in refused:
        print(f"  (refused, as designed: {line})")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return elapsed, cpu, max(after.ru_maxrss, before.ru_maxrss) / 1024


def lint_in_process(files: list[Path], select: str | None, repeat: int) -> tuple[float, list[list]]:
    """Best CPU seconds of ``repeat`` runs linting every file in this process, and the flags."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from copylint import markup
    from copylint.config import Config
    from copylint.document import Document, DocumentError
    from copylint.engine import Selection, lint

    config = Config()
    rules = config.rules_for(None, Selection(select=tuple(select.split(",")) if select else None))
    settings = config.settings()
    texts = [(str(p), p.read_bytes()) for p in files]
    lint(Document("Warm up."), rules, settings)  # rules compile (and load data) on first use: set-up
    best, flags = float("inf"), []
    for _ in range(repeat):
        flags = []
        start = time.process_time()
        for path, data in texts:
            try:
                doc = markup.read(Document.from_bytes(data, path), Path(path), config)
            except DocumentError:
                continue  # not UTF-8: the CLI refuses these too
            flags += [[path, d.code, d.start, d.end] for d in lint(doc, rules, settings)]
        best = min(best, time.process_time() - start)
    return best, sorted(flags)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--select", help="rule codes or prefixes, comma-separated (default: all default rules)")
    parser.add_argument("--concatenate", action="store_true", help="check the corpus as one file")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, help="worker processes for copylint check (default: copylint's default)")
    parser.add_argument("--in-process", action="store_true", help="time the rules alone, in CPU seconds")
    parser.add_argument("--dump-flags", type=Path, help="with --in-process: write the flags as JSON here")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"corpus folder not found: {args.corpus}")
    files = corpus_files(args.corpus)
    size = sum(p.stat().st_size for p in files)
    label = args.select or "all default rules"
    if args.in_process:
        seconds, flags = lint_in_process(files, args.select, args.repeat)
        if args.dump_flags:
            args.dump_flags.write_text(json.dumps(flags))
        print(f"corpus: {args.corpus} ({len(files)} files, {size / 1e6:.2f} MB), in process")
        print(f"rules: {label}; {len(flags)} flags")
        print(f"best of {args.repeat}: {seconds:.3f} CPU s  ->  {size / 1e6 / seconds:.2f} MB/s")
        return
    with tempfile.TemporaryDirectory() as scratch:
        targets = [str(args.corpus)]
        if args.concatenate:
            joined = Path(scratch, "corpus.txt")
            joined.write_bytes(b"\n\n".join(p.read_bytes().decode("utf-8", "replace").encode() for p in files))
            targets = [str(joined)]
        runs = [run_once(targets, args.select, args.jobs) for _ in range(args.repeat)]
    best, cpu = min((seconds, cpu) for seconds, cpu, _ in runs)
    peak = max(memory for _, _, memory in runs)
    print(f"corpus: {args.corpus} ({len(files)} files, {size / 1e6:.2f} MB{', concatenated' if args.concatenate else ''})")
    print(f"rules: {label}; jobs: {args.jobs or 'default'}")
    print(f"best of {args.repeat}: {best:.2f} s  ->  {size / 1e6 / best:.2f} MB/s ({cpu:.2f} CPU s), "
          f"peak memory {peak:.0f} MiB")


if __name__ == "__main__":
    main()
