"""The grammar family (CL4xx): token patterns, in the manner of LanguageTool's pattern rules.

A ``token-pattern`` rule is a sequence of token matchers run over each sentence's
tokens (words, numbers and single punctuation marks). A matcher is a string:

- ``could|should``: any of these words, ignoring case (``=A`` matches exactly "A");
- ``@determiner``: a word in the pack's ``[classes]`` table (an entry ending in ``*`` is a
  prefix; a class written ``"plural of noun"`` holds the plurals of class ``noun``'s
  words and maps each back to its singular); built-in classes are ``@cap`` (capitalised),
  ``@midcap`` (capitalised but not opening its sentence), ``@number``, ``@punct``,
  ``@word`` and ``@any``;
- ``/regex/``: a regular expression the whole token must match (ignoring case unless
  the expression says ``(?-i)``);
- ``<s>``: the start of a sentence (a zero-width token before its first word); it may
  only open a pattern, so that no match spans two sentences;
- ``a|@b|=C`` accepts any of these; ``!X`` negates and ``X & Y`` requires both; a
  trailing ``{m,n}`` repeats the matcher.

``antipatterns`` are token sequences that, where they overlap a match, cancel it
("could of course"); ``unfixable`` ones leave it reported but without a fix, where the
replacement alone would leave the sentence wrong ("each students arrive"). ``mark``
picks the matchers (1-based, inclusive) that form the reported span; ``replacement``
and ``message`` may use ``{N}`` (the text matched by the N-th matcher), ``{N:map}``
(that text looked up in a class written as a table, e.g. ``went = "gone"``; ``plural``
is a built-in map that adds the regular plural ending, and ``{N:map|plural}`` tries the
maps in turn), ``{match}`` and ``{replacement}``.

Grammar rules stay out of quoted speech unless a rule sets ``in-quotes = true``.

Speed: tokenising a whole article costs more than all the rules together, and nearly
every sentence is clean. So each pattern has an *anchor*: the longest run of its
matchers whose tokens can be told from the raw text (by their words, class words and
prefixes, or the characters they can start with), beginning with listed words. The rules
of a pack share one scan of the lower-cased text for the anchors' first words (see
:class:`AnchorScan`). Only where an anchor is found are the few tokens a match can reach
made and the pattern tried, and only where it matches is the whole sentence tokenised,
for antipatterns and the diagnostic. The search may propose too many places, never too
few; what it assumes of the text is said where it assumes it.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
import weakref
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

import regex

from copylint.document import Document
from copylint.engine import Diagnostic, Rule, RuleError, Settings, rule_kind
from copylint.kinds import match_case, regular_plural

TOKEN = regex.compile(r"[\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)*|\p{N}+(?:[.,:]\p{N}+)*|\S")
LETTER = regex.compile(r"[\p{L}\p{M}]")
SENTENCE_START = "<s>"
OPENERS = frozenset("\"“‘'([—–-")
# What may precede a sentence's first real token: spaces and openers, each its own token.
OPENING = regex.compile(r"[\s\"“‘'(\[—–-]*")


@dataclass(slots=True)
class Tok:
    start: int
    end: int
    text: str
    norm: str  # lower case, typographic apostrophe made straight
    opens_sentence: bool  # the first real token of its sentence (after quotes or brackets)
    boundary: bool = False  # the zero-width token before each sentence


def normalise(word: str) -> str:
    lower = word.lower()
    return lower.replace("’", "'") if "’" in lower else lower


def tokenise(text: str, start: int, end: int, opening: bool) -> Iterator[Tok]:
    """The tokens of ``text[start:end]`` (the text's own tokens when one starts at
    ``start``); ``opening`` says whether the first opens its sentence."""
    for match in TOKEN.finditer(text, start, end):
        word = match.group()
        yield Tok(match.start(), match.end(), word, normalise(word), opening)
        opening = opening and word in OPENERS


_sentence_tokens: weakref.WeakKeyDictionary[Document, dict[int, list[Tok]]] = weakref.WeakKeyDictionary()


def sentence_tokens(doc: Document, index: int) -> list[Tok]:
    """The tokens of the document's ``index``-th sentence after a sentence-start token,
    made once and shared by every grammar rule."""
    made = _sentence_tokens.setdefault(doc, {})
    tokens = made.get(index)
    if tokens is None:
        sentence = doc.sentences[index]
        tokens = made[index] = [Tok(sentence.start, sentence.start, "", SENTENCE_START, False, True),
                                *tokenise(doc.text, sentence.start, sentence.end, True)]
    return tokens


def sentence_at(doc: Document, position: int) -> int | None:
    """The index of the sentence holding ``position``, if one does."""
    index = doc.sentence_index(position)
    return index if index >= 0 and position < doc.sentences[index].end else None


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


# The characters whose place a clue may pin down: a clue says which of them can begin a
# token; any other character always can. (The Kelvin sign is here because it is the one
# non-ASCII character whose lower case is ASCII, "k"; see Dialect.)
PROBES = tuple(map(chr, range(128))) + ("\u212a",)
STARTS = frozenset(char for char in PROBES if TOKEN.match(char))  # the probes a token can start with


@dataclass(frozen=True)
class Clue:
    """How the tokens a matcher accepts look in raw text: each is one of ``words``, or a
    word starting with one of ``prefixes``, or starts with one of ``initials`` (or with a
    character that is not a probe)."""

    words: frozenset[str] = frozenset()
    prefixes: frozenset[str] = frozenset()
    initials: frozenset[str] | None = None  # None: no token is known by its first character

    @property
    def closed(self) -> bool:
        """True when the clue says where the token ends, so a clue for the next can follow."""
        return not self.prefixes and self.initials is None

    @property
    def rank(self) -> int:
        """Which of several clues for one token to use: whole words are the rarest."""
        return 0 if self.closed else 1 if self.initials is None else 2

    def __or__(self, other: Clue) -> Clue:
        initials = None
        if self.initials is not None or other.initials is not None:
            initials = (self.initials or frozenset()) | (other.initials or frozenset())
        return Clue(self.words | other.words, self.prefixes | other.prefixes, initials)


def _initials(test: Callable[[str], bool]) -> Clue | None:
    """The clue to a matcher that looks at characters: the probes that can begin a token
    it accepts (None when every probe can). No token begins with a space."""
    initials = frozenset(char for char in PROBES if test(char) and TOKEN.match(char))
    return None if initials == STARTS else Clue(initials=initials)


@dataclass(frozen=True)
class Matcher:
    """One position of a pattern: a test on a token, repeated ``low`` to ``high`` times."""

    test: Test
    low: int
    high: int
    clue: Clue | None  # None when the tokens it accepts cannot be told from the text
    sentence_start: bool = False


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
    if spec == SENTENCE_START:
        return Matcher(lambda tokens, i: tokens[i].boundary, 1, 1, None, sentence_start=True)
    low, high, body = 1, 1, spec
    repeat = REPEAT.search(spec) if not spec.endswith("/") else None
    if repeat and repeat.start() > 0:
        body = spec[: repeat.start()]
        low, high = int(repeat.group(1)), int(repeat.group(2))
    atoms = [_compile_atom(part.strip(), classes, where) for part in body.split(" & ")]
    tests = [test for test, _ in atoms]
    clue = min((c for _, c in atoms if c is not None), key=lambda c: c.rank, default=None)
    if len(tests) == 1:
        only = tests[0]
        return Matcher(lambda tokens, i: not tokens[i].boundary and only(tokens, i), low, high, clue)

    def test(tokens: list[Tok], i: int) -> bool:
        if tokens[i].boundary:
            return False
        for each in tests:
            if not each(tokens, i):
                return False
        return True

    return Matcher(test, low, high, clue)


def _compile_atom(atom: str, classes: dict[str, WordClass], where: str) -> tuple[Test, Clue | None]:
    """A test for one atom, and the clue to the tokens it accepts."""
    if atom.startswith("!"):
        inner, _ = _compile_atom(atom[1:], classes, where)
        return (lambda tokens, i: not inner(tokens, i)), None
    if len(atom) > 1 and atom.startswith("/") and atom.endswith("/"):
        try:
            pattern, clue = _token_expression(atom[1:-1])
        except regex.error as error:
            raise RuleError(f"{where}: {atom}: {error}") from None
        return (lambda tokens, i: pattern.fullmatch(tokens[i].text) is not None), clue
    alternatives = [_compile_alternative(a, classes, where) for a in atom.split("|")]
    if len(alternatives) == 1:
        return alternatives[0]
    tests = [test for test, _ in alternatives]
    clues = [clue for _, clue in alternatives]
    clue = None if None in clues else functools.reduce(operator.or_, clues)
    return (lambda tokens, i: any(t(tokens, i) for t in tests)), clue


def _compile_alternative(atom: str, classes: dict[str, WordClass], where: str) -> tuple[Test, Clue | None]:
    """One of ``a|@b|=C``: a word ignoring case, a word class, or a word in exactly this case."""
    if atom == SENTENCE_START:
        return (lambda tokens, i: tokens[i].boundary), None
    if atom.startswith("@"):
        name = atom[1:]
        if name in BUILT_IN:
            return BUILT_IN[name], _built_in_clue(name)
        if name not in classes:
            raise RuleError(f"{where}: unknown word class @{name}")
        word_class = classes[name]
        return (lambda tokens, i: tokens[i].norm in word_class), Clue(word_class.words, frozenset(word_class.prefixes))
    if atom.startswith("="):
        exact = atom[1:]
        return (lambda tokens, i: tokens[i].text == exact), Clue(frozenset({normalise(exact)}))
    word = normalise(atom)
    return (lambda tokens, i: tokens[i].norm == word), Clue(frozenset({word}))


@functools.cache
def _token_expression(expression: str) -> tuple[regex.Pattern[str], Clue | None]:
    """A ``/regex/`` atom compiled, and its clue; kept, as several rules share one."""
    pattern = regex.compile(expression, regex.IGNORECASE | regex.VERSION1)
    # A partial match of one character says whether a token can start with it.
    return pattern, _initials(lambda char: pattern.fullmatch(char, partial=True) is not None)


@functools.cache
def _built_in_clue(name: str) -> Clue | None:
    test = BUILT_IN[name]  # they look at the first character (and midcap at more)
    return _initials(lambda char: test([Tok(0, 1, char, normalise(char), False)], 0))


BUILT_IN_MAPS: dict[str, Callable[[str], str]] = {"plural": regular_plural}
DERIVED = regex.compile(r"([\w-]+) of ([\w-]+)")


def pack_classes(table: dict[str, list[str] | dict[str, str] | str]) -> dict[str, WordClass]:
    """The word classes of a pack's ``[classes]`` table, made once for all its rules (every
    rule of a pack is given the same table, and they are prepared one after another)."""
    made, classes = _last_classes
    if made is not table:
        classes = {name: WordClass(name, entries) for name, entries in table.items() if not isinstance(entries, str)}
        for name, entries in table.items():
            if isinstance(entries, str):
                classes[name] = _derived_class(name, entries, classes)
        _last_classes[:] = table, classes
    return classes


def _derived_class(name: str, spec: str, classes: dict[str, WordClass]) -> WordClass:
    """A class written as ``"plural of count-noun"``: the words of a listed class through a
    built-in map, as a map back to the words they came from (so one list gives both)."""
    derived = DERIVED.fullmatch(spec)
    if derived is None or derived.group(1) not in BUILT_IN_MAPS or derived.group(2) not in classes:
        raise RuleError(f"word class {name}: {spec!r} is not '<built-in map> of <listed class>'")
    inflect, source = BUILT_IN_MAPS[derived.group(1)], classes[derived.group(2)]
    return WordClass(name, {inflect(word): word for word in source.words})


_last_classes: list[Any] = [None, {}]  # the table last made into classes, and its classes


@dataclass(frozen=True)
class Anchor:
    """Clues to consecutive tokens of every match, the first ``offset`` tokens after the
    match's start; ``optional[k]`` when the k-th token may be missing."""

    offset: int
    clues: tuple[Clue, ...]
    optional: tuple[bool, ...]


