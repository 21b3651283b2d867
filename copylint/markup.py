"""Markup readers: where the prose is in Markdown, HTML, reStructuredText and code files.

A reader never changes the text rules see. It returns a :class:`Layout`: the regions
rules must leave alone (code, link targets, tags, front matter, comment markers...) and
the prose blocks that paragraph-level rules work on, all as exact offsets into the
original text. So every diagnostic and every fix points into the file as it is, and
``--fix`` edits prose without touching the markup around it.

The file type comes from the extension, or from the ``file-types`` table of the
configuration; any other file is plain text. Code files are read through the Pygments
lexer for their name: only comments and docstrings are prose.
"""

from __future__ import annotations

import bisect
import html
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, NamedTuple

import regex

from copylint.document import BLANK_LINES, LINE_BREAK, Document, Region, Span
from copylint.suppression import DIRECTIVE

# Pygments (code files), pathspec (file-types patterns) and markdown-it (Markdown) are
# imported where they are used: plain text, the common case, needs none of them, and
# importing them costs more than starting Python does.
if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token as MdToken

    from copylint.config import Config

MARKUP_TYPES = ("text", "markdown", "html", "rst")
SUFFIX_TYPES = {
    ".txt": "text", ".text": "text",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".mkd": "markdown", ".mdx": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".rst": "rst", ".rest": "rst",
}


class Layout(NamedTuple):
    """What a reader found: regions to skip, and prose blocks (None: split at blank lines)."""

    regions: tuple[Region, ...]
    blocks: tuple[Span, ...] | None


class _Collector:
    """Gathers regions and blocks (in offsets of the original text) while a reader walks it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.regions: list[Region] = []
        self.blocks: list[Span] = []

    def skip(self, start: int, end: int, kind: str) -> None:
        if end > start:
            self.regions.append(Region(start, end, kind))

    def block(self, start: int, end: int) -> None:
        """A prose block, without the whitespace around it."""
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if end > start:
            self.blocks.append(Span(start, end))

    def comment(self, start: int, end: int) -> None:
        """A comment: a suppression directive if it holds one, else just skipped."""
        self.skip(start, end, "directive" if DIRECTIVE.search(self.text, start, end) else "comment")

    def entities(self, start: int, end: int) -> None:
        """Character references (``&eacute;``) in HTML text, mapped to their exact place."""
        for match in CHARACTER_REFERENCE.finditer(self.text, start, end):
            self.entity(match.start(), match.end(), html.unescape(match.group()))

    def entity(self, start: int, end: int, decoded: str) -> None:
        """An entity that stands for a letter or apostrophe is part of a word ("caf&eacute;"):
        the whole word is skipped, so that no rule sees half of it."""
        if WORD_PART.fullmatch(decoded):
            while start > 0 and WORD_PART.match(self.text[start - 1]):
                start -= 1
            after = WORD_RUN.match(self.text, end)
            end = after.end() if after else end
        self.skip(start, end, "entity")

    def layout(self) -> Layout:
        return Layout(tuple(sorted(self.regions, key=lambda r: (r.start, r.end))),
                      tuple(sorted(self.blocks, key=lambda s: s.start)))


class LazyPattern:
    """A ``regex`` pattern compiled when first used: a plain-text article needs none of the
    markup readers' patterns, and compiling them all costs more than reading one. Each
    attribute asked for is kept, so later uses cost what the pattern's own would."""

    def __init__(self, *arguments: Any) -> None:
        self._arguments = arguments

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._compiled(), name)
        setattr(self, name, value)
        return value

    @cache
    def _compiled(self) -> regex.Pattern[str]:
        return regex.compile(*self._arguments)


