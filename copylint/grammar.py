"""The grammar family (CL4xx): token patterns, in the manner of LanguageTool's pattern rules.

A ``token-pattern`` rule is a sequence of token matchers run over each sentence's
tokens (words, numbers and single punctuation marks). A matcher is a string:

- ``could|should``: any of these words, ignoring case (``=A`` matches exactly "A");
- ``@determiner``: a word in the pack's ``[classes]`` table (an entry ending in ``*`` is a
  prefix); built-in classes are ``@cap`` (capitalised), ``@midcap`` (capitalised but not
  opening its sentence), ``@number``, ``@punct``, ``@word`` and ``@any``;
- ``/regex/``: a regular expression the whole token must match (ignoring case unless
  the expression says ``(?-i)``);
- ``<s>``: the start of a sentence (a zero-width token before its first word);
- ``a|@b|=C`` accepts any of these; ``!X`` negates and ``X & Y`` requires both; a
  trailing ``{m,n}`` repeats the matcher.

``antipatterns`` are token sequences that, where they overlap a match, cancel it
("could of course"). ``mark`` picks the matchers (1-based, inclusive) that form the
reported span; ``replacement`` and ``message`` may use ``{N}`` (the text matched by the
N-th matcher), ``{N:map}`` (that text looked up in a class written as a table, e.g.
``went = "gone"``), ``{match}`` and ``{replacement}``.

Grammar rules stay out of quoted speech unless a rule sets ``in-quotes = true``.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import regex

from copylint.document import Document
from copylint.engine import Diagnostic, Rule, RuleError, Settings, rule_kind
from copylint.kinds import match_case

TOKEN = regex.compile(r"[\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)*|\p{N}+(?:[.,:]\p{N}+)*|\S")
SENTENCE_START = "<s>"
OPENERS = frozenset("\"“‘'([—–-")


@dataclass(slots=True)
class Tok:
    start: int
    end: int
    text: str
    norm: str  # lower case, typographic apostrophe made straight
    opens_sentence: bool  # the first real token of its sentence (after quotes or brackets)
    boundary: bool = False  # the zero-width token before each sentence


class TokenStream:
    """A document's tokens, with a sentence-start token before each sentence, indexed by word."""

    def __init__(self, doc: Document) -> None:
        tokens: list[Tok] = []
        positions: dict[str, list[int]] = {}
        text = doc.text
        for sentence in doc.sentences:
            positions.setdefault(SENTENCE_START, []).append(len(tokens))
            tokens.append(Tok(sentence.start, sentence.start, "", SENTENCE_START, False, True))
            opening = True
            for match in TOKEN.finditer(text, sentence.start, sentence.end):
                word = match.group()
                norm = normalise(word)
                positions.setdefault(norm, []).append(len(tokens))
                tokens.append(Tok(match.start(), match.end(), word, norm, opening))
                opening = opening and word in OPENERS
        self.tokens, self.positions = tokens, positions


_streams: weakref.WeakKeyDictionary[Document, TokenStream] = weakref.WeakKeyDictionary()


def token_stream(doc: Document) -> TokenStream:
    """The document's tokens, made once and shared by every grammar rule."""
    stream = _streams.get(doc)
    if stream is None:
        stream = _streams[doc] = TokenStream(doc)
    return stream


def normalise(word: str) -> str:
    lower = word.lower()
    return lower.replace("’", "'") if "’" in lower else lower


# -- matchers -------------------------------------------------------------------------

Test = Callable[[list[Tok], int], bool]

BUILT_IN: dict[str, Test] = {
    "any": lambda tokens, i: True,
    "word": lambda tokens, i: tokens[i].text[0].isalpha(),
    "number": lambda tokens, i: tokens[i].text[0].isdigit(),
    "punct": lambda tokens, i: not tokens[i].text[0].isalnum(),
    "cap": lambda tokens, i: tokens[i].text[0].isupper(),
    "midcap": lambda tokens, i: tokens[i].text[0].isupper() and not tokens[i].opens_sentence,
}
REPEAT = regex.compile(r"\{(\d+),(\d+)\}$")


@dataclass(frozen=True)
class Matcher:
    """One position of a pattern: a test on a token, repeated ``low`` to ``high`` times."""

    test: Test
    low: int
    high: int
    words: frozenset[str] | None  # the only words it can match, when it says (for indexing)


class WordClass:
    """A list of words (entries ending in ``*`` are prefixes); a table is also a map."""

    def __init__(self, name: str, entries: list[str] | dict[str, str]) -> None:
        self.name = name
        self.map = {normalise(k): v for k, v in entries.items()} if isinstance(entries, dict) else {}
        listed = [normalise(e) for e in entries]
        self.words = frozenset(e for e in listed if not e.endswith("*"))
        self.prefixes = tuple(e[:-1] for e in listed if e.endswith("*"))

    def __contains__(self, word: str) -> bool:
        return word in self.words or (bool(self.prefixes) and word.startswith(self.prefixes))