class Pattern:
    """A sequence of matchers; ``match`` gives the token range each matcher took."""

    def __init__(self, specs: list[str], classes: dict[str, WordClass], where: str) -> None:
        if not specs:
            raise RuleError(f"{where}: empty token pattern")
        self.matchers = [compile_matcher(s, classes, where) for s in specs]
        if any(m.sentence_start for m in self.matchers[1:]):
            raise RuleError(f"{where}: {SENTENCE_START} may only open a pattern")
        self.starts_sentence = self.matchers[0].sentence_start
        # Whether a test looks at Tok.opens_sentence (only @midcap does; a mention of it
        # inside a regular expression would merely cost time).
        self.reads_openings = any("@midcap" in spec for spec in specs)
        self.width = sum(m.high for m in self.matchers)  # the most tokens a match looks at
        self.anchor = self._anchor()

    def _anchor(self) -> Anchor | None:
        """The most telling run of clues that starts at a fixed distance from the
        pattern's start (see ``_selectivity``); the earliest of equals."""
        anchors, offset = [], 0
        for first, matcher in enumerate(self.matchers):
            anchors.append(self._anchor_at(first, offset))
            if matcher.low != matcher.high:
                break
            offset += matcher.low
        return max(filter(None, anchors), key=_selectivity, default=None)

    def _anchor_at(self, first: int, offset: int) -> Anchor | None:
        """The run of clues from the ``first`` matcher on, if the scan can search for it:
        a required token of listed words (or prefixes) that start with a letter."""
        head = self.matchers[first]
        if head.low < 1 or head.clue is None or head.clue.initials is not None:
            return None
        if not all(LETTER.match(entry) for entry in head.clue.words | head.clue.prefixes):
            return None
        clues, optional = [head.clue], [False]
        if head.low == head.high == 1 and head.clue.closed:
            for matcher in self.matchers[first + 1 :]:
                fixed, maybe = matcher.low == matcher.high == 1, (matcher.low, matcher.high) == (0, 1)
                if matcher.clue is None or not (fixed or (maybe and matcher.clue.closed)):
                    break
                clues.append(matcher.clue)
                optional.append(maybe)
                if not matcher.clue.closed:
                    break
        return Anchor(offset, tuple(clues), tuple(optional))

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