CHARACTER_REFERENCE = LazyPattern(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
WORD_PART = LazyPattern(r"[\p{L}\p{M}'’]")
WORD_RUN = LazyPattern(r"(?:[\p{L}\p{M}'’]|&[#\w]+;)+")


def _line_spans(text: str) -> list[Span]:
    """Each line without its line ending, as documents count them."""
    return Document(text).lines


# -- HTML ---------------------------------------------------------------------------------

HTML_MARKUP = LazyPattern(
    r"""<!--.*?(?:-->|\Z)
      | <!\[CDATA\[.*?(?:\]\]>|\Z)
      | <[!?][^>]*>?
      | </?(?P<name>[A-Za-z][^\s/>]*)(?P<attributes>(?:\s*[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?|\s*/)*)\s*>""",
    regex.VERBOSE | regex.DOTALL,
)
HTML_ATTRIBUTE = LazyPattern(r"""(?P<key>[^\s"'>/=]+)(?:\s*=\s*(?:"(?P<value>[^"]*)"|'(?P<value>[^']*)'|(?P<value>[^\s"'>]+)))?""")
PROSE_ATTRIBUTES = frozenset({"alt", "title"})
# Elements whose content is never prose; their whole body is skipped.
RAW_ELEMENTS = frozenset({"script", "style", "pre", "code", "textarea", "math", "svg", "template", "kbd", "samp"})
# Elements that end one prose block and start another.
HTML_TITLE_END = regex.compile(r"</title\s*>", regex.IGNORECASE)
BLOCK_ELEMENTS = frozenset(
    "address article aside blockquote body br caption dd details div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 head header hr html li main nav ol p pre section summary table tbody td tfoot th "
    "thead title tr ul".split()
)


def _read_html(out: _Collector, start: int, end: int) -> None:
    """Text nodes and alt/title values are prose; tags, comments and raw elements are not."""
    text, cursor, blocks = out.text, start, _HtmlBlocks(out)
    while cursor < end:
        tag = HTML_MARKUP.search(text, cursor, end)
        if tag is None:
            break
        blocks.add(cursor, tag.start())
        cursor = tag.end()
        name = (tag.group("name") or "").lower()
        if tag.group().startswith("<!--"):
            out.comment(*tag.span())
        elif not name:  # doctype, CDATA, processing instruction
            out.skip(*tag.span(), "html")
        else:
            _html_tag(out, tag)
        if name in BLOCK_ELEMENTS:
            blocks.flush()
        if name == "title" and not tag.group().startswith("</"):
            cursor = _read_html_title(out, cursor, end)
        if name in RAW_ELEMENTS and not tag.group().startswith("</"):
            close = regex.compile(rf"</{regex.escape(name)}\s*>", regex.IGNORECASE).search(text, cursor, end)
            body_end = close.end() if close else end
            out.skip(cursor, body_end, "code")
            cursor = body_end
    blocks.add(cursor, end)
    blocks.flush()


def _read_html_title(out: _Collector, start: int, end: int) -> int:
    """The page title is prose but no paragraph: a title repeating the first heading, as
    on nearly every article page, is no duplicate paragraph. Returns where reading goes on."""
    close = HTML_TITLE_END.search(out.text, start, end)
    if close is None:
        return start
    out.entities(start, close.start())
    out.skip(*close.span(), "html")
    return close.end()


class _HtmlBlocks:
    """Prose blocks of HTML: the text between block-level tags or blank lines (inline tags
    such as <em> stay inside a block)."""

    def __init__(self, out: _Collector) -> None:
        self.out = out
        self.start: int | None = None
        self.end = 0

    def add(self, start: int, end: int) -> None:
        """Text between two tags."""
        self.out.entities(start, end)
        for gap in BLANK_LINES.finditer(self.out.text, start, end):
            self._extend(start, gap.start())
            self.flush()
            start = gap.end()
        self._extend(start, end)

    def _extend(self, start: int, end: int) -> None:
        if self.out.text[start:end].strip():
            self.start = start if self.start is None else self.start
            self.end = end

    def flush(self) -> None:
        if self.start is not None:
            self.out.block(self.start, self.end)
        self.start = None


def _html_tag(out: _Collector, tag: regex.Match) -> None:
    """Skip a tag except the values of its alt and title attributes, which are prose blocks."""
    start = tag.start()
    offset = tag.start("attributes")
    for attribute in HTML_ATTRIBUTE.finditer(tag.group("attributes")):
        if attribute.group("key").lower() in PROSE_ATTRIBUTES and attribute.group("value") is not None:
            value_start, value_end = offset + attribute.start("value"), offset + attribute.end("value")
            out.skip(start, value_start, "html")
            out.entities(value_start, value_end)
            out.block(value_start, value_end)
            start = value_end
    out.skip(start, tag.end(), "html")


@dataclass(frozen=True)
class HtmlReader:
    """Text nodes and alt/title attributes; entity references are skipped in place."""

    def __call__(self, text: str) -> Layout:
        out = _Collector(text)
        _read_html(out, 0, len(text))
        return out.layout()


# -- Markdown -----------------------------------------------------------------------------

FRONT_MATTER = LazyPattern(
    r"\A(?:---[ \t]*\r?\n(?:.*?\r?\n)??(?:---|\.\.\.)|\+\+\+[ \t]*\r?\n(?:.*?\r?\n)??\+\+\+)[ \t]*(?=\r?\n|\r|\Z)",
    regex.DOTALL,
)
# A front-matter line "key: value" (YAML) or 'key = "value"' (TOML) with a one-line value.
FRONT_MATTER_FIELD = LazyPattern(
    r"""^(?P<key>[\w-]+)[ \t]*[:=][ \t]*(?:"(?P<value>[^"\r\n]*)"|'(?P<value>[^'\r\n]*)'|(?P<value>[^\s"'|>\[{#][^\r\n#]*?))[ \t]*$""",
    regex.MULTILINE,
)
CODE_BLOCKS = {"fence": "code", "code_block": "code", "math_block": "math", "math_block_label": "math", "hr": "markup"}
# Inline tokens found by their markup (a link_open's is its '['), and the region kinds.
MARKED_TOKENS = {"text_special", "html_inline", "link_open", "em_open", "em_close", "strong_open", "strong_close",
                 "s_open", "s_close"}
INLINE_KINDS = {"text_special": "escape", "html_inline": "html"}
BACKTICKS = LazyPattern(r"`+")


@cache
def _markdown_parser() -> MarkdownIt:
    """The parser, built on first use (importing it costs start-up time plain text need not pay)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    # No typographer, no linkify: token contents must stay verbatim copies of the source.
    # text_join is off so that entities and escapes keep tokens of their own. Math follows
    # pandoc's rule ("$x$" with no space inside, no digit after), so prices are prose.
    return (MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable("text_join")
            .use(dollarmath_plugin, allow_space=False, allow_digits=False))


@dataclass(frozen=True)
class MarkdownReader:
    """CommonMark with tables, strikethrough, ``$math$`` and YAML/TOML front matter.

    ``front_matter_keys`` names front-matter fields (``title``, ``description``) whose
    one-line values are checked as prose.
    """

    front_matter_keys: tuple[str, ...] = ()

    def __call__(self, text: str) -> Layout:
        out = _Collector(text)
        lines = _line_spans(text)
        covered: set[int] = set()
        prose_on_line: dict[int, list[Span]] = {}
        source = text
        front = FRONT_MATTER.match(text)
        if front:
            self._front_matter(out, front)
            breaks = len(LINE_BREAK.findall(front.group()))
            covered.update(range(breaks + 1))
            # Blank lines in place of the front matter keep the parser's line numbers ours.
            source = "\n" * breaks + text[front.end() :]
        tokens = _markdown_parser().parse(source)
        for index, token in enumerate(tokens):
            if token.map is None:
                continue
            first, last = token.map[0], min(token.map[1], len(lines)) - 1
            if token.type == "inline":
                in_cell = tokens[index - 1].type in ("th_open", "td_open")
                _MarkdownInline(out, lines, prose_on_line).read(token, in_cell)
            elif token.type in CODE_BLOCKS:
                out.skip(lines[first].start, lines[last].end, CODE_BLOCKS[token.type])
            elif token.type == "html_block":
                _read_html(out, lines[first].start, lines[last].end)
            else:  # containers (lists, quotes, tables): their leaves say what is prose
                continue
            covered.update(range(first, last + 1))
        _skip_line_markup(out, lines, covered, prose_on_line)
        return out.layout()

    def _front_matter(self, out: _Collector, front: regex.Match) -> None:
        """Skip the front matter, except the values of the keys to check. The values are
        not paragraphs: a title repeating the first heading is no duplicate paragraph."""
        cursor = front.start()
        for field in FRONT_MATTER_FIELD.finditer(out.text, front.start(), front.end()):
            if field.group("key") in self.front_matter_keys:
                out.skip(cursor, field.start("value"), "front-matter")
                cursor = field.end("value")
        out.skip(cursor, front.end(), "front-matter")


def _skip_line_markup(out: _Collector, lines: list[Span], covered: set[int],
                      prose_on_line: dict[int, list[Span]]) -> None:
    """Skip what is left of each line outside its prose: list and quote markers, table
    pipes, closing '#'s, reference definitions. Pure whitespace stays checkable."""
    text = out.text
    for number, line in enumerate(lines):
        if number not in covered:
            if text[line.start : line.end].strip():
                out.skip(line.start, line.end, "markup")
            continue
        cursor = line.start
        for span in sorted(prose_on_line.get(number, []), key=lambda s: s.start):
            if text[cursor : span.start].strip():
                out.skip(cursor, span.start, "markup")
            cursor = max(cursor, span.end)
        if number in prose_on_line and text[cursor : line.end].strip():
            out.skip(cursor, line.end, "markup")


class _MarkdownInline:
    """Maps one inline token's content back to the source and skips its non-prose parts.

    markdown-it gives block tokens line numbers but inline tokens no positions. An inline
    token's content is its source lines without container markers (quote '>', list
    indentation), so each content line is found on its source line; the child tokens then
    follow one another through the content in order.
    """

    def __init__(self, out: _Collector, lines: list[Span], prose_on_line: dict[int, list[Span]]) -> None:
        self.out, self.lines, self.prose_on_line = out, lines, prose_on_line
        self.content = ""
        self.line_starts: list[int] = []  # offset of each content line in the content
        self.sources: list[int] = []  # offset of each content line in the original text

    def read(self, token: MdToken, in_cell: bool) -> None:
        self.content = token.content
        text = self.out.text
        offset = 0
        for number, piece in enumerate(token.content.split("\n"), start=token.map[0]):
            line = self.lines[number]
            taken = self.prose_on_line.setdefault(number, [])
            if in_cell:  # cells share a line: look after the previous cell
                found = text.find(piece, taken[-1].end if taken else line.start, line.end)
            else:  # the content line is the end of its source line
                found = text.rfind(piece, line.start, line.end)
            if found < 0:
                found = line.start + len(text[line.start : line.end]) - len(text[line.start : line.end].lstrip())
            self.line_starts.append(offset)
            self.sources.append(found)
            taken.append(Span(found, found + len(piece)))
            offset += len(piece) + 1
        self.out.block(self.at(0), self.at(len(self.content)))
        self.walk(token.children or [], 0)

    def at(self, offset: int) -> int:
        """The original-text offset of a content offset."""
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return self.sources[index] + offset - self.line_starts[index]

    def skip(self, start: int, end: int, kind: str) -> None:
        self.out.skip(self.at(start), self.at(end), kind)

    def take(self, needle: str, cursor: int) -> tuple[int, int]:
        """Where ``needle`` next occurs in the content: tokens come in source order."""
        start = self.content.find(needle, cursor)
        return start, start + len(needle)

    def walk(self, children: list[MdToken], cursor: int) -> int:
        """Follow the inline tokens through the content; return the offset after them."""
        in_autolink = False
        for child in children:
            if in_autolink:  # the link text is the URL itself, skipped with the brackets
                in_autolink = child.type != "link_close"
                continue
            in_autolink = child.type == "link_open" and child.markup == "autolink"
            cursor = self.child(child, cursor)
        return cursor

    def child(self, child: MdToken, cursor: int) -> int:
        """Skip the non-prose parts of one inline token; return the offset after it."""
        kind = child.type
        if kind == "text":
            return self.take(child.content, cursor)[1]
        if kind == "code_inline":
            return self.code_span(child.markup, cursor)
        if kind in ("softbreak", "hardbreak"):
            newline = self.content.find("\n", cursor)
            if kind == "hardbreak":  # the trailing spaces or backslash are the break itself
                self.skip(cursor, newline, "markup")
            return newline + 1
        if kind == "image":
            start, end = self.take("![", cursor)
            self.skip(start, end, "markup")
            return self.link_target(self.walk(child.children or [], end))
        if kind == "link_close":
            return self.link_target(cursor)
        if kind in ("math_inline", "math_inline_double"):
            start, _ = self.take(child.markup, cursor)
            _, end = self.take(child.markup, start + len(child.markup) + len(child.content))
            self.skip(start, end, "math")
            return end
        if kind == "link_open" and child.markup == "autolink":
            start, _ = self.take("<", cursor)
            _, end = self.take(">", start)
            self.skip(start, end, "url")
            return end
        if kind not in MARKED_TOKENS:
            return cursor
        start, end = self.take(child.content if kind == "html_inline" else child.markup or "[", cursor)
        if kind == "text_special" and child.info == "entity":
            self.out.entity(self.at(start), self.at(end), child.content)
        elif kind == "html_inline" and child.content.startswith("<!--"):
            self.out.comment(self.at(start), self.at(end))
        else:  # escapes, raw HTML, emphasis marks, a link's opening bracket
            self.skip(start, end, INLINE_KINDS.get(kind, "markup"))
        return end

    def code_span(self, fence: str, cursor: int) -> int:
        """Skip a code span: from its opening backticks to the next run of the same length."""
        start = self.content.find(fence, cursor)
        for run in BACKTICKS.finditer(self.content, start + len(fence)):
            if len(run.group()) == len(fence):
                self.skip(start, run.end(), "code")
                return run.end()
        self.skip(start, len(self.content), "code")
        return len(self.content)

    def link_target(self, cursor: int) -> int:
        """Skip ``](destination "title")`` or ``][label]`` after a link's text."""
        content = self.content
        start = content.find("]", cursor)
        end = start + 1
        if content.startswith("(", end):
            end = _link_destination_end(content, end + 1)
        elif content.startswith("[", end):
            end = content.find("]", end) + 1 or len(content)
        self.skip(start, end, "url")
        return end