def compile_matcher(spec: str, classes: dict[str, WordClass], where: str) -> Matcher:
    low, high, body = 1, 1, spec
    repeat = REPEAT.search(spec) if not spec.endswith("/") else None
    if repeat and repeat.start() > 0:
        body = spec[: repeat.start()]
        low, high = int(repeat.group(1)), int(repeat.group(2))
    atoms = [_compile_atom(part.strip(), classes, where) for part in body.split(" & ")]
    tests = [test for test, _ in atoms]
    words = next((w for _, w in atoms if w is not None), None)
    if body == SENTENCE_START:
        return Matcher(lambda tokens, i: tokens[i].boundary, 1, 1, frozenset({SENTENCE_START}))
    if len(tests) == 1:
        only = tests[0]
        return Matcher(lambda tokens, i: not tokens[i].boundary and only(tokens, i), low, high, words)

    def test(tokens: list[Tok], i: int) -> bool:
        if tokens[i].boundary:
            return False
        for each in tests:
            if not each(tokens, i):
                return False
        return True

    return Matcher(test, low, high, words)


def _compile_atom(atom: str, classes: dict[str, WordClass], where: str) -> tuple[Test, frozenset[str] | None]:
    """A test for one atom, and the words it is limited to (None when it is not a word list)."""
    if atom.startswith("!"):
        inner, _ = _compile_atom(atom[1:], classes, where)
        return (lambda tokens, i: not inner(tokens, i)), None
    if len(atom) > 1 and atom.startswith("/") and atom.endswith("/"):
        try:
            pattern = regex.compile(atom[1:-1], regex.IGNORECASE | regex.VERSION1)
        except regex.error as error:
            raise RuleError(f"{where}: {atom}: {error}") from None
        return (lambda tokens, i: pattern.fullmatch(tokens[i].text) is not None), None
    alternatives = [_compile_alternative(a, classes, where) for a in atom.split("|")]
    if len(alternatives) == 1:
        return alternatives[0]
    tests = [test for test, _ in alternatives]
    limits = [words for _, words in alternatives]
    words = None if None in limits else frozenset().union(*limits)
    return (lambda tokens, i: any(t(tokens, i) for t in tests)), words


def _compile_alternative(atom: str, classes: dict[str, WordClass], where: str) -> tuple[Test, frozenset[str] | None]:
    """One of ``a|@b|=C``: a word ignoring case, a word class, or a word in exactly this case."""
    if atom == SENTENCE_START:
        return (lambda tokens, i: tokens[i].boundary), frozenset({SENTENCE_START})
    if atom.startswith("@"):
        name = atom[1:]
        if name in BUILT_IN:
            return BUILT_IN[name], None
        if name not in classes:
            raise RuleError(f"{where}: unknown word class @{name}")
        word_class = classes[name]
        return (lambda tokens, i: tokens[i].norm in word_class), None if word_class.prefixes else word_class.words
    if atom.startswith("="):
        exact = atom[1:]
        return (lambda tokens, i: tokens[i].text == exact), frozenset({normalise(exact)})
    word = normalise(atom)
    return (lambda tokens, i: tokens[i].norm == word), frozenset({word})


class Pattern:
    """A sequence of matchers; ``match`` gives the token range each matcher took."""

    def __init__(self, specs: list[str], classes: dict[str, WordClass], where: str) -> None:
        if not specs:
            raise RuleError(f"{where}: empty token pattern")
        self.matchers = [compile_matcher(s, classes, where) for s in specs]
        self.anchors = self._anchors()

    def _anchors(self) -> list[tuple[int, frozenset[str]]]:
        """The word-list matchers at a fixed distance from the start, with that distance:
        matches are looked for only where one of their words occurs."""
        anchors, offset = [], 0
        for matcher in self.matchers:
            if matcher.words is not None and matcher.low >= 1:
                anchors.append((offset, matcher.words))
            if matcher.low != matcher.high:
                break
            offset += matcher.low
        return anchors

    def starts(self, stream: TokenStream) -> list[int] | range:
        """Where a match may start: around the anchor whose words are rarest here."""
        if not self.anchors:
            return range(len(stream.tokens))
        best = None
        for offset, words in self.anchors:
            found = [i - offset for w in words for i in stream.positions.get(w, ())]
            if best is None or len(found) < len(best):
                best = found
            if not best:
                break
        return sorted(i for i in best if i >= 0)

    def match(self, tokens: list[Tok], start: int) -> list[tuple[int, int]] | None:
        return self._match_from(tokens, start, 0)

    def _match_from(self, tokens: list[Tok], index: int, k: int) -> list[tuple[int, int]] | None:
        if k == len(self.matchers):
            return []
        matcher = self.matchers[k]
        taken = 0
        while taken < matcher.high and index + taken < len(tokens) and matcher.test(tokens, index + taken):
            taken += 1
        for count in range(taken, matcher.low - 1, -1):  # greedy, then back off
            rest = self._match_from(tokens, index + count, k + 1)
            if rest is not None:
                return [(index, index + count), *rest]
        return None