def _selectivity(anchor: Anchor) -> tuple[int, int, int]:
    """How few places an anchor is likely to be found at, to choose among a pattern's
    anchors: first by its clues that name whole words (a clue by initials lets almost any
    word through), then by its shortest first word (short words are the common ones:
    "a video footage" is better found by "footage" than by "a"), then by its length."""
    first = anchor.clues[0]
    shortest = min(map(len, first.words | first.prefixes), default=0)
    return sum(clue.closed for clue in anchor.clues), shortest, len(anchor.clues)


# -- finding anchors in the raw text -----------------------------------------------------


def _possible(entry: str, prefix: bool) -> bool:
    """True when some token is ``entry`` (or, for a prefix, starts with it): an entry no
    token can be must not be searched for, or it could hide a shorter word found in its
    place (see AnchorScan)."""
    return any(TOKEN.fullmatch(entry + tail) for tail in (("", "a", "0") if prefix else ("",)))


def either(options: list[str]) -> str:
    """``re`` alternatives, grouped unless there is only one."""
    return options[0] if len(options) == 1 and "|" not in options[0] else f"(?:{'|'.join(options)})"


def character_class(chars: Iterable[str]) -> str:
    """The body of an ``re`` character class holding these ASCII characters, in ranges
    (short classes compile fast)."""
    runs: list[list[int]] = []
    for code in sorted(map(ord, chars)):
        if runs and code == runs[-1][-1] + 1:
            runs[-1].append(code)
        else:
            runs.append([code])
    return "".join(rf"\x{run[0]:02x}" + (rf"-\x{run[-1]:02x}" if len(run) > 1 else "") for run in runs)