def _link_destination_end(content: str, index: int) -> int:
    """The offset after the ')' closing an inline link's destination and title."""
    index = _skip_space(content, index)
    if content.startswith("<", index):
        index = content.find(">", index) + 1
    else:
        depth = 0
        while index < len(content) and not content[index].isspace():
            char = content[index]
            if char == "\\":
                index += 1
            elif char == "(":
                depth += 1
            elif char == ")":
                if depth == 0:
                    break
                depth -= 1
            index += 1
    index = _skip_space(content, index)
    if index < len(content) and content[index] in "\"'(":
        closing = ")" if content[index] == "(" else content[index]
        index += 1
        while index < len(content) and content[index] != closing:
            index += 2 if content[index] == "\\" else 1
        index = _skip_space(content, index + 1)
    return min(index + 1, len(content)) if content.startswith(")", index) else index


def _skip_space(content: str, index: int) -> int:
    while index < len(content) and content[index].isspace():
        index += 1
    return index


# -- reStructuredText ---------------------------------------------------------------------

RST_ADORNMENT = LazyPattern(r"([=\-`:'\"~^_*+#<>.!$%&(),/;?@\[\\\]{|}])\1{2,}[ \t]*$")
RST_TABLE_BORDER = LazyPattern(r"[ \t]*=+(?:[ \t]+=+)+[ \t]*$|[ \t]*\+[-=+]+\+[ \t]*$")  # a simple or a grid table
RST_EXPLICIT = LazyPattern(r"(?P<indent>[ \t]*)\.\.(?:[ \t]+|$)")
RST_DIRECTIVE = LazyPattern(r"(?P<marker>(?:\|[^|]+\|[ \t]+)?(?P<name>[\w:+-]+)::)(?:[ \t]+|$)")
RST_FOOTNOTE = LazyPattern(r"\[(?:\d+|#[\w-]*|\*|[\w.-]+)\](?:[ \t]+|$)")
RST_FIELD = LazyPattern(r"[ \t]*:(?!\s)[^:\r\n`]+(?<!\s):(?=[ \t]|$)")
RST_ITEM = LazyPattern(r"[ \t]*(?:[-*+•‣⁃]|\(?(?:\d+|#|[A-Za-z]|[ivxlcdmIVXLCDM]+)[.)]|\|)(?:[ \t]+|$)")
RST_DOCTEST = LazyPattern(r"[ \t]*>>>")
# Directives whose content (and argument) is prose; any other directive is skipped whole.
RST_PROSE_DIRECTIVES = frozenset(
    "admonition attention caution danger error hint important note tip warning seealso topic sidebar "
    "rubric epigraph highlights pull-quote compound container figure table versionadded versionchanged "
    "deprecated glossary centered".split()
)
RST_INLINE = LazyPattern(
    r"""(?P<literal>``.+?``)
      | (?P<role>:[\w.+:-]+:)?`(?P<body>[^`]+)`(?P<suffix>:[\w.+:-]+:|__?)?
      | (?P<substitution>\|[^|\s][^|]*\|_{0,2})
      | (?P<footnote>\[(?:\d+|\#[\w-]*|\*|[\w.-]+)\]_)
      | (?<=\w)(?P<reference>__?)(?!\w)""",
    regex.VERBOSE | regex.DOTALL,
)
RST_TARGET_IN_BODY = LazyPattern(r"\s*<[^<>]+>$")
# Prose directives whose argument is a path (a figure's image), not a title.
RST_PATH_ARGUMENT = frozenset({"figure"})
# Roles whose text is prose; the text of other roles (code, math, file...) is skipped.
RST_PROSE_ROLES = frozenset({"emphasis", "strong", "sup", "sub", "superscript", "subscript", "title-reference",
                             "title", "t", "abbr", "term", "dfn"})


