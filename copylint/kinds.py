"""Generic rule kinds: each is instantiated from data in ``rules/*.toml``.

- ``pattern``: a regular expression with a replacement template.
- ``substitution``: a word/phrase map compiled into one scanner, with fixes.
- ``existence``: a word/phrase list compiled into one scanner, flagged without a fix.
- ``repetition``: a word written twice in a row.
- ``line``: whole lines (or paragraphs) matching a list of patterns.
"""

from __future__ import annotations

import bisect
import re
from functools import cached_property
from typing import Iterable, Iterator

import regex

from copylint.document import Document, Region, Span
from copylint.engine import Diagnostic, Edit, Rule, RuleError, Settings, rule_kind


QUOTE_LIMIT = 60  # characters of document text a message quotes; longer text is cut short
# Added to the message of a removal that would delete markup too (emphasis marks, a tag,
# a link target): the engine withdraws such fixes, so the message says why there is none.
MARKUP_KEPT = " (not fixed: it holds markup; delete it by hand)"


def quoted(text: str) -> str:
    """Document text for a message: on one line, and cut short (at a space, when one is
    not too far back) when long."""
    text = " ".join(text.split())
    if len(text) <= QUOTE_LIMIT:
        return text
    head = text[: QUOTE_LIMIT - 1]
    space = head.rfind(" ")
    return (head[:space] if space > QUOTE_LIMIT // 2 else head).rstrip() + "…"


def removal_or_note(doc: Document, removal: Edit, message: str) -> tuple[tuple[Edit, ...] | None, str]:
    """The edits and message of a diagnostic that removes text: the removal as its fix, or,
    when it would delete markup too (which the engine never allows), no fix and a message
    that says why."""
    if doc.edits_markup(removal.start, removal.end):
        return None, message + MARKUP_KEPT
    return (removal,), message


SIBILANT_END = regex.compile(r"(?:s|x|z|ch|sh)$")


def regular_plural(noun: str) -> str:
    """The plural a regular noun takes ("retailer", "tax", "city"): the grammar pack's
    plurals of its count nouns, and the spelling family's regularised slips ("childs")."""
    if SIBILANT_END.search(noun):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in ("", "a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    return noun + "s"


def match_case(replacement: str, original: str) -> str:
    """Give ``replacement`` the case pattern of ``original`` (lower, Title or UPPER)."""
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


@rule_kind("pattern")
class PatternRule(Rule):
    """A regex (or a list of them); ``replacement`` is an expansion template (``\\1``,
    ``\\g<name>``).

    A group named ``target`` narrows the diagnostic and its fix to that part of the
    match. That lets a pattern begin with its rarest character and look behind for
    the rest, which is what makes scanning fast: the engine skips ahead to that
    character instead of trying every position. When a group named ``unsafe`` takes
    part in a match, that match's fix is unsafe.

    ``message`` may use ``{match}`` (the flagged text), ``{replacement}``,
    ``{length}`` (of the flagged text), ``{codepoint}`` (of its first character) and
    named groups. ``requires`` (optional) lists strings of which the text holds one
    wherever the pattern matches (lookarounds included): a text without any is skipped.
    With ``variants``, the rule's ``style`` option picks which
    pattern/replacement/message applies, so one rule can enforce either of two house
    styles.
    """

    fields = {"pattern": "", "replacement": None, "message": "", "ignore-case": False, "variants": {},
              "requires": []}

    def prepare(self) -> None:
        base = {key: self.spec[key] for key in ("pattern", "replacement", "message")}
        self.variants = {name: {**base, **override} for name, override in self.spec["variants"].items()} or {"": base}
        # Each required string with its characters other than the space: Python finds a
        # lone character with a memchr-like scan, many times faster than a string that
        # starts with a space (" ,"), so a text without "$" (or a tab) skips "$ " (or
        # "\t,") almost for free.
        self.required = [(literal, frozenset(literal) - {" "}) for literal in self.spec["requires"]]
        self.required_chars = frozenset().union(*(chars for _, chars in self.required))

    def option_error(self, key: str, value: object) -> str | None:
        if key == "style" and self.spec["variants"] and value not in self.spec["variants"]:
            return f"rule {self.code} option 'style' must be one of {', '.join(map(repr, self.spec['variants']))}"
        return super().option_error(key, value)

    def check(self, doc: Document, settings: Settings) -> Iterator[Diagnostic]:
        # ``requires`` lists strings of which every match holds at least one. Looking for
        # them (their rarer characters first) is a plain substring search, many times
        # faster than any regex, so clean text (where they rarely occur) skips the pattern.
        if self.required and not self._may_match(doc.text):
            return
        name = self.option(settings, "style") if self.spec["variants"] else ""
        variant = self.variants[name]
        for pattern in self._compiled(name):
            for match in pattern.finditer(doc.text):
                yield self._diagnostic(match, variant)

    def _compiled(self, name: str) -> list[regex.Pattern]:
        """The variant's patterns, compiled when a text first gets past ``requires``: together
        the mechanical rules' patterns take milliseconds, and most texts need few of them."""
        variant = self.variants[name]
        if "compiled" not in variant:
            flags = regex.VERSION1 | (regex.IGNORECASE if self.spec["ignore-case"] else 0)
            patterns = variant["pattern"] if isinstance(variant["pattern"], list) else [variant["pattern"]]
            try:
                variant["compiled"] = [regex.compile(p, flags) for p in patterns]
            except regex.error as error:
                raise RuleError(f"{self.source}: rule {self.code} {name or 'pattern'}: {error}") from None
        return variant["compiled"]

    def _may_match(self, text: str) -> bool:
        """True when the text holds one of the strings every match requires."""
        present = {char for char in self.required_chars if char in text}
        candidates = [literal for literal, chars in self.required if chars <= present]
        return any(map(text.__contains__, candidates))

    def _diagnostic(self, match: regex.Match, variant: dict) -> Diagnostic:
        target = "target" if "target" in match.re.groupindex and match.start("target") >= 0 else 0
        start, end = match.span(target)
        flagged = match.group(target)
        replacement = match.expand(variant["replacement"]) if variant["replacement"] is not None else None
        message = variant["message"].format(
            **match.groupdict(default=""), match=flagged, replacement=replacement, length=len(flagged),
            codepoint=f"{ord(flagged[0]):04X}" if flagged else "",
        )
        doubtful = "unsafe" in match.re.groupindex and match.start("unsafe") >= 0
        return self.diagnostic(start, end, message, replacement, applicability="unsafe" if doubtful else None)


SHORT_LIST = 32


class PhraseScanner:
    """Finds listed words and phrases in a document with one compiled regex.

    The list is turned into a trie-shaped pattern (shared prefixes merged), so the
    scan costs about the same for ten phrases as for ten thousand. Words in a phrase
    match any run of spaces; a match must not be part of a longer word, hyphenated
    compound, path or dotted name.
    """

    def __init__(self, phrases: Iterable[str], case_sensitive: bool) -> None:
        self.case_sensitive = case_sensitive
        self.keys = sorted({self.key_of(p) for p in phrases})
        # For a short list, the phrases' first words are looked for with plain substring
        # searches first: far cheaper than the regex (or compiling it), and clean text
        # rarely holds them.
        self.first_words = {key.split(" ")[0] for key in self.keys} if len(self.keys) <= SHORT_LIST else None

    @cached_property
    def pattern(self) -> regex.Pattern:
        flags = regex.VERSION1 | (0 if self.case_sensitive else regex.IGNORECASE)
        body = _trie_pattern(self.keys) if self.keys else "(?!)"
        return regex.compile(rf"(?:{body})(?![\w'’\-/]|\.\w)", flags)

    def key_of(self, phrase: str) -> str:
        """The form phrases are looked up by: single-spaced, lower case unless case-sensitive."""
        key = " ".join(phrase.split())
        return key if self.case_sensitive else key.lower()

    def scan(self, doc: Document) -> Iterator[tuple[Span, str]]:
        text = doc.text
        if self.first_words is not None:
            haystack = text if self.case_sensitive else doc.folded
            if not any(map(haystack.__contains__, self.first_words)):
                return
        for match in self.pattern.finditer(text):
            # Checked here rather than by a lookbehind at the start of the pattern, which
            # would stop the regex engine from skipping ahead to likely first letters.
            if match.start() and _is_word_part(text[match.start() - 1]):
                continue
            yield Span(match.start(), match.end()), self.key_of(match.group())


def _is_word_part(char: str) -> bool:
    return char.isalnum() or char in "_'’-/."


def _trie_pattern(keys: list[str]) -> str:
    """A regex alternation of ``keys`` with common prefixes factored out."""
    trie: dict = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: dict) -> str:
    """The pattern for one trie node: its branches, optional when a key ends here."""
    branches = [
        ("[ ]+" if char == " " else regex.escape(char)) + _node_pattern(child)
        for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    alternation = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{alternation})?" if "" in node else alternation


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
    mid-sentence are a name ("Duran Duran"), and a lower-case word before its capitalised
    copy is a title before a name ("the law lord Lord Bingham"): both are left alone.
    """

    fields = {"exceptions": [], "message": ""}
    # Run on the lower-cased text, so that "The the" matches with a plain backreference
    # (a case-insensitive one is several times slower). Starting at the space before the
    # word, rather than at a word boundary, lets the engine skip ahead quickly, and the
    # possessive \w++ stops it retrying shorter prefixes of every word.
    DOUBLED = re.compile(r"[ \n(“\"](\w++)(?: |\r?\n)\1(?![\w'’-])")

    def prepare(self) -> None:
        self.exceptions = {w.lower() for w in self.spec["exceptions"]}

    def check(self, doc: Document, settings: Settings) -> Iterator[Diagnostic]:
        # The leading space lets the text's first word match like any other; offsets
        # into the padded text are one more than offsets into the document.
        for match in self.DOUBLED.finditer(" " + doc.folded):
            start, first_end, end = match.start(1) - 1, match.end(1) - 1, match.end() - 1
            first, second = doc.text[start:first_end], doc.text[end - (first_end - start) : end]
            if not first.isalpha() or first.lower() in self.exceptions or second[0].isupper() or \
                    _thrice(doc.folded, start, end, first.lower()) or not _english_word(first.lower()):
                continue  # "Duran Duran", "lord Lord Bingham", a chant, another language's "boda boda"
            message = self.spec["message"].format(match=second)
            yield self.diagnostic(start, end, message, edits=(Edit(first_end, end, ""),))


REPEAT_MARKS = ".,!?;:\"“”'’"


def _english_word(word: str) -> bool:
    """Whether the spelling family accepts ``word`` as English: doubling a word it does not
    is how many languages make words ("boda boda", "piki piki", "mahi mahi"), not a slip.
    The short words most often doubled by mistake ("the the", "of of") are taken as
    English without loading the lexicon, which this mechanical rule otherwise borrows."""
    if len(word) < 4:
        return True
    from copylint.spelling import default_speller  # the lexicon loads only for a longer doubled word

    return default_speller().acceptable(word, None)


def _thrice(folded: str, start: int, end: int, word: str) -> bool:
    """Whether the doubled word at ``[start, end)`` of the lower-cased text is part of a
    run of three or more ("bla bla bla", "shame, shame, shame"), which is meant."""
    reach = len(word) + 3  # the word and the marks and space around it
    before = folded[max(start - reach, 0):start].split()
    after = folded[end:end + reach].split()
    return any(words and words[index].strip(REPEAT_MARKS) == word for words, index in ((before, -1), (after, 0)))


LINE_SCANNERS = 8  # scans for some of a line rule's entries, kept for the texts to come


@rule_kind("line")
class LineRule(Rule):
    """Whole lines (``scope = "line"``) or paragraphs matching one of ``lines``.

    Each entry is a regex matched case-insensitively against the whole stripped line.
    With a fix, the fix removes the line and its line break.
    """

    reports_whole_units = True
    fields = {"lines": [], "scope": "line", "message": "", "max-length": 200}

    def prepare(self) -> None:
        if self.spec["scope"] not in ("line", "paragraph"):
            raise RuleError(f"{self.source}: rule {self.code}: scope must be 'line' or 'paragraph'")
        # A long case-insensitive list takes ten milliseconds to compile, more than checking
        # an article. The line scope compiles only the entries that the text's short lines
        # may start with (see _line_scanner); the whole list is compiled when first needed,
        # for paragraphs or the prose blocks of HTML.
        if self.spec["scope"] == "line":
            self.entry_starts = [literal_starts(line) for line in self.spec["lines"]]
            self.line_scanners: dict[tuple[int, ...], regex.Pattern] = {}

    @cached_property
    def block_matcher(self) -> regex.Pattern:
        """Matches a whole paragraph or prose block (with ``fullmatch``)."""
        alternatives = "|".join(f"(?:{line})" for line in self.spec["lines"])
        return regex.compile(rf"(?:{alternatives})", regex.IGNORECASE | regex.DOTALL | regex.VERSION1)

    def _line_scanner(self, text: str) -> regex.Pattern | None:
        """One multi-line scan for the entries that may match a line of the text short enough
        to report (None when there are none), which finds all the lines without a Python
        loop per line. An entry that cannot match a line leaves the scan's other matches
        as they were, and the lines too long to report are dropped after the scan anyway."""
        heads = []
        for line in text.split("\n"):  # where the scan's ^ and $ see lines
            head = line.lstrip(" \t\u00a0")
            if 0 < len(head.rstrip(" \t\u00a0\r")) <= self.spec["max-length"]:
                heads.append(head)
        # An ASCII line opens with a literal exactly when its lower case starts with it: one
        # C call per line and entry; only lines with other characters need may_start_with.
        lowered = [head.lower() for head in heads if head.isascii()]
        others = [head for head in heads if not head.isascii()]
        entries = tuple(i for i, starts in enumerate(self.entry_starts)
                        if starts is None or any(head.startswith(starts) for head in lowered)
                        or any(may_start_with(head, start) for head in others for start in starts))
        if not entries:
            return None
        if entries not in self.line_scanners and len(self.line_scanners) >= LINE_SCANNERS:
            entries = tuple(range(len(self.entry_starts)))  # many texts needing other entries: one scan for all
        if entries not in self.line_scanners:
            alternatives = "|".join(f"(?:{self.spec['lines'][i]})" for i in entries)
            self.line_scanners[entries] = regex.compile(
                rf"^[ \t\u00a0]*(?P<target>{alternatives})[ \t\u00a0]*\r?$",
                regex.IGNORECASE | regex.MULTILINE | regex.VERSION1,
            )
        return self.line_scanners[entries]

    def check(self, doc: Document, settings: Settings) -> Iterator[Diagnostic]:
        for span in self._matching(doc):
            if 0 < span.end - span.start <= self.spec["max-length"]:
                message = self.spec["message"].format(match=quoted(doc.text[span.start : span.end]))
                edits = None
                if self.fixable:
                    edits, message = removal_or_note(doc, _removal(doc, span), message)
                yield self.diagnostic(span.start, span.end, message, edits=edits)

    def _matching(self, doc: Document) -> Iterator[Span]:
        if self.spec["scope"] == "paragraph":
            yield from self._matching_blocks(doc)
            return
        scanner = self._line_scanner(doc.text)
        lines = list(_lines_matching(scanner, doc.text)) if scanner else []
        yield from lines
        if doc.reader is not None:  # in markup a line of chrome may sit inside a tag: "<p>Share this</p>"
            yield from (block for block in self._matching_blocks(doc) if block not in lines)

    def _matching_blocks(self, doc: Document) -> Iterator[Span]:
        skipped = doc.skipped_regions
        starts = [region.start for region in skipped]
        for paragraph in doc.paragraphs:
            stripped = _strip_span(doc.text, paragraph)
            if self.block_matcher.fullmatch(doc.text, stripped.start, stripped.end) or \
                    self.block_matcher.fullmatch(_prose(doc.text, stripped, skipped, starts)):
                yield stripped


def _lines_matching(scanner: regex.Pattern, text: str) -> Iterator[Span]:
    """The targets of a line scanner's matches, each within one line: a negated class in
    an entry ("[^.,;]") also matches a line break, and must not take the next paragraph
    ("Click here to read more", then "The lira fell.") as part of the line."""
    position = 0
    while position <= len(text) and (match := scanner.search(text, position)):
        line_end = text.find("\n", match.start())
        line_end = len(text) if line_end == -1 else line_end
        if match.end() > line_end:
            match = scanner.match(text, match.start(), line_end)
        if match:
            yield Span(*match.span("target"))
        position = line_end + 1


def _prose(text: str, span: Span, skipped: list[Region], starts: list[int]) -> str:
    """The text of ``span`` without the skipped regions in it (markup, link targets):
    "**Read more:** [Headline](https://...)" reads "Read more: Headline"."""
    pieces, cursor = [], span.start
    for region in skipped[max(bisect.bisect_right(starts, span.start) - 1, 0) :]:
        if region.start >= span.end:
            break
        if region.end > cursor:
            pieces.append(text[cursor : max(region.start, cursor)])
            cursor = region.end
    pieces.append(text[cursor : span.end])
    return "".join(pieces)


REGEX_SYNTAX = frozenset("\\.^$*+?{}[]()|#")  # "#" opens a comment in a verbose pattern
QUANTIFIERS = frozenset("*+?{")
INLINE_FLAGS = re.compile(r"\(\?[-abefiLmprsuVwx]")


def literal_starts(pattern: str) -> tuple[str, ...] | None:
    """Lower-case ASCII text that a match of ``pattern`` (a case-insensitive regex) starts
    with, a string or more per top-level alternative; None when some alternative starts
    with anything but plain text or a group of such alternatives (a class, an escape, a
    space, a group made optional) or the pattern sets flags inline, which could change
    what its text means."""
    alternatives = _top_level_alternatives(pattern)
    if alternatives is None or INLINE_FLAGS.search(pattern):
        return None
    starts: list[str] = []
    for alternative in alternatives:
        if alternative.startswith("("):
            body = _group_body(alternative)
            inner = None if body is None else literal_starts(body)
            if inner is None:
                return None
            starts += inner
            continue
        literal = ""
        for char in alternative:
            if char in REGEX_SYNTAX or not char.isascii():
                if char in QUANTIFIERS:
                    literal = literal[:-1]  # the quantifier makes the last character optional
                break
            literal += char
        if not literal or literal[0].isspace():
            return None
        starts.append(literal.lower())
    return tuple(starts)


def _syntax(pattern: str) -> list[tuple[int, str, int]] | None:
    """(offset, character, depth) of each bracket and bar outside character classes, the
    depth counting the groups around it (not a bracket's own); None when the brackets do
    not balance as this reads them."""
    found, depth, class_depth, index = [], 0, 0, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 1  # the escaped character is not syntax
        elif char == "[":
            class_depth += 1  # sets nest in VERSION1
            if pattern[index + 1 : index + 2] == "^":
                index += 1
            if pattern[index + 1 : index + 2] == "]":
                index += 1  # a "]" opening a class is literal
        elif class_depth:
            class_depth -= char == "]"
        elif char in "()|":
            depth -= char == ")"
            found.append((index, char, depth))
            depth += char == "("
        index += 1
    return found if depth == class_depth == 0 else None


def _top_level_alternatives(pattern: str) -> list[str] | None:
    """``pattern`` split at the bars outside groups and character classes."""
    syntax = _syntax(pattern)
    if syntax is None:
        return None
    bars = [index for index, char, depth in syntax if char == "|" and not depth]
    return [pattern[start + 1 : end] for start, end in zip([-1, *bars], [*bars, len(pattern)])]


def _group_body(alternative: str) -> str | None:
    """What is inside the group an alternative opens with, when every match of the
    alternative starts with a match of it: a plain or non-capturing group, not optional."""
    close = next(index for index, char, depth in _syntax(alternative) or () if char == ")" and not depth)
    if alternative[close + 1 : close + 2] in QUANTIFIERS:
        return None
    if alternative.startswith("(?:"):
        return alternative[3:close]
    return alternative[1:close] if alternative[1:2] != "?" else None


def may_start_with(text: str, literal: str) -> bool:
    """Whether a case-insensitive match of lower-case ASCII ``literal`` may open ``text``.

    ASCII letters match only each other; past a character outside ASCII that case folding
    may turn into ASCII ("ß" into "ss", the Kelvin sign into "k"), anything may match, but
    one it cannot ("“", "é") matches no character of the literal."""
    head = text[: len(literal)]
    if head.isascii():
        return head.lower() == literal
    first = next(index for index, char in enumerate(head) if not char.isascii())
    char = head[first]
    return head[:first].lower() == literal[:first] and any(map(str.isascii, char.casefold() + char.upper() + char.lower()))


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