@dataclass(frozen=True)
class Dialect:
    """How clues are written as ``re`` expressions: over the lower-cased text for the scan
    (``folded``), or ignoring case over the text itself, where initials can tell case,
    for checking what the scan found."""

    folded: bool

    def word(self, entry: str) -> str:
        return "".join("['’]" if char == "'" else re.escape(char) for char in entry)

    def clue(self, clue: Clue) -> str:
        """An expression matching the start of the text at any token the clue accepts."""
        words = sorted((w for w in clue.words if _possible(w, False)), key=len, reverse=True)
        guarded = [self.word(w) for w in words if w[-1].isalpha()]
        parts = [either(guarded) + LETTER_AFTER] if guarded else []
        parts += [self.word(w) for w in words if not w[-1].isalpha()]
        parts += [self.word(p) for p in sorted(clue.prefixes, key=len, reverse=True) if _possible(p, True)]
        if clue.initials is not None:
            ruled_out = character_class(self.ruled_out(clue.initials))
            if not ruled_out:
                return ""
            parts.append(f"(?![{ruled_out}])" if self.folded else f"(?!(?-i:[{ruled_out}]))")
        return either(parts) if parts else "(?!)"

    def ruled_out(self, initials: frozenset[str]) -> frozenset[str]:
        """The ASCII characters no token starts with. In the lower-cased text a letter
        stands for both its cases, and "k" for the Kelvin sign too."""
        if self.folded:
            initials = frozenset(char.lower() for char in initials)
        return frozenset(char for char in PROBES if char.isascii() and char not in initials)

    def following(self, anchor: Anchor) -> str:
        """The clues after the anchor's first; tokens may be apart or touch ("a1")."""
        return "".join(rf"(?:\s*{self.clue(c)})?" if optional else rf"\s*{self.clue(c)}"
                       for c, optional in zip(anchor.clues[1:], anchor.optional[1:]))