@dataclass(frozen=True)
class RstReader:
    """Prose is paragraphs, list items, titles and admonitions; literal blocks, inline
    literals, directive options, role targets, comments and adornments are skipped."""

    def __call__(self, text: str) -> Layout:
        out = _Collector(text)
        lines = _line_spans(text)
        prose: list[tuple[int, int, bool]] = []  # (line number, prose start, starts a new block)
        number = 0
        while number < len(lines):
            number = self._line(out, lines, number, prose)
        _blocks_from_lines(out, lines, prose)
        for block in out.blocks:
            _rst_inline(out, block.start, block.end)
        return out.layout()

    def _line(self, out: _Collector, lines: list[Span], number: int, prose: list[tuple[int, int, bool]]) -> int:
        """Read the construct starting at line ``number``; return the next line to read."""
        text, line = out.text, lines[number]
        content = text[line.start : line.end]
        explicit = RST_EXPLICIT.match(content)
        if not content.strip():
            return number + 1
        if explicit:
            return self._explicit(out, lines, number, explicit, prose)
        if RST_TABLE_BORDER.match(content):
            # A table's cells are padded to its borders: a fix to their spacing would break
            # it, so the whole table is left alone.
            end = _rst_table_end(text, lines, number)
            out.skip(line.start, lines[end - 1].end, "table")
            return end
        if RST_ADORNMENT.match(content) or RST_DOCTEST.match(content):
            end = _paragraph_end(text, lines, number) if RST_DOCTEST.match(content) else number + 1
            out.skip(line.start, lines[end - 1].end, "markup")
            return end
        marker = RST_FIELD.match(content) or RST_ITEM.match(content)
        if marker:
            out.skip(line.start, line.start + marker.end(), "markup")
        prose.append((number, line.start + (marker.end() if marker else _indent(content)), bool(marker)))
        if content.rstrip().endswith("::") and _paragraph_ends(text, lines, number):
            return self._literal(out, lines, number)
        return number + 1

    def _literal(self, out: _Collector, lines: list[Span], number: int) -> int:
        """A paragraph ending in '::' introduces an indented literal block."""
        text, line = out.text, lines[number]
        marker = text.rindex("::", line.start, line.end)
        out.skip(marker, marker + 2, "markup")
        following = number + 1
        while following < len(lines) and not text[lines[following].start : lines[following].end].strip():
            following += 1
        base = _indent(text[_paragraph_start(text, lines, number) : line.end])
        if following < len(lines) and _indent(text[lines[following].start : lines[following].end]) > base:
            end = _indented_end(text, lines, following - 1, base)
            out.skip(lines[following].start, lines[end - 1].end, "code")
            return end
        return number + 1

    def _explicit(self, out: _Collector, lines: list[Span], number: int, explicit: regex.Match,
                  prose: list[tuple[int, int, bool]]) -> int:
        """Directives, footnotes, targets, substitution definitions and comments."""
        text, line = out.text, lines[number]
        indent = len(explicit.group("indent"))
        end = _indented_end(text, lines, number, indent)
        rest = line.start + explicit.end()
        directive = RST_DIRECTIVE.match(text, rest, line.end)
        footnote = RST_FOOTNOTE.match(text, rest, line.end)
        if directive and directive.group("name").lower() in RST_PROSE_DIRECTIVES:
            name = directive.group("name").lower()
            out.skip(line.start, line.end if name in RST_PATH_ARGUMENT else directive.end(), "markup")
            if name not in RST_PATH_ARGUMENT and text[directive.end() : line.end].strip():
                prose.append((number, directive.end(), True))
            body = number + 1
            while body < end and RST_FIELD.match(text[lines[body].start : lines[body].end]):
                out.skip(lines[body].start, lines[body].end, "markup")
                body += 1
            return body
        if footnote and not directive:
            out.skip(line.start, footnote.end(), "markup")
            prose.append((number, footnote.end(), True))
            return number + 1
        if directive or text.startswith("_", rest):
            out.skip(line.start, lines[end - 1].end, "code")
        else:
            out.comment(line.start, lines[end - 1].end)
        return end


