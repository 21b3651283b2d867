"""The document model: decoded text with exact offsets, and the structures rules share.

Every position in copylint is a 0-based character offset into ``Document.text``, the
decoded file exactly as it is (line endings included). Lines, columns, paragraphs,
sentences, words and quotations are derived from the text once, lazily, and shared by
all rules.
"""

from __future__ import annotations

import bisect
import html
import itertools
import math
import re
from functools import cached_property
from typing import Callable, Iterator, NamedTuple

import regex

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class DocumentError(Exception):
    """A file that cannot be read as text; the message is one line for the user."""


class Span(NamedTuple):
    """A half-open range ``[start, end)`` of character offsets."""

    start: int
    end: int

    def contains(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end

    def overlaps(self, start: int, end: int) -> bool:
        return start < self.end and self.start < end


# Tokens and regions are named tuples too: a long article has tens of thousands of
# words, and tuples are the cheapest objects to create in bulk.
class Token(NamedTuple):
    """A word: letters with inner apostrophes ("don't", "O'Neill")."""

    start: int
    end: int
    text: str


class Region(NamedTuple):
    """A stretch that rules must not check: a URL, an e-mail address, code, front matter."""

    start: int
    end: int
    kind: str

    def overlaps(self, start: int, end: int) -> bool:
        return start < self.end and self.start < end


LINE_BREAK = regex.compile(r"\r\n|\n|\r")
# Atomic groups: "\r\n" is one line break, never a "\r" and a "\n" (a blank line).
BLANK_LINES = regex.compile(r"(?>\r\n|\n|\r)(?:[ \t\u00a0]*(?>\r\n|\n|\r))+")
# The same for a text without carriage returns (most files): a pattern that starts with
# one literal character lets the engine jump from one "\n" to the next, about five
# times faster than trying the alternatives above at every character.
LF_LINE_BREAK = regex.compile(r"\n")
LF_BLANK_LINES = regex.compile(r"\n(?:[ \t\u00a0]*\n)+")
# A word: letters with inner apostrophes. "‘" counts as one between letters: Uzbek Latin
# is often typed with it ("O‘zbekiston", "Ulug‘bek"). The group makes split keep the words.
INNER_APOSTROPHE = "['’‘]"
WORD_SPLIT = regex.compile(rf"([\p{{L}}\p{{M}}]+(?:{INNER_APOSTROPHE}[\p{{L}}\p{{M}}]+)*)")
# The same words in a text whose letters are all ASCII (most English news copy, whatever
# its quotation marks and currency signs): the ``re`` engine splits it about twice as fast.
ASCII_WORD_SPLIT = re.compile(rf"([A-Za-z]+(?:{INNER_APOSTROPHE}[A-Za-z]+)*)")
# A sentence ends at . ! or ? (plus closing quotes/brackets) followed by a space and the
# start of a new sentence. Abbreviations and initials are excluded by ``_is_abbreviation``.
# A line that opens with a list bullet or a heading mark starts a new sentence too.
SENTENCE_END = regex.compile(
    r"[.!?]+[\"”’')\]]*(?=[ \t\u00a0]+[\"“‘'(\[]?[\p{Lu}\p{N}])|\r?\n(?=[ \t]*(?:[-*•]|#{1,6}|>+)[ \t])"
)
# What may come before a sentence's first word: quotes, brackets, dashes, bullets, spaces.
OPENING_MARKS = regex.compile(r"[\"“‘'(\[ \t\-—–*•#>]*")
ABBREVIATIONS = frozenset(
    "mr mrs ms dr st prof sen rep gen col lt sgt capt gov pres jr sr rev fr no vs etc "
    "inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec mt ft approx".split()
)
# Plain-text regions that are never prose: URLs, bare domains and e-mail addresses.
PLAIN_SKIPS = regex.compile(
    r"""(?P<url>(?:https?|ftp)://[^\s<>"“”]+[^\s<>"“”.,;:!?)\]'’]
        | www\.[^\s<>"“”]+[^\s<>"“”.,;:!?)\]'’]
        | (?<![\w@.])(?:[a-z0-9-]+\.)+(?:com|org|net|gov|edu|int|mil|io|co|uk|us|eu|info|biz|tv|me|ly|ai|app|dev|news)
          (?:/[^\s<>"“”]*[^\s<>"“”.,;:!?)\]'’])?(?![\w@]))
      |(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)""",
    regex.VERBOSE | regex.IGNORECASE,
)


class Document:
    """A decoded text file and everything derived from it.

    ``extra_regions`` lets a markup reader mark code, front matter and the like as
    regions to skip; ``blocks`` lets it say where the prose blocks (paragraphs) are when
    blank lines do not tell.
    """

    def __init__(
        self,
        text: str,
        path: str = "<text>",
        *,
        encoding: str = "utf-8",
        bom: bool = False,
        extra_regions: tuple[Region, ...] = (),
        blocks: tuple[Span, ...] | None = None,
        reader: Callable[[str], tuple[tuple[Region, ...], tuple[Span, ...] | None]] | None = None,
    ) -> None:
        self.text = text
        self.path = path
        self.encoding = encoding
        self.bom = bom
        # A markup reader (copylint.markup) finds the regions and blocks of a text, and
        # finds them again in the text after fixes (see with_text).
        self.reader = reader
        if reader is not None:
            extra_regions, blocks = reader(text)
        self._extra_regions = tuple(extra_regions)
        self._blocks = blocks

    # -- reading and writing bytes ------------------------------------------------

    @classmethod
    def from_bytes(cls, data: bytes, path: str, encoding: str | None = None) -> Document:
        """Decode a file: UTF-8 (with or without BOM) unless an encoding is given."""
        if encoding is None and data.startswith(UTF16_BOMS):
            raise DocumentError(f"{path}: UTF-16 text (it starts with a UTF-16 byte order mark); "
                                "pass --encoding utf-16 to read it")
        if encoding is None and b"\x00" in data[:8192]:
            raise DocumentError(f"{path}: binary file (contains NUL bytes); not checked")
        if data.startswith(UTF8_BOM) and encoding in (None, "utf-8", "utf-8-sig"):
            return cls(_decode(data[3:], "utf-8", path), path, encoding="utf-8", bom=True)
        if encoding is not None:
            return cls(_decode(data, encoding, path), path, encoding=encoding)
        try:
            return cls(data.decode("utf-8"), path)
        except UnicodeDecodeError as error:
            raise DocumentError(
                f"{path}: not UTF-8 (invalid byte 0x{data[error.start]:02x} at byte "
                f"{error.start}); pass --encoding (e.g. --encoding cp1252) to read it"
            ) from None

    def encode(self, text: str | None = None) -> bytes:
        """Bytes for ``text`` (default: this document's) in this file's encoding and BOM."""
        body = (self.text if text is None else text).encode(self.encoding)
        return UTF8_BOM + body if self.bom else body

    def with_text(self, text: str) -> Document:
        """The same file with new text (after fixes); its reader re-derives the markup regions."""
        return Document(text, self.path, encoding=self.encoding, bom=self.bom, reader=self.reader)

    def bare(self) -> Document:
        """The same document (markup regions and blocks included) with nothing derived
        from it yet. Reports need little more than the text and positions, so results
        keep this instead of every word, sentence and cache of a long file."""
        return Document(self.text, self.path, encoding=self.encoding, bom=self.bom,
                        extra_regions=self._extra_regions, blocks=self._blocks)

    @cached_property
    def newline(self) -> str:
        """The file's dominant line ending, for reports; the text itself is never normalised."""
        crlf = self.text.count("\r\n")
        return "\r\n" if crlf and crlf * 2 >= self.text.count("\n") else "\n"

    # -- positions -----------------------------------------------------------------

    @cached_property
    def _has_carriage_returns(self) -> bool:
        return "\r" in self.text

    @cached_property
    def _line_breaks(self) -> list[tuple[int, int]]:
        pattern = LINE_BREAK if self._has_carriage_returns else LF_LINE_BREAK
        return [m.span() for m in pattern.finditer(self.text)]

    @cached_property
    def line_starts(self) -> list[int]:
        return [0] + [end for _, end in self._line_breaks]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset; columns count characters."""
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    @cached_property
    def lines(self) -> list[Span]:
        """Each line without its line ending."""
        starts = self.line_starts
        ends = [start for start, _ in self._line_breaks] + [len(self.text)]
        return [Span(s, e) for s, e in zip(starts, ends)]

    # -- structure -----------------------------------------------------------------

    @cached_property
    def paragraphs(self) -> list[Span]:
        """Prose blocks: blank-line separated in plain text, or as a markup reader set them."""
        if self._blocks is not None:
            return list(self._blocks)
        spans, start = [], 0
        for gap in (BLANK_LINES if self._has_carriage_returns else LF_BLANK_LINES).finditer(self.text):
            spans.append(Span(start, gap.start()))
            start = gap.end()
        spans.append(Span(start, len(self.text)))
        return [s for s in (_strip(self.text, s) for s in spans) if s.end > s.start]

    @cached_property
    def paragraph_texts(self) -> list[str]:
        """Each paragraph's text with runs of whitespace folded to one space."""
        return [" ".join(self.text[p.start : p.end].split()) for p in self.paragraphs]

    @cached_property
    def sentences(self) -> list[Span]:
        sentences = []
        for paragraph in self.paragraphs:
            start = paragraph.start
            for end in SENTENCE_END.finditer(self.text, paragraph.start, paragraph.end):
                if not self._is_abbreviation(end.start()):
                    sentences.append(Span(start, end.end()))
                    start = _skip_spaces(self.text, end.end())
            sentences.append(Span(start, paragraph.end))
        return sentences

    @cached_property
    def sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def _is_abbreviation(self, dot: int) -> bool:
        """True when the '.' at ``dot`` closes an abbreviation or initial, not a sentence."""
        if self.text[dot] != ".":
            return False
        start = dot
        while start > 0 and self.text[start - 1].isalpha():
            start -= 1
        letters = self.text[start:dot]
        return len(letters) == 1 or letters.lower() in ABBREVIATIONS

    @cached_property
    def folded(self) -> str:
        """The text in lower case, with the same length so that offsets still apply.

        The few characters whose lower case is longer ("İ") are left as they are.
        """
        lower = self.text.lower()
        if len(lower) == len(self.text):
            return lower
        return "".join(c if len(c.lower()) != 1 else c.lower() for c in self.text)

    @cached_property
    def letters_are_ascii(self) -> bool:
        """True when every letter and combining mark of the text is ASCII, so that
        patterns with ASCII classes find the same words as those with Unicode ones.
        Checked in C: a text that Windows-1252 can encode (English news copy with its "£",
        "“" and "’") is encoded, and the bytes that are not non-ASCII letters are deleted."""
        if self.text.isascii():
            return True
        try:
            data = self.text.encode("cp1252")
        except UnicodeEncodeError:
            return False
        return not data.translate(None, CP1252_NOT_NON_ASCII_LETTERS)

    @cached_property
    def words(self) -> list[Token]:
        # One split in C gives the words and the text between them; offsets are the
        # running sum of the pieces' lengths, and the tuples are made without a Python
        # call per word (an article has thousands): about twice as fast as finditer.
        pieces = (ASCII_WORD_SPLIT if self.letters_are_ascii else WORD_SPLIT).split(self.text)
        offsets = list(itertools.accumulate(map(len, pieces), initial=0))
        return list(map(tuple.__new__, itertools.repeat(Token), zip(offsets[1::2], offsets[2::2], pieces[1::2])))

    def sentence_index(self, offset: int) -> int:
        """The index of the last sentence that starts at or before ``offset`` (-1 if none)."""
        return bisect.bisect_right(self.sentence_starts, offset) - 1

    def is_sentence_start(self, offset: int) -> bool:
        """True when the word at ``offset`` opens its sentence (quotes and brackets aside):
        only opening marks lie between the sentence's start and ``offset``."""
        index = self.sentence_index(offset)
        return index < 0 or offset <= self._opening_ends[index]

    @cached_property
    def _opening_ends(self) -> list[float]:
        """Where each sentence's run of opening marks ends: spelling and consistency ask
        about thousands of words, so the run is found once per sentence, not per word.
        A run that reaches the end of the text holds for every offset after it."""
        text = self.text
        ends = [OPENING_MARKS.match(text, start).end() for start in self.sentence_starts]
        return [math.inf if end == len(text) else end for end in ends]

    @cached_property
    def quotations(self) -> list[Span]:
        """Quoted speech: text inside “…”, "…" or «…», paired within a paragraph.

        An unclosed quotation runs to the end of its paragraph, as multi-paragraph
        quotes do in news copy.
        """
        spans: list[Span] = []
        for paragraph in self.paragraphs:
            opened = None
            for mark in QUOTE_MARK.finditer(self.text, paragraph.start, paragraph.end):
                char = html.unescape(mark.group())
                if opened is None and char in "“\"«":
                    opened = mark.end()
                elif opened is not None and char in "”\"»":
                    spans.append(Span(opened, mark.start()))
                    opened = None
            if opened is not None:
                spans.append(Span(opened, paragraph.end))
        return spans

    def in_quotation(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` lies inside one quotation."""
        index = self._last_quotation_from(start)
        return index >= 0 and self.quotations[index].contains(start, end)

    def quotation_at(self, offset: int) -> Span | None:
        """The quotation holding ``offset``, if any."""
        index = self._last_quotation_from(offset)
        return self.quotations[index] if index >= 0 and offset < self.quotations[index].end else None

    def _last_quotation_from(self, offset: int) -> int:
        """The index of the last quotation that starts at or before ``offset`` (-1 if none)."""
        return bisect.bisect_right(self._quotation_starts, offset) - 1

    @cached_property
    def _quotation_starts(self) -> list[int]:
        return [s.start for s in self.quotations]

    # -- regions rules skip ----------------------------------------------------------

    @cached_property
    def skipped_regions(self) -> list[Region]:
        """URLs and e-mail addresses, plus whatever a markup reader marked."""
        found = [
            Region(m.start(), m.end(), m.lastgroup or "url")
            for start, end in _address_chunks(self.text)
            for m in PLAIN_SKIPS.finditer(self.text, start, end)
        ]
        return sorted(found + list(self._extra_regions), key=lambda r: (r.start, r.end))

    def is_skipped(self, start: int, end: int) -> bool:
        """True when the span touches a region rules must leave alone."""
        return self._skipped_index.touches(start, max(end, start + 1))

    def is_inside_skipped(self, start: int, end: int) -> bool:
        """True when one region rules must leave alone holds the whole span (a code block)."""
        return self._skipped_index.holds(start, max(end, start + 1))

    def edits_markup(self, start: int, end: int) -> bool:
        """True when replacing ``[start, end)`` would change a region a markup reader
        marked; an insertion (start == end) only when strictly inside one."""
        return self._markup_index.touches(start, end)

    @cached_property
    def _skipped_index(self) -> _RegionIndex:
        return _RegionIndex(self.skipped_regions)

    @cached_property
    def _markup_index(self) -> _RegionIndex:
        return _RegionIndex(sorted(self._extra_regions, key=lambda r: (r.start, r.end)))


class _RegionIndex:
    """Finds whether a span overlaps any of some regions (sorted by start), which may nest
    (URLs inside a long code block)."""

    def __init__(self, regions: list[Region]) -> None:
        self.starts = [r.start for r in regions]
        # The furthest end among the regions up to each index.
        self.reach = list(itertools.accumulate((r.end for r in regions), max))

    def touches(self, start: int, end: int) -> bool:
        """True when some region starts before ``end`` and ends after ``start``."""
        index = bisect.bisect_left(self.starts, end)
        return index > 0 and self.reach[index - 1] > start

    def holds(self, start: int, end: int) -> bool:
        """True when some region starts at or before ``start`` and ends at or after ``end``."""
        index = bisect.bisect_right(self.starts, start)
        return index > 0 and self.reach[index - 1] >= end


# Quotation marks, also as the character references HTML writes them with ("&ldquo;").
QUOTE_MARK = regex.compile(r"[“”\"«»]|&(?:[lr]dquo|quot|[lr]aquo|#822[01]|#34|#171|#187|#x201[cdCD]|#x22|#x[aAbB][bB]);")


# URLs, domains and addresses all hold a '.' or '@' between word characters, or '://'.
# Finding those first and matching PLAIN_SKIPS only on the surrounding chunk is several
# times faster than running PLAIN_SKIPS over the whole text.
ADDRESS_ANCHOR = regex.compile(r"[.@](?<=\w[.@])(?=\w)|://")
CHUNK_EDGE = regex.compile(r"[\s<>\"“”()\[\]]")


def _address_chunks(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each whitespace-delimited chunk that may hold an address."""
    chunk_end = -1
    for anchor in ADDRESS_ANCHOR.finditer(text):
        if anchor.start() < chunk_end:
            continue
        start = _chunk_start(text, anchor.start())
        edge = CHUNK_EDGE.search(text, anchor.end())
        chunk_end = edge.start() if edge else len(text)
        yield start, chunk_end


def _chunk_start(text: str, offset: int) -> int:
    while offset > 0 and not CHUNK_EDGE.match(text[offset - 1]):
        offset -= 1
    return offset


def _decode(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError:
        raise DocumentError(f"unknown encoding '{encoding}'") from None
    except UnicodeDecodeError as error:
        raise DocumentError(f"{path}: cannot be decoded as {encoding} at byte {error.start}") from None


CP1252_NOT_NON_ASCII_LETTERS = bytes(
    byte for byte in range(256)
    if byte < 128 or not regex.match(r"[\p{L}\p{M}]", bytes([byte]).decode("cp1252", errors="ignore") or " ")
)


def _strip(text: str, span: Span) -> Span:
    """The span without surrounding whitespace."""
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def _skip_spaces(text: str, offset: int) -> int:
    while offset < len(text) and text[offset] in " \t\u00a0":
        offset += 1
    return offset
