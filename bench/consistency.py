"""Run the consistency family (CL3xx) over the BBC news articles in shared/bench.

Prints flags per 100 articles (per rule and in all), every flag with its context so
that each can be judged, and the family's speed (ms per article, ms per 4 KB, MB/s).

    python bench/consistency.py [--bench-dir ../shared/bench] [--examples N] [--style ap]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import copylint.consistency  # noqa: F401 - registers the family's kinds
from copylint.document import Document
from copylint.engine import Settings, lint, load_pack, rule_pack_files

DEFAULT_BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"


def articles(folder: Path) -> list[tuple[str, str]]:
    """(name, text) of every article; the one Latin-1 file is read as Latin-1."""
    found = []
    for path in sorted(folder.glob("*/*.txt")):
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        found.append((f"{path.parent.name}/{path.name}", text))
    return found


def family_rules():
    """The consistency pack alone, so that the figures do not depend on other packs."""
    return load_pack(dict(rule_pack_files())["consistency.toml"], "consistency.toml")


def context(text: str, start: int, end: int, width: int = 50) -> str:
    before = text[max(0, start - width) : start].replace("\n", " ")
    after = text[end : end + width].replace("\n", " ")
    return f"...{before}[[{text[start:end]}]]{after}..."


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--examples", type=int, default=1000, help="flags to print (default: all)")
    parser.add_argument("--style", choices=["ap"], help="run with this house style")
    args = parser.parse_args()
    folder = args.bench_dir / "bbc_news"
    if not folder.is_dir():
        print(f"no BBC articles at {folder}; nothing to measure")
        return 0
    rules = family_rules()
    settings = Settings(values={"style": args.style})
    texts = articles(folder)
    # Warm up once: the word list and compiled patterns load on first use.
    lint(Document(texts[0][1]), rules, settings)
    flags, per_rule, per_article = [], Counter(), Counter()
    seconds, size = 0.0, 0
    for name, text in texts:
        doc = Document(text, name)
        # CPU time, not wall time: other processes on a shared machine do not count.
        began = time.process_time()
        found = lint(doc, rules, settings)
        seconds += time.process_time() - began
        size += len(text.encode("utf-8"))
        for diagnostic in found:
            flags.append((name, doc, diagnostic))
            per_rule[diagnostic.code] += 1
            per_article[name] += 1
    count = len(texts)
    print(f"articles: {count}, {size / 1e6:.2f} MB; rules: {', '.join(r.code for r in rules)}")
    print(f"flags: {len(flags)} in {len(per_article)} articles = {100 * len(flags) / count:.2f} per 100 articles")
    for code in sorted(per_rule):
        print(f"  {code}: {per_rule[code]} ({100 * per_rule[code] / count:.2f} per 100 articles)")
    print(f"CPU time: {seconds:.2f} s, {1000 * seconds / count:.2f} ms per article, "
          f"{1000 * seconds / (size / 4096):.2f} ms per 4 KB, {size / 1e6 / seconds:.2f} MB/s")
    print()
    for name, doc, diagnostic in flags[: args.examples]:
        line, column = doc.position(diagnostic.start)
        print(f"{name}:{line}:{column}: {diagnostic.code} {diagnostic.message}")
        print(f"    {context(doc.text, diagnostic.start, diagnostic.end)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