def _indent(content: str) -> int:
    return len(content) - len(content.lstrip(" \t"))


def _indented_end(text: str, lines: list[Span], number: int, indent: int) -> int:
    """The line after the block of lines (or blank lines) indented deeper than ``indent``
    that follows line ``number``; trailing blank lines are left out."""
    end = following = number + 1
    while following < len(lines):
        content = text[lines[following].start : lines[following].end]
        if content.strip() and _indent(content) <= indent:
            break
        following += 1
        if content.strip():
            end = following
    return end


def _paragraph_ends(text: str, lines: list[Span], number: int) -> bool:
    return _paragraph_end(text, lines, number) == number + 1


def _rst_table_end(text: str, lines: list[Span], number: int) -> int:
    """The line after the table whose first border is line ``number``: a grid table runs
    while lines start with "+" or "|"; a simple table, which may hold blank lines, to the
    border that a blank line (or the end) follows."""
    def content(i: int) -> str:
        return text[lines[i].start : lines[i].end].strip()

    if content(number).startswith("+"):
        end = number + 1
        while end < len(lines) and content(end)[:1] in ("+", "|"):
            end += 1
        return end
    for end in range(number + 2, len(lines)):
        if RST_TABLE_BORDER.match(content(end)) and (end + 1 == len(lines) or not content(end + 1)):
            return end + 1
    return _paragraph_end(text, lines, number)