# After a word that ends in a letter: no letter follows, or the token would go on. (Only
# a-z is ruled out; that is enough to find words, and never wrong.)
LETTER_AFTER = "(?![a-z])"
SCAN = Dialect(folded=True)
CHECK = Dialect(folded=False)


@dataclass(frozen=True)
class Ending:
    """What the scan requires at the end of a first word: the end of a word (``whole``,
    not for a prefix), then a token the anchor's next clue accepts (when required)."""

    whole: bool
    following: Clue | None

    def holds(self, folded: str, end: int, next_token: Callable[[Clue], NextToken]) -> bool:
        """True when the ending holds after ``folded[:end]``, as the search's expression
        would find."""
        if self.whole and "a" <= folded[end : end + 1] <= "z":
            return False
        if self.following is None:
            return True
        return next_token(self.following).starts(folded, end, SPACES.match(folded, end).end())


def _written(endings: frozenset[Ending]) -> str:
    """The endings as one expression, those that end a word sharing the guard for it."""
    options = []
    for whole in (True, False):
        following = {SCAN.clue(end.following) if end.following else "" for end in endings if end.whole == whole}
        if following:
            lookahead = "" if "" in following else rf"(?=\s*{either(sorted(following))})"
            options.append((LETTER_AFTER if whole else "") + lookahead)
    return "" if "" in options else either(options)


# (rule, its test of the token after the first word, if any) of the rules a first word starts,
# and the rules a prefix of it may start.
RulesOfEntry = tuple[list[tuple["TokenPatternRule", "NextToken | None"]], list["TokenPatternRule"]]


