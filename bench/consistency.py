"""Run the consistency family (CL3xx) over the BBC news articles in shared/bench.

Prints flags per 100 articles (per rule and in all), every flag with its context so
that each can be judged, and the family's speed (ms per article, ms per 4 KB, MB/s).

Speed is the CPU time of the family's rules (each rule's check), not of the engine
around them, nor of the document structures that every family shares and that a full
`copylint check` builds once per file anyway (paragraphs, sentences, quotations,
skipped regions, the lower-cased text); those are built before the clock starts.

    python bench/consistency.py [--bench-dir ../shared/bench] [--examples N] [--style ap]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from copylint import consistency
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


def shared_structures_built(doc: Document) -> Document:
    """The document with the structures every family shares already derived."""
    doc.is_sentence_start(0), doc.in_quotation(0, 0), doc.is_skipped(0, 0), doc.position(0)
    doc.paragraph_texts, doc.folded
    return doc


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
    consistency.word_frequency("warm")
    flags, per_rule, per_article = [], Counter(), Counter()
    rule_seconds: Counter = Counter()
    size = 0
    for name, text in texts:
        doc = shared_structures_built(Document(text, name))
        for rule in rules:
            # CPU time, not wall time: other processes on a shared machine do not count.
            began = time.process_time()
            list(rule.check(doc, settings))
            rule_seconds[rule.code] += time.process_time() - began
        size += len(text.encode("utf-8"))
        for diagnostic in lint(doc, rules, settings):
            flags.append((name, doc, diagnostic))
            per_rule[diagnostic.code] += 1
            per_article[name] += 1
    count = len(texts)
    print(f"articles: {count}, {size / 1e6:.2f} MB; rules: {', '.join(r.code for r in rules)}")
    print(f"flags: {len(flags)} in {len(per_article)} articles = {100 * len(flags) / count:.2f} per 100 articles")
    for code in sorted(per_rule):
        print(f"  {code}: {per_rule[code]} ({100 * per_rule[code] / count:.2f} per 100 articles)")
    seconds = sum(rule_seconds.values())
    print(f"CPU time: {seconds:.2f} s, {1000 * seconds / count:.2f} ms per article, "
          f"{1000 * seconds / (size / 4096):.2f} ms per 4 KB, {size / 1e6 / seconds:.2f} MB/s")
    print("  per rule (ms): " + ", ".join(f"{code} {1000 * rule_seconds[code]:.0f}" for code in sorted(rule_seconds)))
    print()
    for name, doc, diagnostic in flags[: args.examples]:
        line, column = doc.position(diagnostic.start)
        print(f"{name}:{line}:{column}: {diagnostic.code} {diagnostic.message}")
        print(f"    {context(doc.text, diagnostic.start, diagnostic.end)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
