"""Suppression: disable comments, ``[sic]``, and baseline files.

- Comments: ``copylint-disable CODE[,CODE]`` ... ``copylint-enable [CODE]`` and
  ``copylint-disable-next-line CODE`` inside a comment of the file's markup (an HTML
  comment in Markdown and HTML, a ``..`` comment in reStructuredText, any comment in
  code). Markup readers mark such comments as regions of kind "directive". No codes
  means every rule; a code may be a prefix (``CL2``).
- ``[sic]`` right after a word hides spelling and grammar issues (CL2xx, CL4xx,
  LanguageTool) on that word.
- A baseline file records the issues a set of files has now, by fingerprint (code,
  flagged text and the words around it, never line numbers), so that only new ones are
  reported.

Suppressions that hide nothing are reported as info by rule CL501 (unused-suppression),
like ruff's unused-noqa: a disable comment with nothing left to hide, a code that names
no rule, an enable without a disable, a baseline entry that no longer matches.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Iterator

import regex

from copylint.document import Document, Span
from copylint.engine import Diagnostic, Rule, Settings, all_rules, rule_kind
# A directive inside a comment; readers mark comments holding one as "directive" regions.
DIRECTIVE = regex.compile(
    r"copylint-(?P<action>disable-next-line|disable|enable)\b(?P<codes>(?:[ \t]*,?[ \t]*[A-Za-z][\w:.]*)*)"
)
SIC = regex.compile(r"[ \t\u00a0]*\[sic!?\]", regex.IGNORECASE)
# [sic] vouches for the spelling and grammar of a word, nothing else.
SIC_FAMILIES = ("CL2", "CL4", "LT:")
CODE_SEPARATOR = regex.compile(r"[\s,]+")
# LanguageTool's codes (LT:EN_A_VS_AN) are not in the rule packs: known, never judged unused.
EXTERNAL_CODES = ("LT:",)
BASELINE_FORMAT = 1
CONTEXT_WORDS = 2


@rule_kind("unused-suppression")
class UnusedSuppression(Rule):
    """Reports suppressions that hide nothing; the reports come from :func:`apply_suppressions`."""

    def check(self, doc: Document, settings: Settings) -> Iterator[Diagnostic]:
        return iter(())


# -- comments and [sic] -----------------------------------------------------------------


@dataclass
class _Suppression:
    """One code (or, with code "", every rule) disabled over ``scope`` by one directive."""

    directive: Span
    code: str
    scope: Span
    used: bool = False

    def hides(self, diagnostic: Diagnostic) -> bool:
        return self.scope.start <= diagnostic.start < self.scope.end and diagnostic.code.upper().startswith(self.code)


@dataclass
class _Directives:
    """The suppressions of a document, and the directives that are wrong on their face."""

    suppressions: list[_Suppression] = field(default_factory=list)
    stray_enables: list[Span] = field(default_factory=list)


def _directives(doc: Document) -> _Directives:
    """Read the directives in the comments the markup reader marked, in order: a disable
    lasts until an enable of its code (or of everything) or the end of the file."""
    found = _Directives()
    still_open: list[_Suppression] = []
    for region in doc.skipped_regions:
        if region.kind != "directive":
            continue
        for match in DIRECTIVE.finditer(doc.text, region.start, region.end):
            span = Span(match.start(), match.end())
            codes = [c.upper() for c in CODE_SEPARATOR.split(match.group("codes")) if c] or [""]
            action = match.group("action")
            if action == "disable-next-line":
                scope = _next_line(doc, region.end)
                found.suppressions += [_Suppression(span, code, scope) for code in codes]
            elif action == "disable":
                opened = [_Suppression(span, code, Span(region.end, len(doc.text))) for code in codes]
                found.suppressions += opened
                still_open += opened
            else:
                closed = [s for s in still_open if codes == [""] or s.code in codes]
                if not closed:
                    found.stray_enables.append(span)
                for suppression in closed:
                    suppression.scope = Span(suppression.scope.start, region.start)
                    still_open.remove(suppression)
    return found


def _next_line(doc: Document, offset: int) -> Span:
    """The first line with text after the directive (reST wants a blank line after a comment)."""
    line, _ = doc.position(offset)
    following = (span for span in doc.lines[line:] if doc.text[span.start : span.end].strip())
    return next(following, Span(len(doc.text), len(doc.text)))


def _sic_words(doc: Document) -> list[Span]:
    """Each word followed by [sic], with the [sic] itself."""
    matches = list(SIC.finditer(doc.text))
    ends = [w.end for w in doc.words] if matches else []
    spans = []
    for match in matches:
        index = bisect.bisect_left(ends, match.start())
        if index < len(ends) and ends[index] == match.start():
            spans.append(Span(doc.words[index].start, match.end()))
    return spans


def apply_suppressions(doc: Document, diagnostics: list[Diagnostic], rules: Iterable[Rule]) -> list[Diagnostic]:
    """The diagnostics no comment or [sic] hides, plus CL501 reports when CL501 is among ``rules``."""
    rules = list(rules)
    found = _directives(doc)
    sic = _sic_words(doc)
    kept = []
    for diagnostic in diagnostics:
        hiding = [s for s in found.suppressions if s.hides(diagnostic)]
        for suppression in hiding:
            suppression.used = True
        if not hiding and not _hidden_by_sic(diagnostic, sic):
            kept.append(diagnostic)
    reporter = next((r for r in rules if isinstance(r, UnusedSuppression)), None)
    if reporter is not None:
        kept += _unused(found, rules, reporter)
    return kept


def _hidden_by_sic(diagnostic: Diagnostic, sic: list[Span]) -> bool:
    return diagnostic.code.upper().startswith(SIC_FAMILIES) and any(
        span.overlaps(diagnostic.start, max(diagnostic.end, diagnostic.start + 1)) for span in sic
    )


def _unused(found: _Directives, rules: list[Rule], reporter: Rule) -> Iterator[Diagnostic]:
    """Reports for directives that hid nothing. A code whose rules did not run this time
    cannot be judged and is left alone."""
    by_directive: dict[Span, list[_Suppression]] = {}
    for suppression in found.suppressions:
        by_directive.setdefault(suppression.directive, []).append(suppression)
    for span, suppressions in by_directive.items():
        unknown = [s.code for s in suppressions
                   if s.code and not s.code.startswith(EXTERNAL_CODES) and not _matches_any(s.code, all_rules())]
        unused = [s.code for s in suppressions if not s.used and s.code not in unknown
                  and (not s.code or _matches_any(s.code, rules))]
        if unknown:
            yield reporter.diagnostic(span.start, span.end, f"Suppression names no rule: {', '.join(unknown)}")
        if unused == [""]:
            yield reporter.diagnostic(span.start, span.end, "Unused suppression: nothing to suppress here")
        elif unused:
            yield reporter.diagnostic(span.start, span.end, f"Unused suppression: no {', '.join(unused)} issue here")
    for span in found.stray_enables:
        yield reporter.diagnostic(span.start, span.end, "Unused suppression: copylint-enable without a copylint-disable")


def _matches_any(code: str, rules: Iterable[Rule]) -> bool:
    """Whether the code (or prefix) names one of the rules."""
    return any(r.code.upper().startswith(code) for r in rules)


# -- baselines ------------------------------------------------------------------------------


class BaselineError(Exception):
    """A baseline file that cannot be read or written; the message is one line."""


@dataclass(frozen=True)
class Fingerprint:
    """What identifies an issue across edits elsewhere in the file: not its position."""

    path: str
    code: str
    text: str
    context: str

    def entry(self, count: int) -> dict[str, Any]:
        return {"path": self.path, "code": self.code, "text": self.text, "context": self.context, "count": count}


def _context(doc: Document, word_starts: list[int], diagnostic: Diagnostic) -> str:
    """The prose words just before and just after the flagged text, within its sentence
    (so that edits to other sentences, or to link targets, leave the fingerprint alone)."""
    first, last = _sentence_around(doc, diagnostic.start)
    words = doc.words[bisect.bisect_left(word_starts, first) : bisect.bisect_left(word_starts, last)]
    words = [w for w in words if w.end <= last and not doc.is_skipped(w.start, w.end)]
    before = [w.text for w in words if w.end <= diagnostic.start][-CONTEXT_WORDS:]
    after = [w.text for w in words if w.start >= diagnostic.end][:CONTEXT_WORDS]
    return " ".join(before) + " | " + " ".join(after)


def _sentence_around(doc: Document, offset: int) -> tuple[int, int]:
    index = doc.sentence_index(offset)
    if index >= 0 and offset <= doc.sentences[index].end:
        return doc.sentences[index].start, doc.sentences[index].end
    return offset, offset


class Baseline:
    """Issues recorded by ``--write-baseline``; ``--baseline`` hides them.

    Paths are stored relative to the baseline file's folder, so the file can be
    committed. Each ``filter`` call remembers what matched in that file; what never
    matched in a checked file (or names a file that is gone) is reported as unused.
    """

    def __init__(self, path: Path, entries: list[dict[str, Any]] | None = None) -> None:
        self.path = path
        self.root = path.resolve().parent
        self.entries = entries or []
        self._matched: dict[str, Counter[Fingerprint]] = {}

    @classmethod
    def load(cls, path: Path) -> Baseline:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = data["entries"]
            for entry in entries:
                _fingerprint_of(entry)
        except OSError as error:
            raise BaselineError(f"baseline {path}: {error.strerror}") from None
        except (ValueError, KeyError, TypeError):
            raise BaselineError(f"baseline {path}: not a copylint baseline (write one with --write-baseline)") from None
        return cls(path, entries)

    def file_key(self, name: str) -> str:
        """A checked file's name as entries store it."""
        if name.startswith("<"):
            return name
        resolved = Path(name).resolve()
        try:
            return PurePosixPath(resolved.relative_to(self.root)).as_posix()
        except ValueError:
            return resolved.as_posix()

    def fingerprints(self, doc: Document, diagnostics: list[Diagnostic]) -> list[Fingerprint]:
        key, word_starts = self.file_key(doc.path), [w.start for w in doc.words]
        return [Fingerprint(key, d.code, doc.text[d.start : d.end], _context(doc, word_starts, d)) for d in diagnostics]

    def filter(self, doc: Document, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        """The diagnostics the baseline does not hold (each entry hides ``count`` issues)."""
        key = self.file_key(doc.path)
        budget = Counter({_fingerprint_of(e): e["count"] for e in self.entries if e["path"] == key})
        matched: Counter[Fingerprint] = Counter()
        kept = []
        for diagnostic, fingerprint in zip(diagnostics, self.fingerprints(doc, diagnostics)):
            if matched[fingerprint] < budget[fingerprint]:
                matched[fingerprint] += 1
            else:
                kept.append(diagnostic)
        self._matched[key] = matched
        return kept

    def matched(self) -> dict[str, Counter[Fingerprint]]:
        """What the entries hid in each file filtered so far, by file key."""
        return self._matched

    def add_matched(self, matched: dict[str, Counter[Fingerprint]]) -> None:
        """Count what a copy of this baseline matched (in a worker process) as matched here."""
        self._matched.update(matched)

    def write(self, documents: Iterable[tuple[Document, list[Diagnostic]]]) -> int:
        """Record every issue; return the number recorded."""
        counts: Counter[Fingerprint] = Counter(
            f for doc, diagnostics in documents for f in self.fingerprints(doc, diagnostics)
        )
        self.entries = [f.entry(n) for f, n in sorted(counts.items(), key=lambda item: _sort_key(item[0]))]
        lines = ",\n".join("    " + json.dumps(e, ensure_ascii=False) for e in self.entries)
        body = f'{{\n  "copylint-baseline": {BASELINE_FORMAT},\n  "entries": [\n{lines}\n  ]\n}}\n'
        try:
            self.path.write_text(body.replace("[\n\n  ]", "[]"), encoding="utf-8")
        except OSError as error:
            raise BaselineError(f"baseline {self.path}: {error.strerror}") from None
        return sum(counts.values())

    def unused(self, reporter: Rule) -> tuple[Document, list[Diagnostic]]:
        """The baseline file and a CL501 report at each entry that hid nothing in the files
        checked (or whose file no longer exists)."""
        text = self.path.read_text(encoding="utf-8")
        doc = Document(text, str(self.path))
        diagnostics = []
        for entry in self.entries:
            checked = entry["path"] in self._matched
            if not checked and (entry["path"].startswith("<") or (self.root / entry["path"]).exists()):
                continue
            left = entry["count"] - self._matched.get(entry["path"], Counter())[_fingerprint_of(entry)]
            if left > 0:
                start, end = _entry_span(doc, entry)
                times = f" ({left} of {entry['count']})" if entry["count"] > 1 else ""
                message = (f"Unused baseline entry: {entry['code']} {entry['text']!r} in {entry['path']} "
                           f"no longer matches{times}; remove it or rewrite the baseline")
                diagnostics.append(reporter.diagnostic(start, end, message))
        return doc, diagnostics


def _fingerprint_of(entry: dict[str, Any]) -> Fingerprint:
    if not isinstance(entry["count"], int):
        raise TypeError("count")
    return Fingerprint(entry["path"], entry["code"], entry["text"], entry["context"])


def _sort_key(fingerprint: Fingerprint) -> tuple[str, ...]:
    return fingerprint.path, fingerprint.code, fingerprint.text, fingerprint.context


def _entry_span(doc: Document, entry: dict[str, Any]) -> tuple[int, int]:
    """Where an entry is written in the baseline file (one entry a line), else the start."""
    for line in doc.lines:
        written = doc.text[line.start : line.end]
        stripped = written.strip().rstrip(",")
        if _parses_to(stripped, entry):
            start = line.start + written.index(stripped)
            return start, start + len(stripped)
    return 0, 0


def _parses_to(written: str, entry: dict[str, Any]) -> bool:
    try:
        return json.loads(written) == entry
    except ValueError:
        return False