# -- the rule kind ---------------------------------------------------------------------

PLACEHOLDER = regex.compile(r"\{(\d+)(?::([\w-]+))?\}")


@rule_kind("token-pattern")
class TokenPatternRule(Rule):
    """A grammar slip found as a sequence of tokens, with contexts where it must not fire."""

    fields = {"tokens": [], "antipatterns": [], "mark": [], "message": "", "replacement": None, "classes": {}}

    def __init__(self, table: dict[str, Any], source: str) -> None:
        super().__init__({"in-quotes": False, **table}, source)

    def prepare(self) -> None:
        where = f"{self.source}: rule {self.code}"
        self.classes = {name: WordClass(name, entries) for name, entries in self.spec["classes"].items()}
        self.pattern = Pattern(self.spec["tokens"], self.classes, where)
        self.antipatterns = [Pattern(a, self.classes, where) for a in self.spec["antipatterns"]]
        mark = self.spec["mark"] or [1, len(self.pattern.matchers)]
        if len(mark) != 2 or not 1 <= mark[0] <= mark[1] <= len(self.pattern.matchers):
            raise RuleError(f"{where}: mark must be [first, last] matcher numbers")
        self.mark = (mark[0] - 1, mark[1] - 1)
        for name in PLACEHOLDER.findall(f"{self.spec['replacement'] or ''} {self.spec['message']}"):
            if name[1] and name[1] not in self.classes:
                raise RuleError(f"{where}: template names unknown map {name[1]!r}")

    def check(self, doc: Document, settings: Settings) -> Iterator[Diagnostic]:
        stream = token_stream(doc)
        tokens = stream.tokens
        for start in self.pattern.starts(stream):
            groups = self.pattern.match(tokens, start)
            if groups is None or self._cancelled(stream, groups) or _touches_skipped(doc, tokens, groups):
                continue
            first, last = groups[self.mark[0]][0], groups[self.mark[1]][1]
            if first == last:
                continue
            span_start, span_end = tokens[first].start, tokens[last - 1].end
            texts = [doc.text[span_start:span_end]] + [_group_text(doc, tokens, g) for g in groups]
            replacement = None
            if self.spec["replacement"] is not None:
                replacement = self._expand(self.spec["replacement"], texts)
                if tokens[first].opens_sentence:
                    replacement = match_case(replacement, texts[0])
            message = self._expand(self.spec["message"], texts).replace("{match}", texts[0])
            message = message.replace("{replacement}", replacement or "")
            yield self.diagnostic(span_start, span_end, message, replacement)

    def _cancelled(self, stream: TokenStream, groups: list[tuple[int, int]]) -> bool:
        """True when an antipattern match overlaps the tokens of this match."""
        first, last = groups[0][0], groups[-1][1]
        for antipattern in self.antipatterns:
            reach = sum(m.high for m in antipattern.matchers)
            for start in range(max(0, first - reach + 1), last):
                found = antipattern.match(stream.tokens, start)
                if found is not None and found[0][0] < last and found[-1][1] > first and found[-1][1] > start:
                    return True
        return False

    def _expand(self, template: str, texts: list[str]) -> str:
        def fill(placeholder: regex.Match) -> str:
            text = texts[int(placeholder.group(1))]
            if placeholder.group(2) is None:
                return text
            mapped = self.classes[placeholder.group(2)].map.get(normalise(text), text)
            return match_case(mapped, text)

        return PLACEHOLDER.sub(fill, template)


def _touches_skipped(doc: Document, tokens: list[Tok], groups: list[tuple[int, int]]) -> bool:
    """True when a matched token lies in a URL or other skipped region: the engine only
    drops diagnostics whose own span is skipped, but a pattern must not read such text."""
    first, last = groups[0][0], groups[-1][1]
    return first < last and doc.is_skipped(tokens[first].start, tokens[last - 1].end)


def _group_text(doc: Document, tokens: list[Tok], group: tuple[int, int]) -> str:
    first, last = group
    if first == last:
        return ""
    return doc.text[tokens[first].start : tokens[last - 1].end]
