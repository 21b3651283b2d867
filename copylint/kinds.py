"""Generic rule kinds: each is instantiated from data in ``rules/*.toml``.

- ``pattern``: a regular expression with a replacement template.
- ``substitution``: a word/phrase map compiled into one scanner, with fixes.
- ``existence``: a word/phrase list compiled into one scanner, flagged without a fix.
- ``repetition``: a word written twice in a row.
- ``line``: whole lines (or paragraphs) matching a list of patterns.
"""

from __future__ import annotations

from typing import Iterable, Iterator

import regex

from copylint.document import Document, Span, Token
from copylint.engine import Diagnostic, Edit, Rule, RuleError, Settings, rule_kind


def match_case(replacement: str, original: str) -> str:
    """Give ``replacement`` the case pattern of ``original`` (lower, Title or UPPER)."""
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


@rule_kind("pattern")
class PatternRule(Rule):
    """A regex; ``replacement`` is an expansion template (``\\1``, ``\\g<name>``).

    ``message`` may use ``{match}``, ``{replacement}``, ``{length}`` (of the match),
    ``{codepoint}`` (of its first character) and named groups. With
    ``variants``, the rule's ``style`` option picks which pattern/replacement/message
    applies, so one rule can enforce either of two house styles.
    """

    fields = {"pattern": "", "replacement": None, "message": "", "ignore-case": False, "variants": {}}

    def prepare(self) -> None:
        flags = regex.VERSION1 | (regex.IGNORECASE if self.spec["ignore-case"] else 0)
        base = {key: self.spec[key] for key in ("pattern", "replacement", "message")}
        self.variants = {name: {**base, **override} for name, override in self.spec["variants"].items()}
        self.variants.setdefault("", base)
        for name, variant in self.variants.items():
            try:
                variant["compiled"] = regex.compile(variant["pattern"], flags)
            except regex.error as error:
                raise RuleError(f"{self.source}: rule {self.code} variant {name!r}: {error}") from None

    def check(self, doc: Document, settings: Settings) -> Iterator[Diagnostic]:
        variant = self.variants[self.option(settings, "style") if self.spec["variants"] else ""]
        for match in variant["compiled"].finditer(doc.text):
            replacement = match.expand(variant["replacement"]) if variant["replacement"] is not None else None
            message = variant["message"].format(
                match=match.group(), replacement=replacement, length=len(match.group()),
                codepoint=f"{ord(match.group()[0]):04X}" if match.group() else "",
                **match.groupdict(default=""),
            )
            yield self.diagnostic(match.start(), match.end(), message, replacement)


class PhraseScanner:
    """Finds listed words and phrases among a document's word tokens in one pass.

    Phrases are keyed by their words, so the cost is one dictionary lookup per token
    and phrase length, however long the list. Words in a phrase must be separated by
    spaces only.
    """

    def __init__(self, phrases: Iterable[str], case_sensitive: bool) -> None:
        self.case_sensitive = case_sensitive
        self.keys = {self._key(p.split()) for p in phrases}
        self.longest = max((len(k) for k in self.keys), default=0)

    def _key(self, words: list[str]) -> tuple[str, ...]:
        return tuple(words if self.case_sensitive else (w.lower() for w in words))

    def key_of(self, phrase: str) -> tuple[str, ...]:
        return self._key(phrase.split())

    def scan(self, doc: Document) -> Iterator[tuple[Span, tuple[str, ...]]]:
        words = doc.words
        index = 0
        while index < len(words):
            found = self._longest_at(doc, words, index)
            if found:
                length, key = found
                yield Span(words[index].start, words[index + length - 1].end), key
                index += length
            else:
                index += 1

    def _longest_at(self, doc: Document, words: list[Token], index: int) -> tuple[int, tuple[str, ...]] | None:
        for length in range(min(self.longest, len(words) - index), 0, -1):
            run = words[index : index + length]
            if not _spaced(doc.text, run):
                continue
            key = self._key([w.text for w in run])
            if key in self.keys and _whole(doc.text, run[0].start, run[-1].end):
                return length, key
        return None


def _spaced(text: str, run: list[Token]) -> bool:
    return all(text[a.end : b.start] == " " for a, b in zip(run, run[1:]))