class AnchorScan:
    """One pass over a document that finds where the anchors of a pack's rules may be.

    One ``re`` expression searches the lower-cased text for the anchors' first words,
    as a trie ("a(?:bout|ll|n)") after a character that is not a letter a-z, each word
    followed by a lookahead for the next token's clue. Each find is then checked against
    the whole anchors of the rules it may start (those whose next clue the token after it
    meets), over the original text (where case can be told).

    Compiling that expression costs more than checking a short article does, so the first
    ``WALKED_BEFORE_COMPILING`` characters a scan sees are searched by walking a trie of
    the same words in Python instead, which finds exactly what the expression would.

    Assumed of the text, as for plain text it is: a sentence starts and ends at the edge
    of a token, never inside a word (markup readers end blocks at markup or spaces).
    """

    def __init__(self, rules: list[TokenPatternRule]) -> None:
        self.rules = [r for r in rules if r.pattern.anchor is not None]
        self.endings: dict[str, set[Ending]] = {}
        self.following: dict[TokenPatternRule, Clue | None] = {}  # the clue to the token after the first word
        for rule in self.rules:
            anchor = rule.pattern.anchor
            following = anchor.clues[1] if len(anchor.clues) > 1 and not anchor.optional[1] else None
            self.following[rule] = following
            for word in filter(lambda w: _possible(w, False), anchor.clues[0].words):
                self.endings.setdefault(word, set()).add(Ending(word[-1].isalpha(), following))
            for prefix in filter(lambda p: _possible(p, True), anchor.clues[0].prefixes):
                self.endings.setdefault(prefix, set()).add(Ending(False, following))
        self.walked = 0  # characters searched by walking the trie
        self._next_tokens: dict[Clue, NextToken] = {}
        self._rules_of: dict[str, RulesOfEntry] = {}
        self._rule_checks: dict[TokenPatternRule, re.Pattern[str]] = {}

    @functools.cached_property
    def search(self) -> re.Pattern[str]:
        """The expression. Only the clue to the token after a first word is written in:
        every word carries its own copy, so writing all the clues would make it much longer,
        and slower to compile, for few fewer finds."""
        return re.compile(f"[^a-z]({_trie(self.endings)})")

    @functools.cached_property
    def trie(self) -> dict[str, Any]:
        """The entries letter by letter, for walking the text; a "’" in the text follows
        the branch of "'", as the expression's ['’] does."""
        return _entry_trie(self.endings, curly_apostrophe=True)

    @functools.cached_property
    def word_starts(self) -> re.Pattern[str]:
        return re.compile(f"(?<![a-z])[{re.escape(''.join(sorted(self.trie)))}]")

    def candidates(self, doc: Document) -> dict[TokenPatternRule, list[int]]:
        """Where each rule's anchor may start, in document order."""
        found: dict[TokenPatternRule, list[int]] = {}
        if not self.endings:
            return found
        text, folded = doc.text, doc.folded
        for position, entry in self._finds(folded):
            of_word, of_prefix = self._rules_of.get(entry) or self._rules_of_entry(entry)
            end = position + len(entry)
            at = SPACES.match(folded, end).end()  # where the next token starts, for all the tests
            for rule, following in of_word:
                # The token after the word is tested first, in Python as the scan tests it,
                # so that only the rules whose next clue it meets have their check compiled
                # (compiling them all would cost more than the rest of a short article's scan).
                if following is None or following.starts(folded, end, at):
                    if self._rule_check(rule).match(text, position) is not None:
                        found.setdefault(rule, []).append(position)
            for rule in of_prefix:
                if self._rule_check(rule).match(text, position) is not None:
                    found.setdefault(rule, []).append(position)
        return found

    def _finds(self, folded: str) -> Iterator[tuple[int, str]]:
        """(position, entry as written there) of each first word the search finds."""
        if self.walked + len(folded) <= WALKED_BEFORE_COMPILING:
            self.walked += len(folded)
            return self._walk(folded)
        return self._search(folded)

    def _search(self, folded: str) -> Iterator[tuple[int, str]]:
        return ((hit.start(1) - 1, hit.group(1)) for hit in self.search.finditer(" " + folded))

    def _walk(self, folded: str) -> Iterator[tuple[int, str]]:
        """What the search finds, found by walking the trie: at each place a word may
        start, after the last find, the longest entry spelt there whose ending holds."""
        resume = 0
        for start in self.word_starts.finditer(folded):
            position = start.start()
            if position < resume:  # the search's [^a-z] before it was part of the last find
                continue
            node, end, found = self.trie, position, 0
            while end < len(folded) and folded[end] in node:
                node = node[folded[end]]
                end += 1
                if "" in node and any(ending.holds(folded, end, self._next_token) for ending in node[""]):
                    found = end
            if found:
                resume = found + 1
                yield position, folded[position:found]

    def _next_token(self, clue: Clue) -> NextToken:
        if clue not in self._next_tokens:
            self._next_tokens[clue] = NextToken(clue)
        return self._next_tokens[clue]

    def _rules_of_entry(self, found: str) -> RulesOfEntry:
        """For a first word found: the rules whose anchor it may start with that word (each
        with its test of the next token), and those whose anchor it may start with a prefix
        of its (the scan finds the longest entry there, so the rules of a prefix it extends
        count too)."""
        entry = found.replace("’", "'")
        of_word, of_prefix = [], []
        for rule in self.rules:
            first = rule.pattern.anchor.clues[0]
            if entry in first.words:
                following = self.following[rule]
                of_word.append((rule, None if following is None else self._next_token(following)))
            elif entry.startswith(tuple(first.prefixes)):
                of_prefix.append(rule)
        self._rules_of[found] = of_word, of_prefix
        return of_word, of_prefix

    def _rule_check(self, rule: TokenPatternRule) -> re.Pattern[str]:
        """The rule's whole anchor, compiled when first needed: few turn up in one article."""
        if rule not in self._rule_checks:
            self._rule_checks[rule] = re.compile(_anchor_expression(rule.pattern.anchor), re.IGNORECASE)
        return self._rule_checks[rule]


@functools.cache
def _anchor_expression(anchor: Anchor) -> str:
    """The whole anchor, for the original text (ignoring case except in initials)."""
    return CHECK.clue(anchor.clues[0]) + CHECK.following(anchor)


def _entry_trie(endings: dict[str, set[Ending]], curly_apostrophe: bool) -> dict[str, Any]:
    """The entries letter by letter; the key "" (no character of the text) holds an
    entry's endings. With ``curly_apostrophe``, "’" leads where "'" does."""
    root: dict[str, Any] = {}
    for entry, ends in endings.items():
        node = root
        for char in entry:
            if char not in node:
                node[char] = {}
                if curly_apostrophe and char == "'":
                    node["’"] = node[char]
            node = node[char]
        node[""] = frozenset(ends)
    return root


