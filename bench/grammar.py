"""Measure the grammar pack (CL4xx): precision on clean news, recall on learner English, speed.

    python bench/grammar.py [--bbc DIR] [--jfleg FILE] [--select CL4] [--show-jfleg N] [--show-missed N]

- BBC (clean, professionally edited news): every flag is listed with its context, and
  the rate is given as flags per 20,000 words (target: at most 1 for the whole pack).
- JFLEG dev (learner sentences with four human corrections each): the share of
  sentences where the pack flags a span that at least one correction edits. JFLEG is
  tokenised ("do n't", "it 's"), so sources and corrections are detokenised the same way
  before linting and aligning.
- Speed: MB/s of linting the BBC texts with the selected rules (the document set-up they
  need included; file reading, the word count for the rate above and process start-up
  excluded): the best of three passes, and the first pass, which also compiles what the
  rules compile on first use.

The data lives outside the repository (../shared/bench); nothing of it is copied here.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import time
from collections import Counter
from pathlib import Path

from copylint.document import Document
from copylint.engine import Selection, lint, select_rules

SHARED = Path(__file__).resolve().parents[2] / "shared" / "bench"
WORDS_PER_UNIT = 20_000
PASSES = 3
TOKEN = re.compile(r"\w+(?:'\w+)*|[^\w\s]")


def grammar_rules(prefix: str) -> list:
    return select_rules([Selection(select=(prefix,))])


def read_article(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")  # one BBC file holds a single Latin-1 pound sign


def lint_all(folder: Path, texts: list[tuple[Path, str]], rules: list) -> tuple[float, list]:
    """Seconds spent making and linting each document, and the (document, diagnostic) pairs."""
    elapsed, flags = 0.0, []
    for path, text in texts:
        started = time.perf_counter()
        doc = Document(text, str(path.relative_to(folder)))
        found = lint(doc, rules)
        elapsed += time.perf_counter() - started
        flags += [(doc, d) for d in found]
    return elapsed, flags


def bench_bbc(folder: Path, rules: list) -> None:
    paths = sorted(p for p in folder.rglob("*.txt") if p.name != "README.TXT")
    texts = [(p, read_article(p)) for p in paths]
    first, flags = lint_all(folder, texts, rules)
    best = min([first] + [lint_all(folder, texts, rules)[0] for _ in range(PASSES - 1)])
    words = sum(len(Document(text).words) for _, text in texts)
    size = sum(len(text.encode("utf-8")) for _, text in texts)
    print(f"BBC: {len(texts)} articles, {words} words, {size / 1e6:.2f} MB")
    print(f"BBC: {len(flags)} flags = {len(flags) * WORDS_PER_UNIT / words:.2f} per {WORDS_PER_UNIT:,} words")
    print(f"speed: {size / 1e6 / best:.2f} MB/s ({best:.2f} s for {len(rules)} rules, best of {PASSES} passes; "
          f"first pass {size / 1e6 / first:.2f} MB/s)")
    for doc, d in flags:
        line, column = doc.position(d.start)
        context = doc.text[max(0, d.start - 50) : d.end + 50].replace("\n", " ")
        print(f"  {doc.path}:{line}:{column} {d.code} {doc.text[d.start:d.end]!r}: {d.message}\n      ...{context}...")


def detokenise(sentence: str) -> str:
    text = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", sentence.strip(), flags=re.IGNORECASE)
    text = re.sub(r" ([,.;:!?%)\]])", r"\1", text)
    return re.sub(r"([(\[$]) ", r"\1", text)


def edited_spans(source: str, reference: str) -> list[tuple[int, int]]:
    """Character spans of ``source`` that ``reference`` changes; an insertion counts as
    touching the tokens on either side of it."""
    tokens = list(TOKEN.finditer(source))
    wanted = [m.group().lower() for m in TOKEN.finditer(reference)]
    matcher = difflib.SequenceMatcher(None, [m.group().lower() for m in tokens], wanted, autojunk=False)
    spans = []
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag == "equal" or not tokens:
            continue
        first, last = (i1, i2 - 1) if i2 > i1 else (max(i1 - 1, 0), min(i1, len(tokens) - 1))
        spans.append((tokens[first].start(), tokens[last].end()))
    return spans


def bench_jfleg(path: Path, rules: list, show: int, show_missed: int) -> None:
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    hit_sentences = flagged_sentences = flags = hits = 0
    by_rule: Counter[str] = Counter()
    misses, missed_sentences = [], []
    for record in records:
        source = detokenise(record["source"])
        spans = [s for ref in record["refs"] for s in edited_spans(source, detokenise(ref))]
        found = lint(Document(source), rules)
        flags += len(found)
        flagged_sentences += bool(found)
        good = [d for d in found if any(d.start < end and start < d.end for start, end in spans)]
        hits += len(good)
        hit_sentences += bool(good)
        by_rule.update(d.code for d in good)
        misses += [(source, d) for d in found if d not in good]
        if not good:
            missed_sentences.append((source, detokenise(record["refs"][0])))
    total = len(records)
    print(f"JFLEG {path.name}: {total} sentences; the pack flags an edited span in {hit_sentences} "
          f"({100 * hit_sentences / total:.1f}%)")
    print(f"JFLEG: {flags} flags in {flagged_sentences} sentences; {hits} on an edited span "
          f"({100 * hits / max(flags, 1):.0f}%)")
    print("JFLEG hits by rule: " + ", ".join(f"{code} {n}" for code, n in sorted(by_rule.items())))
    for source, d in misses[:show]:
        print(f"  not edited by any reference: {d.code} {source[d.start:d.end]!r} in {source!r}")
    for source, reference in missed_sentences[:show_missed]:
        print(f"  missed: {source!r}\n      one correction: {reference!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bbc", type=Path, default=SHARED / "bbc_news")
    parser.add_argument("--jfleg", type=Path, default=SHARED / "jfleg" / "dev.jsonl")
    parser.add_argument("--select", default="CL4", help="rule code prefix to measure (default: CL4)")
    parser.add_argument("--show-jfleg", type=int, default=20, help="JFLEG flags on unedited spans to list")
    parser.add_argument("--show-missed", type=int, default=0, help="JFLEG sentences without a hit to list")
    args = parser.parse_args()
    rules = grammar_rules(args.select)
    bench_bbc(args.bbc, rules)
    bench_jfleg(args.jfleg, rules, args.show_jfleg, args.show_missed)


if __name__ == "__main__":
    main()