def _paragraph_end(text: str, lines: list[Span], number: int) -> int:
    """The first blank line (or the end) after line ``number``."""
    number += 1
    while number < len(lines) and text[lines[number].start : lines[number].end].strip():
        number += 1
    return number


def _paragraph_start(text: str, lines: list[Span], number: int) -> int:
    while number > 0 and text[lines[number - 1].start : lines[number - 1].end].strip():
        number -= 1
    return lines[number].start


def _rst_inline(out: _Collector, start: int, end: int) -> None:
    for match in RST_INLINE.finditer(out.text, start, end):
        if match.group("body") is None:
            out.skip(*match.span(), "code" if match.group("literal") else "markup")
            continue
        suffix = match.group("suffix") or ""
        role = (match.group("role") or (suffix if suffix.startswith(":") else "")).strip(":").split(":")[-1]
        target = RST_TARGET_IN_BODY.search(match.group("body"))
        if target:  # `text <target>`_ or :ref:`text <target>`: the text is prose
            out.skip(match.start(), match.start("body"), "markup")
            out.skip(match.start("body") + target.start(), match.end(), "url")
        elif suffix.startswith("_") or role.lower() in RST_PROSE_ROLES:
            out.skip(match.start(), match.start("body"), "markup")
            out.skip(match.end("body"), match.end(), "markup")
        else:  # inline code, math, file names, cross-reference targets
            out.skip(*match.span(), "code")