def _trie(endings: dict[str, set[Ending]]) -> str:
    """An ``re`` alternation of the words sharing their prefixes (longer words first), each
    followed by one of its endings; when all the words below a branch end alike, that is
    written once, after the branch."""
    root = _entry_trie(endings, curly_apostrophe=False)

    def kinds(node: dict[str, Any]) -> set[frozenset[Ending]]:
        return {ends for char, child in node.items() for ends in ({child} if not char else kinds(child))}

    def branch(node: dict[str, Any], with_endings: bool) -> str:
        shared = kinds(node) if with_endings else set()
        if len(shared) == 1:
            return either([branch(node, False)]) + _written(*shared)
        options = [SCAN.word(char) + branch(child, with_endings) for char, child in sorted(node.items()) if char]
        if "" in node:
            options.append(_written(node[""]) if with_endings else "")
        return either(options)

    return branch(root, True)


WALKED_BEFORE_COMPILING = 100_000  # about what walking costs as much as compiling the search
SPACES = re.compile(r"\s*")


class NextToken:
    """A clue to the token after a first word, tested in Python over the lower-cased text
    as the search's lookahead (spaces, then ``SCAN.clue``) would test it."""

    def __init__(self, clue: Clue) -> None:
        self.words = frozenset(w for w in clue.words if _possible(w, False))
        self.lengths = sorted({len(w) for w in self.words})
        self.prefixes = tuple(p for p in clue.prefixes if _possible(p, True))
        self.longest = max((len(e) for e in (*self.words, *self.prefixes)), default=0)
        # None: the initials allow no token (the clue has none); empty: they allow every one.
        self.excluded = None if clue.initials is None else SCAN.ruled_out(clue.initials)

    def starts(self, folded: str, end: int, at: int) -> bool:
        """Whether the token after ``folded[:end]``, at ``at`` after the spaces, fits."""
        if self.excluded is not None and (at == len(folded) or not self.excluded.issuperset(folded[end : at + 1])):
            return True  # a character that is not ruled out (the spaces may stop before any)
        window = folded[at : at + self.longest + 1].replace("’", "'")
        for length in self.lengths:
            word = window[:length]
            if word in self.words and not (word[-1].isalpha() and "a" <= window[length : length + 1] <= "z"):
                return True
        return window.startswith(self.prefixes)


class Pack:
    """The token-pattern rules of one rule pack: they share one scan of each document."""

    def __init__(self, rules: list[TokenPatternRule]) -> None:
        self.rules = rules
        self._document: weakref.ref[Document] | None = None
        self._found: dict[TokenPatternRule, list[int]] = {}

    @functools.cached_property
    def scan(self) -> AnchorScan:
        return AnchorScan(self.rules)

    def candidates(self, doc: Document, rule: TokenPatternRule) -> list[int]:
        """Where the rule's anchor may start; the rules of a pack run one after another on
        a document, so the scan of the last document is kept."""
        if self._document is None or self._document() is not doc:
            self._found = self.scan.candidates(doc)
            self._document = weakref.ref(doc)
        return self._found.get(rule, [])


# -- the rule kind ---------------------------------------------------------------------

PLACEHOLDER = regex.compile(r"\{(\d+)(?::([\w|-]+))?\}")