def _whole(text: str, start: int, end: int) -> bool:
    """True when the span is not part of a longer hyphenated or dotted word."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before in "-_/." or after in "-_/" or (after == "." and text[end + 1 : end + 2].isalnum()))


@rule_kind("substitution")
class SubstitutionRule(Rule):
    """Listed words or phrases replaced by their preferred form, keeping case.

    A value that is a list gives several candidates: they become suggestions and
    the fix (to the first) is never safe.
    """

    fields = {"words": {}, "message": "", "case-sensitive": False}

    def prepare(self) -> None:
        self.scanner = PhraseScanner(self.spec["words"], self.spec["case-sensitive"])
        self.replacements = {
            self.scanner.key_of(wrong): right if isinstance(right, list) else [right]
            for wrong, right in self.spec["words"].items()
        }

    def check(self, doc: Document, settings: Settings) -> Iterator[Diagnostic]:
        for span, key in self.scanner.scan(doc):
            found = doc.text[span.start : span.end]
            candidates = tuple(match_case(c, found) for c in self.replacements[key])
            message = self.spec["message"].format(match=found, replacement=candidates[0])
            yield self.diagnostic(
                span.start, span.end, message, candidates[0], suggestions=candidates,
                applicability=None if len(candidates) == 1 else "unsafe",
            )


@rule_kind("existence")
class ExistenceRule(Rule):
    """Listed words or phrases flagged without a fix (placeholders, banned terms)."""

    fields = {"words": [], "message": "", "case-sensitive": False}

    def prepare(self) -> None:
        self.scanner = PhraseScanner(self.spec["words"], self.spec["case-sensitive"])

    def check(self, doc: Document, settings: Settings) -> Iterator[Diagnostic]:
        for span, _ in self.scanner.scan(doc):
            yield self.diagnostic(span.start, span.end, self.spec["message"].format(match=doc.text[span.start : span.end]))


@rule_kind("repetition")
class RepetitionRule(Rule):
    """A word typed twice ("the the"); the second copy is removed.

    ``exceptions`` lists legitimate doubles ("had had"). Two capitalised copies in
    mid-sentence are a name ("Duran Duran") and are left alone.
    """

    fields = {"exceptions": [], "message": ""}

    def prepare(self) -> None:
        self.exceptions = {w.lower() for w in self.spec["exceptions"]}

    def check(self, doc: Document, settings: Settings) -> Iterator[Diagnostic]:
        words = doc.words
        for first, second in zip(words, words[1:]):
            if not self._repeated(doc, first, second):
                continue
            message = self.spec["message"].format(match=second.text)
            yield self.diagnostic(first.start, second.end, message, edits=(Edit(first.end, second.end, ""),))

    def _repeated(self, doc: Document, first: Token, second: Token) -> bool:
        if first.text.lower() != second.text.lower() or first.text.lower() in self.exceptions:
            return False
        if doc.text[first.end : second.start] not in (" ", "\n", "\r\n"):
            return False
        return not (second.text[0].isupper() and first.text[0].isupper())


@rule_kind("line")
class LineRule(Rule):
    """Whole lines (``scope = "line"``) or paragraphs matching one of ``lines``.

    Each entry is a regex matched case-insensitively against the whole stripped line.
    With a fix, the fix removes the line and its line break.
    """

    fields = {"lines": [], "scope": "line", "message": "", "max-length": 200}

    def prepare(self) -> None:
        if self.spec["scope"] not in ("line", "paragraph"):
            raise RuleError(f"{self.source}: rule {self.code}: scope must be 'line' or 'paragraph'")
        alternatives = "|".join(f"(?:{line})" for line in self.spec["lines"])
        self.matcher = regex.compile(rf"(?:{alternatives})", regex.IGNORECASE | regex.VERSION1)

    def check(self, doc: Document, settings: Settings) -> Iterator[Diagnostic]:
        spans = doc.lines if self.spec["scope"] == "line" else doc.paragraphs
        for span in spans:
            stripped = _strip_span(doc.text, span)
            if not (0 < stripped.end - stripped.start <= self.spec["max-length"]):
                continue
            if self.matcher.fullmatch(doc.text, stripped.start, stripped.end):
                found = doc.text[stripped.start : stripped.end]
                edits = (_removal(doc, span),) if self.fixable else None
                yield self.diagnostic(stripped.start, stripped.end, self.spec["message"].format(match=found), edits=edits)


def _strip_span(text: str, span: Span) -> Span:
    start, end = span.start, span.end
    while start < end and text[start] in " \t\u00a0":
        start += 1
    while end > start and text[end - 1] in " \t\u00a0":
        end -= 1
    return Span(start, end)


def _removal(doc: Document, span: Span) -> Edit:
    """An edit deleting the lines of ``span``, and the blank line after them if they
    stood alone as a paragraph, so that no extra gap is left behind."""
    text = doc.text
    start = text.rfind("\n", 0, span.start) + 1
    end = _after_line_break(text, span.end)
    if start == 0 or BLANK_BEFORE.search(text, 0, start):
        while (blank := BLANK_LINE.match(text, end)) and blank.end() > end:
            end = blank.end()
    if end == len(text) and start > 0:
        # The last lines go: close the text after what precedes them, keeping a final newline.
        start = len(text[:start].rstrip())
        return Edit(start, end, doc.newline if text.endswith("\n") else "")
    return Edit(start, end, "")


BLANK_BEFORE = regex.compile(r"\n[ \t]*\r?\n$")
BLANK_LINE = regex.compile(r"[ \t]*(?:\r?\n|\Z)")


def _after_line_break(text: str, offset: int) -> int:
    line_break = text.find("\n", offset)
    return len(text) if line_break == -1 else line_break + 1