def _blocks_from_lines(out: _Collector, lines: list[Span], prose: list[tuple[int, int, bool]]) -> None:
    """Consecutive prose lines form a block; a list item or field starts a new one."""
    start = previous = None
    for number, offset, new in prose:
        if start is not None and (new or number != previous + 1):
            out.block(start, lines[previous].end)
            start = None
        start = offset if start is None else start
        previous = number
    if start is not None:
        out.block(start, lines[previous].end)


# -- code files ---------------------------------------------------------------------------

COMMENT_OPENER = LazyPattern(r"[ \t]*(?:[rRbBuUfF]{0,2}(?:\"\"\"|''')|/\*+!?|//+!?|#+:?|;+|--+|%+|\*+(?!/)|<!--|\(\*|\{-|REM\b|'(?!'))")
COMMENT_CLOSER = LazyPattern(r"[ \t]*(?:\"\"\"|'''|\*+/|-->|\*\)|-\})[ \t]*$")
BACKTICK_CODE = LazyPattern(r"`[^`\r\n]+`")


@dataclass(frozen=True)
class CodeReader:
    """Comments and docstrings of a source file, found by the Pygments lexer ``language``."""

    language: str

    def __call__(self, text: str) -> Layout:
        out = _Collector(text)
        # Pygments reads "\r\n" as "\n": lex that text and map offsets back.
        normal = text.replace("\r\n", "\n")
        removed = [m.start() - i for i, m in enumerate(regex.finditer(r"\r\n", text))]

        def original(offset: int) -> int:
            return offset + bisect.bisect_right(removed, offset)

        from pygments.lexers import get_lexer_by_name

        lexer = get_lexer_by_name(self.language, stripnl=False, stripall=False, ensurenl=False)
        cursor = 0
        prose_lines: list[Span] = []
        for start, end in _comment_pieces(lexer.get_tokens_unprocessed(normal)):
            out.skip(original(cursor), original(start), "code")
            _comment(out, original(start), original(end), prose_lines)
            cursor = end
        out.skip(original(cursor), len(text), "code")
        _code_blocks(out, prose_lines)
        return out.layout()


def _comment_pieces(tokens: Iterable[tuple[int, object, str]]) -> list[tuple[int, int]]:
    """(start, end) of comments and docstrings, adjacent tokens merged."""
    from pygments.token import Comment, String

    preprocessor = (Comment.Preproc, Comment.PreprocFile, Comment.Hashbang)
    pieces: list[list[int]] = []
    for offset, kind, value in tokens:
        if (kind in Comment and not any(kind in p for p in preprocessor)) or kind in String.Doc:
            if pieces and pieces[-1][1] == offset:
                pieces[-1][1] = offset + len(value)
            else:
                pieces.append([offset, offset + len(value)])
    return [(a, b) for a, b in pieces]


def _comment(out: _Collector, start: int, end: int, prose_lines: list[Span]) -> None:
    """Skip a comment's markers (and doctest lines and `code`); note its prose lines."""
    text = out.text
    if DIRECTIVE.search(text, start, end):
        out.skip(start, end, "directive")
        return
    in_doctest = False
    for line in _line_spans(text[start:end]):
        line_start, line_end = start + line.start, start + line.end
        opener = COMMENT_OPENER.match(text, line_start, line_end)
        prose_start = opener.end() if opener else line_start
        closer = COMMENT_CLOSER.search(text, prose_start, line_end)
        prose_end = closer.start() if closer else line_end
        out.skip(line_start, prose_start, "markup")
        out.skip(prose_end, line_end, "markup")
        blank = not text[prose_start:prose_end].strip()
        # A doctest runs from its '>>>' line to the next blank line.
        in_doctest = not blank and (in_doctest or bool(RST_DOCTEST.match(text, prose_start, prose_end)))
        if in_doctest:
            out.skip(prose_start, prose_end, "code")
        elif not blank:
            for code in BACKTICK_CODE.finditer(text, prose_start, prose_end):
                out.skip(*code.span(), "code")
            prose_lines.append(Span(prose_start, prose_end))
        else:
            prose_lines.append(Span(prose_start, prose_start))  # an empty comment line ends a block