@rule_kind("token-pattern")
class TokenPatternRule(Rule):
    """A grammar slip found as a sequence of tokens, with contexts where it must not fire."""

    fields = {"tokens": [], "antipatterns": [], "unfixable": [], "mark": [], "message": "", "replacement": None,
              "classes": {}}

    def __init__(self, table: dict[str, Any], source: str) -> None:
        super().__init__({"in-quotes": False, **table}, source)

    def prepare(self) -> None:
        where = f"{self.source}: rule {self.code}"
        self.classes = pack_classes(self.spec["classes"])
        self.pattern = Pattern(self.spec["tokens"], self.classes, where)
        self.antipatterns = [Pattern(a, self.classes, where) for a in self.spec["antipatterns"]]
        self.unfixable = [Pattern(u, self.classes, where) for u in self.spec["unfixable"]]
        mark = self.spec["mark"] or [1, len(self.pattern.matchers)]
        if len(mark) != 2 or not 1 <= mark[0] <= mark[1] <= len(self.pattern.matchers):
            raise RuleError(f"{where}: mark must be [first, last] matcher numbers")
        self.mark = (mark[0] - 1, mark[1] - 1)
        for _, maps in PLACEHOLDER.findall(f"{self.spec['replacement'] or ''} {self.spec['message']}"):
            for name in filter(None, maps.split("|")):
                if name not in self.classes and name not in BUILT_IN_MAPS:
                    raise RuleError(f"{where}: template names unknown map {name!r}")
        self.pack = Pack([self])  # until prepare_pack puts it with the rest of its pack

    @classmethod
    def prepare_pack(cls, rules: list[Rule]) -> None:
        pack = Pack(rules)
        for rule in rules:
            rule.pack = pack

    def check(self, doc: Document, settings: Settings) -> Iterable[Diagnostic]:
        if self.pattern.anchor is None:
            return self._diagnostics(doc, self._every_start(doc))
        candidates = self.pack.candidates(doc, self)
        return self._diagnostics(doc, self._anchored_starts(doc, candidates)) if candidates else ()

    def _every_start(self, doc: Document) -> Iterator[tuple[list[Tok], int]]:
        """Each place a match may start, for a pattern without an anchor."""
        for index in range(len(doc.sentences)):
            tokens = sentence_tokens(doc, index)
            starts = range(1) if self.pattern.starts_sentence else range(len(tokens))
            yield from ((tokens, start) for start in starts)

    def _anchored_starts(self, doc: Document, candidates: list[int]) -> Iterator[tuple[list[Tok], int]]:
        """Where a match starts, given where its anchor may: a candidate is tried first on
        the few tokens a match can reach, and its sentence tokenised only if it matches."""
        offset = self.pattern.anchor.offset
        for position in candidates:
            if offset == 0 and not self._matches_nearby(doc, position):
                continue
            index = sentence_at(doc, position)
            if index is None:
                continue
            tokens = sentence_tokens(doc, index)
            anchor = bisect.bisect_left(tokens, position, lo=1, key=lambda t: t.start)
            if anchor < len(tokens) and tokens[anchor].start == position and anchor >= offset:
                yield tokens, anchor - offset

    def _matches_nearby(self, doc: Document, position: int) -> bool:
        """True when the pattern matches from ``position``, tokenising the raw text from
        there into no more tokens than a match can look at. Where a token of a sentence
        starts, the raw text has the sentence's tokens (sentences start and end at token
        edges, see AnchorScan), and a window running on past its sentence can only match
        more; where none starts, the caller finds no token. Only @midcap needs to know
        whether a token opens its sentence, only for a capitalised one, and here only the
        first can (the rest follow a word)."""
        opening = False
        if self.pattern.reads_openings and doc.text[position].isupper():
            index = sentence_at(doc, position)
            if index is None:
                return False
            opening = OPENING.fullmatch(doc.text, doc.sentences[index].start, position) is not None
        tokens = tokenise(doc.text, position, len(doc.text), opening)
        return self.pattern.match(list(itertools.islice(tokens, self.pattern.width)), 0) is not None

    def _diagnostics(self, doc: Document, starts: Iterable[tuple[list[Tok], int]]) -> Iterator[Diagnostic]:
        for tokens, start in starts:
            groups = self.pattern.match(tokens, start)
            if groups is None or _overlaps(self.antipatterns, tokens, groups) or _touches_skipped(doc, tokens, groups):
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
            if _overlaps(self.unfixable, tokens, groups):
                replacement = None
            yield self.diagnostic(span_start, span_end, message, replacement)

    def _expand(self, template: str, texts: list[str]) -> str:
        def fill(placeholder: regex.Match) -> str:
            text = texts[int(placeholder.group(1))]
            if placeholder.group(2) is None:
                return text
            return match_case(self._mapped(placeholder.group(2).split("|"), normalise(text)), text)

        return PLACEHOLDER.sub(fill, template)

    def _mapped(self, maps: list[str], word: str) -> str:
        """The word looked up in the first of the maps that has it (a built-in map has
        every word); the word itself when none has."""
        for name in maps:
            if name in self.classes:
                if word in self.classes[name].map:
                    return self.classes[name].map[word]
            else:
                return BUILT_IN_MAPS[name](word)
        return word


def _overlaps(patterns: list[Pattern], tokens: list[Tok], groups: list[tuple[int, int]]) -> bool:
    """True when a match of one of the patterns overlaps the tokens of this match."""
    first, last = groups[0][0], groups[-1][1]
    for pattern in patterns:
        for start in range(max(0, first - pattern.width + 1), last):
            found = pattern.match(tokens, start)
            if found is not None and found[0][0] < last and found[-1][1] > first and found[-1][1] > start:
                return True
    return False


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