def _code_blocks(out: _Collector, prose_lines: list[Span]) -> None:
    """Comment lines in a row, with nothing but comment markers between, form a block."""
    text = out.text
    start = previous = None
    for span in prose_lines + [Span(len(text), len(text))]:
        joined = previous is not None and span.end > span.start and _only_markers_between(text, previous.end, span.start)
        if start is not None and not joined:
            out.block(start, previous.end)
            start = None
        if span.end > span.start:
            start = span.start if start is None else start
            previous = span
        else:
            previous = None


def _only_markers_between(text: str, start: int, end: int) -> bool:
    gap = text[start:end]
    return len(LINE_BREAK.findall(gap)) == 1 and all(
        COMMENT_OPENER.fullmatch(part) or COMMENT_CLOSER.fullmatch(part) or not part.strip()
        for part in LINE_BREAK.split(gap)
    )


# -- choosing a reader ----------------------------------------------------------------------


def reader_for(path: Path | None, config: Config):
    """The reader for a file, from the configuration's ``file-types`` or its extension;
    None for plain text."""
    file_type = file_type_for(path, config)
    if file_type == "markdown":
        return MarkdownReader(tuple(config.data.get("front-matter-keys", ())))
    if file_type == "html":
        return HtmlReader()
    if file_type == "rst":
        return RstReader()
    if file_type == "text":
        return None
    return CodeReader(file_type)


def file_type_for(path: Path | None, config: Config) -> str:
    """'text', 'markdown', 'html', 'rst', or the Pygments language of a code file."""
    if path is None:
        return "text"
    configured = _configured_type(path, config)
    if configured is not None:
        return configured
    if path.suffix.lower() in SUFFIX_TYPES:
        return SUFFIX_TYPES[path.suffix.lower()]
    return _language(path.name) or "text"


def _configured_type(path: Path, config: Config) -> str | None:
    """The ``file-types`` entry (a pattern -> type table) matching ``path``, checked."""
    table = config.data.get("file-types", {})
    if not table:
        return None
    # A file outside the configuration's folder (with --config) is matched by its name.
    import pathspec

    relative = config.relative(path) or path.name
    for pattern, file_type in table.items():
        if pathspec.PathSpec.from_lines("gitwildmatch", [pattern]).match_file(relative):
            if file_type not in MARKUP_TYPES and not _is_language(file_type):
                from copylint.config import ConfigError

                raise ConfigError(
                    f"{config.where()}: file-types: '{file_type}' is not one of "
                    f"{', '.join(MARKUP_TYPES)} or a Pygments language name"
                )
            return file_type
    return None


def _language(filename: str) -> str | None:
    """The Pygments language for a file name, or None (also for Pygments' plain text)."""
    from pygments.lexers import find_lexer_class_for_filename
    from pygments.lexers.special import TextLexer
    from pygments.util import ClassNotFound

    try:
        lexer = find_lexer_class_for_filename(filename)
    except ClassNotFound:
        return None
    return lexer.aliases[0] if lexer and lexer is not TextLexer and lexer.aliases else None


def _is_language(name: str) -> bool:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        get_lexer_by_name(name)
    except ClassNotFound:
        return False
    return True


def discoverable(path: Path, config: Config, include_code: bool) -> bool:
    """Whether walking a folder picks this file: prose files by extension or by
    ``file-types``, code files only with --include-code (or ``include-code = true``)."""
    if _configured_type(path, config) is not None or path.suffix.lower() in SUFFIX_TYPES:
        return True
    return (include_code or config.data.get("include-code", False)) and _language(path.name) is not None


def read(doc: Document, path: Path | None, config: Config) -> Document:
    """The document read through its file type's reader (plain text stays as it is)."""
    reader = reader_for(path, config)
    if reader is None:
        return doc
    return Document(doc.text, doc.path, encoding=doc.encoding, bom=doc.bom, reader=reader)


def document_for(text: str, path: str) -> Document:
    """A document for ``text`` read as the file ``path`` would be, with default settings
    (for tests and rule examples)."""
    from copylint.config import Config

    reader = reader_for(Path(path), Config())
    return Document(text, path, reader=reader) if reader else Document(text, path)
