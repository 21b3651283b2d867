"""Document-level consistency rules (CL3xx): one article, one way of writing each thing.

Most rules here take a census: every occurrence of a thing (a name, a month, a quotation
mark, a dash) is given a *style*, the style used most often wins, and the others are
flagged with a fix to the winner. When two styles are used equally often, both are
flagged, naming each other, and nothing is fixed: the tool cannot know which is right.

Counting and quoted speech: a rule with ``in-quotes = false`` neither flags nor counts
what lies inside quotation marks, so that a source's own wording never outvotes (or is
corrected towards) the writer's. Rules that apply inside quotes count everything.

Each class is a kind used by a rule in ``rules/consistency.toml``; the variant spellings
live in ``rules/variants.toml``.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import math
import operator
import re
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Iterator

import regex

from copylint.document import INNER_APOSTROPHE, Document, Span, Token
from copylint.engine import Diagnostic, Memo, Rule, RuleError, Settings, rule_kind, rules_folder
from copylint.kinds import match_case
from copylint.spelling import default_speller, without_possessive


# The spelling lexicon already holds wordfreq's frequencies in a compact cache; asking it
# spares every run wordfreq's import and data load (a fifth of a second).
ZIPF_FREQUENCIES = Memo(lambda word: default_speller().lexicon.zipf(word.lower().replace("’", "'")))


def word_frequency(word: str) -> float:
    """How familiar ``word`` is as an English word or name, on the Zipf scale (0 = unknown,
    3 = once per million words, 7 = "the"). The one place that asks a word source; cached,
    as each lookup is slow and names recur from article to article."""
    return ZIPF_FREQUENCIES[word]


def times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One use of a thing in a style; ``group`` separates unrelated censuses in one rule."""

    start: int
    end: int
    style: str
    group: object = None


class CensusRule(Rule):
    """A rule that flags the styles used less often than the most common one.

    Subclasses yield occurrences and say how to rewrite one in another style
    (``rewrite`` returns None when it cannot). ``message`` may use ``{match}``,
    ``{style}``, ``{count}``, ``{majority}`` and ``{majority_count}``;
    ``tie-message`` may use ``{match}``, ``{style}``, ``{other}`` and ``{count}``.

    Most articles use one style of each thing or none, so ``may_mix`` first asks the
    raw text, with fast string searches, whether two styles can be there at all.
    """

    fields = {"message": "", "tie-message": "", "labels": {}}

    def check(self, doc: Document, settings: Settings) -> Iterator[Diagnostic]:
        if not self.may_mix(doc):
            return
        groups: dict[object, list[Occurrence]] = defaultdict(list)
        for occurrence in self.occurrences(doc, settings):
            if self.counted(doc, occurrence.start, occurrence.end):
                groups[occurrence.group].append(occurrence)
        for group in groups.values():
            yield from self.minorities(doc, group)

    def may_mix(self, doc: Document) -> bool:
        """False when the text cannot hold occurrences of two styles (a necessary
        condition only: True promises nothing)."""
        return True

    def occurrences(self, doc: Document, settings: Settings) -> Iterable[Occurrence]:
        raise NotImplementedError

    def rewrite(self, doc: Document, occurrence: Occurrence, style: str) -> str | None:
        raise NotImplementedError

    def label(self, style: str) -> str:
        return self.spec["labels"].get(style, style)

    def flaggable(self, style: str) -> bool:
        return True

    def claim(self, style: str) -> float:
        """How strongly a style claims to be the right one when two are used equally often;
        by default, none more than another."""
        return 0.0

    def standing(self, tied: list[str], occurrences: list[Occurrence]) -> str:
        """The style that stands when several are used equally often; the others are asked
        about, one report for each departure rather than one for every occurrence of all.
        The stronger claim stands ("Thailand" beside "Thaliand"), else the style written first."""
        def first_written(style: str) -> int:
            return min(o.start for o in occurrences if o.style == style)

        return min(tied, key=lambda style: (-self.claim(style), first_written(style)))

    def counted(self, doc: Document, start: int, end: int) -> bool:
        """Occurrences the census counts: none in skipped regions, none in quotes unless
        the rule applies there."""
        if doc.is_skipped(start, end):
            return False
        return self.in_quotes or not doc.in_quotation(start, end)

    def minorities(self, doc: Document, occurrences: list[Occurrence]) -> Iterator[Diagnostic]:
        counts = Counter(o.style for o in occurrences)
        if len(counts) < 2:
            return
        ranked = sorted(counts, key=lambda style: (-counts[style], style))
        majority = ranked[0]
        tied = [style for style in ranked if counts[style] == counts[majority]]
        kept = majority if len(tied) == 1 else self.standing(tied, occurrences)
        for occurrence in occurrences:
            if occurrence.style == kept or not self.flaggable(occurrence.style):
                continue
            match = doc.text[occurrence.start : occurrence.end]
            if occurrence.style in tied:
                message = self.spec["tie-message"].format(
                    match=match, style=self.label(occurrence.style), other=self.label(kept),
                    count=times(counts[kept]),
                )
                yield self.diagnostic(occurrence.start, occurrence.end, message)
                continue
            message = self.spec["message"].format(
                match=match, style=self.label(occurrence.style), count=times(counts[occurrence.style]),
                majority=self.label(majority), majority_count=times(counts[majority]),
            )
            replacement = self.rewrite(doc, occurrence, majority) if len(tied) == 1 else None
            yield self.diagnostic(occurrence.start, occurrence.end, message, replacement)


def chosen_style(rule: Rule, settings: Settings) -> str | None:
    """The house style: the rule's own ``style`` option, else the configuration's ``style``."""
    return rule.option(settings, "style") or settings.get("style")


# -- names ------------------------------------------------------------------------------


def _capitalised_word_pattern(letter: str, capital: str, apostrophe: str) -> regex.Pattern:
    """Words as ``Document.words`` cuts them (letters with inner apostrophes) that hold a
    ``capital``: a letter that is not lower case. The match starts at that letter, so
    that the regex engine skips the lower-case text between names; ``glue`` is the part
    of the word before it ("e" in "eBay", "d'" in "d'Artagnan") and ``rest`` the part
    from it."""
    glued = rf"(?<=(?P<glue>{letter}+(?:{apostrophe}{letter}+)*{apostrophe}?).)"
    unglued = rf"(?<!{letter}{apostrophe}?.)"  # the usual case, and the cheaper test
    return regex.compile(rf"(?P<rest>{capital}(?:{unglued}|{glued}){letter}*(?:{apostrophe}{letter}+)*)")


# Uncased scripts count as capitals: an Arabic or a Chinese word is not lower case either.
# The first class (A-Z, or anything from U+00C0 on) is one the engine tests fast; the
# look-behind then checks the letter's category only there.
CAPITALISED_WORD = _capitalised_word_pattern(
    r"[\p{L}\p{M}]", r"[^\x00-\x40\x5b-\xbf](?<=[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}])", INNER_APOSTROPHE
)
# In text whose letters are all ASCII, as in most English news copy (whatever its
# currency signs and quotation marks), ASCII classes find the same words several times
# faster.
CAPITALISED_ASCII_WORD = _capitalised_word_pattern("[A-Za-z]", "[A-Z]", INNER_APOSTROPHE)


def _capitalised_word_finder(doc: Document) -> regex.Pattern:
    return CAPITALISED_ASCII_WORD if doc.letters_are_ascii else CAPITALISED_WORD


def _capitalised_words(doc: Document) -> list[Token]:
    """Every word that holds a capital, with its exact offsets."""
    words, text = [], doc.text
    for match in _capitalised_word_finder(doc).finditer(text):
        start = match.start("rest") - len(match.group("glue") or "")
        words.append(Token(start, match.end(), text[start : match.end()]))
    return words


@dataclass
class NameForm:
    """All uses of one spelling of a name (compared case-blind, possessives aside)."""

    key: str
    spans: list[Span] = field(default_factory=list)
    spellings: Counter = field(default_factory=Counter)
    neighbours: set[str] = field(default_factory=set)
    beside_names: int = 0  # uses with a first name or surname beside them
    evidence: bool = False
    stem: bool = False  # the start of a longer name in the article (Tajik in Tajikistan)

    @property
    def count(self) -> int:
        return len(self.spans)

    @property
    def spelling(self) -> str:
        return min(self.spellings, key=lambda s: (-self.spellings[s], s))


@rule_kind("name-consistency")
class NameConsistencyRule(CensusRule):
    """A name spelled two ways in one article ("Kabar" four times, "Labar" once).

    Names are capitalised words: mid-sentence ones, unfamiliar ones at a sentence
    start, and those in a source position ("according to X"). Two spellings are one
    name when their letters differ by a small edit (``max-edits`` by length) or by a
    transliteration variant (``transliterations``, then doubled letters). They are
    never one name when one spelling starts the other (Kazakh/Kazakhstan, Ivanov/
    Ivanova, Kabar/Kabars), when both are familiar words or names (Austria/Australia),
    or when each is written next to a different first name or surname (Rustam Karimov,
    Bakyt Kerimov): those are two people.

    Speed: the spellings alone rule out most articles (no two are alike), so the words
    around each name are looked at only for the spellings that pair up.
    """

    fields = {
        **CensusRule.fields,
        "min-length": 5,
        "max-edits": [[5, 1], [10, 2]],
        "familiar": 3.0,
        "known-name": 2.0,
        "common-opening": 4.0,
        "transliterations": [],
        "gendered-endings": [],
        "titles": [],
        "source-patterns": [],
        "groups-file": "",  # groups of accepted variants, left to the variant rule
    }

    def prepare(self) -> None:
        # Spellings that one group of accepted variants lists ("Taliban", "Taleban") are
        # the variant rule's to report: one defect, one report.
        self.variant_group_of = {form.lower(): index for index, group in enumerate(variant_groups(self))
                                 for form in group.forms}
        self.titles = {t.lower() for t in self.spec["titles"]}
        self.sources = regex.compile("|".join(f"(?:{p})" for p in self.spec["source-patterns"]) or r"(?!)")
        self.transliterations = [(a, b) for a, b in self.spec["transliterations"]]
        self.endings = [(a, b) for a, b in self.spec["gendered-endings"]]
        self.endings += [(b, a) for a, b in self.endings]
        self.ending_suffixes = tuple(one for one, _ in self.endings)  # one C call rules most names out
        # Caches: most words recur from article to article.
        self.name_keys_of = Memo(self.name_key)
        self.transliteration_keys = Memo(self.transliterated)
        self.signatures_of = Memo(self.signatures)
        # Keys this long or longer are allowed an edit, or more than one (see candidate_pairs).
        self.most_edits = max((edits for _, edits in self.spec["max-edits"]), default=0)
        self.one_edit_key, self.long_key = (
            min((least for least, edits in self.spec["max-edits"] if edits > fewer), default=math.inf)
            for fewer in (0, 1)
        )

    def label(self, style: str) -> str:
        return style

    def flaggable(self, style: str) -> bool:
        """A familiar word is never flagged: "Venice" beside "La Fenice" is no typo."""
        return word_frequency(style) < self.spec["familiar"]

    def claim(self, style: str) -> float:
        """The spelling more often seen in print: "Mirziyoyev" over "Mirziyoev"."""
        return word_frequency(style)

    def occurrences(self, doc: Document, settings: Settings) -> Iterator[Occurrence]:
        keys = self.name_keys(doc)
        pairs = self.similar_pairs(keys)
        if not pairs:
            return
        forms = self.name_forms(doc, keys, {key for pair in pairs for key in pair})
        for minority, majority in self.variant_pairs(doc, forms, pairs):
            pair = (minority.key, majority.key)
            for form in (minority, majority):
                for span in form.spans:
                    yield Occurrence(span.start, span.end, form.spelling, pair)

    def rewrite(self, doc: Document, occurrence: Occurrence, style: str) -> str:
        return match_case(style, doc.text[occurrence.start : occurrence.end])

    # Collecting names

    def name_keys(self, doc: Document) -> set[str]:
        """The spellings (lower case) of the article's capitalised words, found without
        making an object per word: most articles go no further."""
        words = {glue + rest for rest, glue in _capitalised_word_finder(doc).findall(doc.text)}
        keys = set(map(self.name_keys_of.__getitem__, words))
        keys.discard(None)
        return keys

    def name_key(self, word: str) -> str | None:
        """The spelling (lower case) of the name that ``word`` is a use of, possessive
        removed, or None when it is too short or all lower case."""
        shortest = self.spec["min-length"]
        if len(word) < shortest or word.islower():
            return None
        stem = without_possessive(word)
        return stem.lower() if len(stem) >= shortest and _capitalised(stem) else None

    def name_forms(self, doc: Document, keys: set[str], wanted: set[str]) -> dict[str, NameForm]:
        """The uses of the ``wanted`` spellings that are names; ``keys`` are all the spellings."""
        forms: dict[str, NameForm] = {}
        sourced = self.source_positions(doc)
        words = _capitalised_words(doc)
        starting = {word.start: word for word in words}
        ending = {word.end: word for word in words}
        for token in words:
            key = self.name_keys_of[token.text]
            if key not in wanted:
                continue
            stem = without_possessive(token.text)
            form = forms.setdefault(key, NameForm(key))
            form.spans.append(Span(token.start, token.start + len(stem)))
            form.spellings[stem] += 1
            form.evidence = form.evidence or token.start in sourced or self.looks_like_name(doc, token, stem)
            neighbours = set(self.neighbours(doc, token, starting, ending))
            form.neighbours |= neighbours
            form.beside_names += bool(neighbours)
        ordered = sorted(keys)
        for key, following in zip(ordered, ordered[1:]):
            if key in forms:
                forms[key].stem = following.startswith(key)
        return {key: form for key, form in forms.items() if form.evidence}

    def looks_like_name(self, doc: Document, token: Token, stem: str) -> bool:
        if not doc.is_sentence_start(token.start):
            return True
        return word_frequency(stem) < self.spec["familiar"]

    def source_positions(self, doc: Document) -> set[int]:
        return {m.start("name") for m in self.sources.finditer(doc.text)}

    def neighbours(
        self, doc: Document, token: Token, starting: dict[int, Token], ending: dict[int, Token]
    ) -> Iterator[str]:
        """First names and surnames written beside this word ("Rustam" in "Rustam Karimov"):
        capitalised words one space away (``starting`` and ``ending`` index the
        capitalised words by their offsets; other words are never names)."""
        text = doc.text
        before = ending.get(token.start - 1) if text[token.start - 1 : token.start] == " " else None
        after = starting.get(token.end + 1) if text[token.end : token.end + 1] == " " else None
        for word in (before, after):
            if word is None or not _capitalised(word.text):
                continue
            if word.text.lower() in self.titles or self.common_opening(doc, word):
                continue
            yield without_possessive(word.text).lower()

    def common_opening(self, doc: Document, word: Token) -> bool:
        """A common word opening a sentence ("Yesterday Karimov said") is not a first name;
        the bar is higher than ``familiar`` because many first names are familiar words."""
        return doc.is_sentence_start(word.start) and word_frequency(word.text) >= self.spec["common-opening"]

    # Pairing spellings

    def variant_pairs(
        self, doc: Document, forms: dict[str, NameForm], pairs: list[tuple[str, str]]
    ) -> Iterator[tuple[NameForm, NameForm]]:
        """(minority, majority) pairs of spellings of one name; each minority spelling is
        paired with its most frequent look-alike only."""
        best: dict[str, NameForm] = {}
        for a, b in pairs:
            if a not in forms or b not in forms:
                continue  # one of them is never used as a name
            first, second = forms[a], forms[b]
            if not self.same_name(first, second) or _listed_together(doc, first, second):
                continue
            minority, majority = sorted((first, second), key=lambda f: (f.count, f.key))
            if minority.count < majority.count and not self.flaggable(minority.spelling):
                continue
            current = best.get(minority.key)
            if current is None or (majority.count, current.key) > (current.count, majority.key):
                best[minority.key] = majority
        for key in sorted(best):
            yield forms[key], best[key]

    def similar_pairs(self, keys: set[str]) -> list[tuple[str, str]]:
        """Sorted pairs of spellings alike enough to be one name, judged from the
        spellings alone (``same_name`` then looks at how they are used)."""
        return sorted((a, b) for a, b in self.candidate_pairs(keys)
                      if self.similar_spellings(a, b) and not self.listed_variants(a, b))

    def listed_variants(self, a: str, b: str) -> bool:
        group = self.variant_group_of.get(a)
        return group is not None and group == self.variant_group_of.get(b)

    def candidate_pairs(self, keys: set[str]) -> set[tuple[str, str]]:
        """Pairs (in order) of keys that may be one name: every pair with one
        transliteration key or within the edits allowed, and few others. Keys are paired
        when they share a signature (see ``signatures``); one set union in C finds that
        most articles have none. Pairs allowed more than one edit are long names, few in
        an article, and compared directly."""
        ordered = sorted(keys)
        signatures = list(map(self.signatures_of.__getitem__, ordered))
        pairs = set()
        if len(set().union(*signatures)) < sum(map(len, signatures)):
            holders: dict[str, list[str]] = defaultdict(list)
            for key, own in zip(ordered, signatures):
                for signature in own:
                    holders[signature].append(key)
            pairs = {pair for group in holders.values() for pair in itertools.combinations(group, 2)}
        long = [key for key in ordered if len(key) >= self.long_key]
        for index, key in enumerate(long):
            pairs.update((other, key) for other in long[:index] if _few_edits_apart(other, key, self.most_edits))
        return pairs

    def signatures(self, key: str) -> tuple[str, ...]:
        """Strings that two keys share when they have one transliteration key or are one
        edit apart: the transliteration key, and the front and the back of the key.

        An edit changes at most two neighbouring letters, so two keys one edit apart,
        the shorter ``length`` letters long, keep their first or their last
        ``(length - 1) // 2`` letters in common. A key stands for both the shorter and
        the longer of such a pair, and its ends are marked with the length they are for."""
        found = ["=" + self.transliteration_key(key)]
        for length in (len(key), len(key) - 1):
            if length >= self.one_edit_key:
                half = (length - 1) // 2
                found += (f"<{length}:{key[:half]}", f">{length}:{key[len(key) - half :]}")
        return tuple(found)

    def similar_spellings(self, a: str, b: str) -> bool:
        if self.inflected(a, b) or self.inflected(b, a):
            return False
        if self.transliteration_key(a) != self.transliteration_key(b) and not self.within_edits(a, b):
            return False
        return min(word_frequency(a), word_frequency(b)) < self.spec["known-name"]

    def within_edits(self, a: str, b: str) -> bool:
        edits = self.max_edits(min(len(a), len(b)))
        return _one_edit_apart(a, b) if edits == 1 else _edit_distance(a, b) <= edits

    def same_name(self, first: NameForm, second: NameForm) -> bool:
        """Whether two alike spellings (see ``similar_spellings``) are used as one name."""
        if first.spelling.isupper() and second.spelling.isupper():
            return False  # acronyms: ERAA and ELAA are two bodies
        if first.neighbours and second.neighbours and not first.neighbours & second.neighbours:
            return False
        return not (self.inside_other_name(first, second) or self.inside_other_name(second, first))

    def inside_other_name(self, form: NameForm, other: NameForm) -> bool:
        """True when ``form`` is only ever part of a longer name ("Barqi Tojik") and
        ``other`` is a word the article uses on its own and builds on ("the Tajik
        capital", "Tajikistan")."""
        return form.beside_names == form.count and not other.neighbours and other.stem

    def inflected(self, a: str, b: str) -> bool:
        """True when ``b`` is ``a`` with an ending or a prefix: Kazakh/Kazakhstan,
        Ivanov/Ivanova, Ivanova/Ivanovs (a plural: the Ivanovs), Kovalevsky/Kovalevskaya,
        Khayelitsha/eKhayelitsha."""
        base = a[:-1] if a.endswith("s") else a
        if b.startswith(a) or b.startswith(base) or b.endswith(a):
            return True
        return a.endswith(self.ending_suffixes) and \
            any(a.endswith(one) and b == a[: len(a) - len(one)] + other for one, other in self.endings)

    def max_edits(self, length: int) -> int:
        return max((edits for least, edits in self.spec["max-edits"] if length >= least), default=0)

    def transliteration_key(self, key: str) -> str:
        return self.transliteration_keys[key]

    def transliterated(self, key: str) -> str:
        for written, common in self.transliterations:
            key = key.replace(written, common)
        if any(map(operator.eq, key, key[1:])):  # doubled letters made single
            key = "".join(letter for letter, _ in itertools.groupby(key))
        return key


# Between two items of a list of names: capitalised words, commas, semicolons, "and", a
# substitute's minute ("(Karami 66)"), and line breaks but no blank line; at least one list mark.
LIST_BETWEEN = regex.compile(r"(?:[ \t,;&()\d]|\band\b|\p{Lu}[\p{L}'’-]*|\r?\n(?![ \t]*\r?\n))+")
LIST_MARK = regex.compile(r"[,;&]|\band\b")


def _listed_together(doc: Document, first: NameForm, second: NameForm) -> bool:
    """Whether the two spellings are items of one list ("Nurlanov, Nurmanov", "Sources:
    Kazhydromet, Uzhydromet"; a squad list): only names and list marks lie between
    them, and a list names each person or body once."""
    uses = sorted((span, form is first) for form in (first, second) for span in form.spans)
    return any(this_first != next_first and LIST_BETWEEN.fullmatch(doc.text, this.end, after.start)
               and LIST_MARK.search(doc.text, this.end, after.start)
               for (this, this_first), (after, next_first) in zip(uses, uses[1:]))


def _capitalised(word: str) -> bool:
    """A capital first letter, or a brand's capital inside ("eBay", "AKIpress")."""
    return not word.islower()


def _few_edits_apart(a: str, b: str, edits: int) -> bool:
    """False when ``a`` and ``b`` are surely more than ``edits`` edits apart: each edit
    changes the length by one at most and brings in one new letter at most."""
    if abs(len(a) - len(b)) > edits:
        return False
    letters_a, letters_b = set(a), set(b)
    return len(letters_a - letters_b) <= edits and len(letters_b - letters_a) <= edits


def _one_edit_apart(a: str, b: str) -> bool:
    """Whether ``_edit_distance(a, b) <= 1``, found without filling its table."""
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) > 1:
        return False
    first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), len(a))  # where they part
    if len(a) < len(b):
        return a[first:] == b[first + 1 :]  # b has a letter more
    if a[first + 1 :] == b[first + 1 :]:
        return True  # one letter changed
    swapped = a[first : first + 2] == b[first + 1 : first + 2] + b[first : first + 1]
    return swapped and a[first + 2 :] == b[first + 2 :]


def _edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, swaps."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


# -- accepted variant spellings -----------------------------------------------------------


@dataclass(frozen=True)
class VariantGroup:
    forms: tuple[str, ...]
    after_number: bool


@rule_kind("variant-consistency")
class VariantConsistencyRule(CensusRule):
    """Accepted variants of one term mixed in an article ("email" and "e-mail").

    The groups come from ``groups-file`` in the rules folder. A form in capitals
    ("OK") matches only in capitals; others match in any case and keep the case
    they are found in when fixed. Forms match with common endings ("e-mails",
    "protesters"). In an ``after-number`` group ("per cent", "percent", "%") a
    form counts only straight after a figure.
    """

    fields = {**CensusRule.fields, "groups-file": "variants.toml"}
    ENDINGS = r"(?=(?:s|es|ed|ing|d|['’]s)?(?![\p{L}\p{N}-]))"

    def prepare(self) -> None:
        self.groups = variant_groups(self)
        # Longest forms first, so that "Mrs." is not read as "Mr" and "towards" not as "toward".
        self.forms = sorted(((form, index, number) for index, group in enumerate(self.groups)
                             for number, form in enumerate(group.forms)), key=lambda f: (-len(f[0]), f[1:]))
        self.patterns: dict[int, regex.Pattern[str]] = {}  # by rank, compiled when first needed
        # An article mixes a group's forms only if it holds one other than the group's
        # shortest form, the one most often found inside other words ("ok" in "book").
        self.rarer_forms = [form.lower() for group in self.groups for form in sorted(group.forms, key=len)[1:]]

    def may_mix(self, doc: Document) -> bool:
        return any(form in doc.folded for form in self.rarer_forms)

    def matches(self, doc: Document) -> list[tuple[int, regex.Match]]:
        """(rank in ``forms``, match) of the forms in the text, left to right without
        overlaps, the first in ``forms`` where several start at one place: what one
        alternation of all the forms would find. Each form's pattern is tried only where
        its letters are (found with str.find), which is many times faster than running
        an alternation over the whole text."""
        folded = doc.folded
        ranks_at: dict[int, list[int]] = defaultdict(list)
        for rank, (form, index, _) in enumerate(self.forms):
            for offset in _offsets(folded, form.lower()):
                ranks_at[offset].append(rank)
                if self.groups[index].after_number and folded[offset - 1 : offset] in (" ", "\u00a0"):
                    ranks_at[offset - 1].append(rank)  # "5 per cent": the match starts at the space
        found, end = [], 0
        for offset in sorted(ranks_at):
            if offset < end:
                continue
            for rank in sorted(ranks_at[offset]):
                match = self._compiled(rank).match(doc.text, offset)
                if match:
                    found.append((rank, match))
                    end = match.end()
                    break
        return found

    def _compiled(self, rank: int) -> regex.Pattern[str]:
        """The pattern of a form: compiling all of them costs more than checking an article,
        and few forms turn up in one."""
        if rank not in self.patterns:
            form, index, _ = self.forms[rank]
            self.patterns[rank] = regex.compile(self._pattern(form, self.groups[index].after_number), regex.VERSION1)
        return self.patterns[rank]

    def _pattern(self, form: str, after_number: bool) -> str:
        escaped = regex.escape(form).replace(r"\ ", " ")
        if not form.isupper():
            escaped = f"(?i:{escaped})"
        if after_number:
            return rf"(?<=\p{{N}})[ \u00a0]?{escaped}(?![\p{{L}}])"
        return rf"(?<![\p{{L}}\p{{N}}-]){escaped}{self.ENDINGS}"

    def occurrences(self, doc: Document, settings: Settings) -> Iterator[Occurrence]:
        matches = self.matches(doc)
        # A lower-case form capitalised mid-sentence is part of a name ("Email Systems",
        # "Financial Advisors"), which keeps its own spelling, at a sentence start too.
        names = {m.group() for _, m in matches if m.group()[0].isupper() and not doc.is_sentence_start(m.start())}
        for rank, match in matches:
            form, index, _ = self.forms[rank]
            if not (form[0].islower() and match.group() in names):
                yield Occurrence(match.start(), match.end(), form, index)

    def label(self, style: str) -> str:
        return f"'{style}'"

    def rewrite(self, doc: Document, occurrence: Occurrence, style: str) -> str:
        found = doc.text[occurrence.start : occurrence.end]
        if self.groups[occurrence.group].after_number:
            space = "" if not style[0].isalpha() else (found[0] if found[0] in " \u00a0" else " ")
            return space + style
        return style if style.isupper() else match_case(style, found)


def variant_groups(rule: Rule) -> list[VariantGroup]:
    """The groups of accepted variants in the file a rule names in ``groups-file`` (none
    without one)."""
    name = rule.spec["groups-file"]
    data = _rules_data(name, rule.source) if name else {}
    return [VariantGroup(tuple(g["forms"]), g.get("after-number", False)) for g in data.get("group", [])]


def _offsets(text: str, part: str) -> Iterator[int]:
    """Where ``part`` starts in ``text``, overlapping occurrences included."""
    offset = text.find(part)
    while offset >= 0:
        yield offset
        offset = text.find(part, offset + 1)


def _rules_data(name: str, source: str) -> dict:
    try:
        return tomllib.loads(rules_folder().joinpath(name).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise RuleError(f"{source}: cannot read {name}: {error}") from None


# -- dates ------------------------------------------------------------------------------

MONTHS = ("January February March April May June July August September October November December").split()
# The months AP abbreviates before a day, and its abbreviations.
AP_ABBREVIATIONS = {"January": "Jan.", "February": "Feb.", "August": "Aug.", "September": "Sept.",
                    "October": "Oct.", "November": "Nov.", "December": "Dec."}
SHORT_MONTHS = {m[:3].lower(): m for m in MONTHS}
MONTH_WORD = "|".join([*MONTHS, *(m[:3] for m in MONTHS), "Sept"])
# A month written with a day ("Jan. 2", "2 January", "January 2, 2020") or with a year only.
DATE = regex.compile(
    rf"(?P<day>\b\d{{1,2}}(?:st|nd|rd|th)?[ \u00a0](?:of[ \u00a0])?)?(?P<month>\b(?:{MONTH_WORD})\b\.?)"
    rf"(?:(?P<later_day>[ \u00a0]\d{{1,2}}(?:st|nd|rd|th)?\b(?![,.]?\d))|(?P<year>,?[ \u00a0]\d{{4}}\b))?"
)


# Two month styles need an abbreviation: a month's first letters not followed by the
# rest of its name. (The standard library's re skips ahead to the first letters faster
# than regex does.)
ABBREVIATED_MONTH = re.compile("|".join(f"{month[:3]}(?!{month[3:]})" for month in AP_ABBREVIATIONS))


@dataclass(frozen=True, slots=True)
class MonthMention:
    start: int
    end: int
    month: str  # the full name
    written: str
    with_day: bool

    @property
    def style(self) -> str:
        if self.written == self.month:
            return "full"
        return "abbreviated with a point" if self.written.endswith(".") else "abbreviated"


def _full_month(written: str) -> str:
    return SHORT_MONTHS[written[:3].lower()]


def month_mentions(doc: Document) -> Iterator[MonthMention]:
    for match in DATE.finditer(doc.text):
        written = match.group("month")
        month = _full_month(written)
        if written.endswith(".") and written.rstrip(".") == month:
            written = month  # "in May." ends a sentence
        with_day = bool(match.group("day") or match.group("later_day"))
        if written == month and not (with_day or match.group("year")):
            continue  # "May" and "March" alone are often not months; full names alone are fine anyway
        yield MonthMention(match.start("month"), match.start("month") + len(written), month, written, with_day)


@rule_kind("month-style")
class MonthStyleRule(CensusRule):
    """Months before a day written two ways ("Jan. 2" and "January 2"); with the AP
    style, months are abbreviated before a day (Jan., Feb., Aug., Sept., Oct., Nov.,
    Dec.) and spelled out alone or with a year only."""

    fields = {**CensusRule.fields, "ap-message": ""}

    def check(self, doc: Document, settings: Settings) -> Iterator[Diagnostic]:
        if chosen_style(self, settings) == "ap":
            yield from self.ap_check(doc)
        else:
            yield from super().check(doc, settings)

    def may_mix(self, doc: Document) -> bool:
        return bool(ABBREVIATED_MONTH.search(doc.text))

    def occurrences(self, doc: Document, settings: Settings) -> Iterator[Occurrence]:
        for mention in month_mentions(doc):
            # Only months that can be abbreviated say which style an article uses.
            if mention.with_day and mention.month in AP_ABBREVIATIONS and mention.month != "May":
                yield Occurrence(mention.start, mention.end, mention.style)

    def rewrite(self, doc: Document, occurrence: Occurrence, style: str) -> str:
        month = _full_month(doc.text[occurrence.start : occurrence.end])
        if style == "full":
            return month
        short = AP_ABBREVIATIONS[month]
        if style == "abbreviated" or doc.text.startswith(".", occurrence.end):
            return short.rstrip(".").replace("Sept", "Sep")  # a full stop already follows
        return short

    def ap_check(self, doc: Document) -> Iterator[Diagnostic]:
        for mention in month_mentions(doc):
            if not self.counted(doc, mention.start, mention.end):
                continue
            wanted = AP_ABBREVIATIONS.get(mention.month, mention.month) if mention.with_day else mention.month
            if mention.written != wanted:
                message = self.spec["ap-message"].format(match=mention.written, replacement=wanted)
                yield self.diagnostic(mention.start, mention.end, message, wanted)


# -- numbers --------------------------------------------------------------------------

# A figure of four digits or more, or with thousands separators, not inside a longer
# number or code: 1,500 or 2024, not 3.1415 or A380, and not an identifier after a
# standard's name, a two-letter code or a word that names one ("ISO 14001", "flight KC
# 12345", "part number 73510"; "KZT 150000" is an amount). It starts by matching a digit
# so that the regex engine skips ahead to digits; the look-behinds then check what comes
# before that digit.
IDENTIFIER_BEFORE = r"\b(?:ISO|IEC|EN|BS|DIN|ANSI|IEEE|RFC|GOST|\p{Lu}{2}|(?i:number|no\.|flight|code|model|case|docket|postcode|zip|id))"
FIGURE = regex.compile(
    rf"\d(?<![\p{{L}}\p{{N}}.,#/-]\d)(?<!{IDENTIFIER_BEFORE}\s\d)"
    r"(?:\d{0,2}(?:,\d{3})+|(?<=[1-9])\d{3,})(?![\p{N}]|[.,]\d)"
)
# A thousands separator; the search starts at the comma, which regex finds fast.
SEPARATED = regex.compile(r",(?<=\d,)\d{3}")
# The two bounds of one range: "1500–2,000", "between 1500 and 2,000", "from 1500 to
# £2,000". (FIGURE takes no figure after a hyphen: "A-1500".) Without "between" or "from"
# the figures may be a year and an amount ("from 1,800 in 2019 to 2,500").
RANGE_DASH = regex.compile(r"[ \u00a0]*–[ \u00a0]*\p{Sc}?")
RANGE_WORD = regex.compile(r"[ \u00a0]+(?:to|and)[ \u00a0]+\p{Sc}?")
RANGE_OPENER = regex.compile(r"\b(?i:between|from)[ \u00a0]+\p{Sc}?$")
YEARS = range(1900, 2100)
FOUR_DIGITS = regex.compile(r"(?<![\p{N},.])\d{4}(?![\p{N}]|[.,]\d)")
THOUSAND_WORD = regex.compile(r"(?<![\p{N}.,])(\d{1,3})[ \u00a0]thousand\b")


def _value(figure: str) -> int:
    return int(figure.replace(",", ""))


def _is_year(figure: str) -> bool:
    return "," not in figure and len(figure) == 4


def _with_commas(value: int) -> str:
    return f"{value:,}"


@rule_kind("thousand-style")
class ThousandStyleRule(CensusRule):
    """Thousands written both as words and as figures ("90 thousand" and "90,000")."""

    def may_mix(self, doc: Document) -> bool:
        return "thousand" in doc.text

    def occurrences(self, doc: Document, settings: Settings) -> Iterator[Occurrence]:
        for match in THOUSAND_WORD.finditer(doc.text):
            yield Occurrence(match.start(), match.end(), "words")
        for match in FIGURE.finditer(doc.text):
            if not _is_year(match.group()):
                yield Occurrence(match.start(), match.end(), "figures")

    def rewrite(self, doc: Document, occurrence: Occurrence, style: str) -> str | None:
        found = doc.text[occurrence.start : occurrence.end]
        if style == "figures":
            return _with_commas(int(found.split()[0]) * 1000)
        value = _value(found)
        return f"{value // 1000} thousand" if value % 1000 == 0 and value < 1_000_000 else None


def _bounds_of_one_range(text: str, first: regex.Match, second: regex.Match) -> bool:
    if RANGE_DASH.fullmatch(text, first.end(), second.start()):
        return True
    return bool(RANGE_WORD.fullmatch(text, first.end(), second.start())
                and RANGE_OPENER.search(text, max(0, first.start() - 12), first.start()))


@rule_kind("separator-style")
class SeparatorStyleRule(CensusRule):
    """Large numbers written with and without thousands separators (10,000 and 10000)."""

    fields = {**CensusRule.fields, "min-value": 10000}

    def prepare(self) -> None:
        # A plain figure of min-value or more has at least as many digits in a row.
        self.plain_run = regex.compile(rf"\d{{{max(4, len(str(self.spec['min-value'])))}}}")

    def may_mix(self, doc: Document) -> bool:
        return bool(SEPARATED.search(doc.text) and (self.plain_run.search(doc.text) or FOUR_DIGITS.search(doc.text)))

    def occurrences(self, doc: Document, settings: Settings) -> Iterator[Occurrence]:
        """Figures of ``min-value`` or more; four-digit ones only as the two bounds of a
        range written both ways ("between 1500 and 2,000"). A lone four-digit figure
        without a separator is left out, being often a year ("in 1500", "from 2003 to
        28,041") and, in many house styles, right without one ("1500 people"); but beside
        "2,000" it is a quantity, and no style writes two such bounds differently."""
        figures = list(FIGURE.finditer(doc.text))
        mixed_bounds = {bound.start() for first, second in zip(figures, figures[1:])
                        if ("," in first.group()) != ("," in second.group())
                        and max(_value(first.group()), _value(second.group())) < 10000
                        and not any(_value(f.group()) in YEARS for f in (first, second) if "," not in f.group())
                        and _bounds_of_one_range(doc.text, first, second)
                        for bound in (first, second)}
        for match in figures:
            if _value(match.group()) >= self.spec["min-value"] or match.start() in mixed_bounds:
                yield Occurrence(match.start(), match.end(), "separated" if "," in match.group() else "plain")

    def rewrite(self, doc: Document, occurrence: Occurrence, style: str) -> str:
        value = _value(doc.text[occurrence.start : occurrence.end])
        return _with_commas(value) if style == "separated" else str(value)


NUMBER_WORDS = "one two three four five six seven eight nine".split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
WORD_VALUES = {
    **{w: 10 + i for i, w in enumerate(TEENS)},
    **{t: 20 + 10 * i for i, t in enumerate(TENS)},
    **{f"{t}-{u}": 20 + 10 * i + j + 1 for i, t in enumerate(TENS) for j, u in enumerate(NUMBER_WORDS)},
}
# Expressions compiled when first used (by ap_pattern): only articles in AP style need them.
SMALL_FIGURE = r"(?<![\p{L}\p{N}$£€¥#.,:/\-–+])[1-9](?![\p{N}%:/\-–+]|[.,]\d|\p{L}|\s?%)"
LARGE_WORD = r"\b(?:" + "|".join(sorted(WORD_VALUES, key=len, reverse=True)) + r")\b(?!-)"


@functools.cache
def ap_pattern(expression: str) -> regex.Pattern[str]:
    return regex.compile(expression)


@rule_kind("ap-numbers")
class ApNumbersRule(Rule):
    """With the AP style: one to nine spelled out, figures from 10. Figures stay for
    the uses AP keeps them in (ages, money, percentages, scores, measures, dates),
    recognised by the words before and after (``keep-before``, ``keep-after``)."""

    fields = {"message-words": "", "message-figures": "", "keep-before": [], "keep-after": []}

    @functools.cached_property
    def keep_before(self) -> regex.Pattern[str]:
        return ap_pattern(rf"(?i:\b(?:{'|'.join(self.spec['keep-before'])})[ \u00a0]$)")

    @functools.cached_property
    def keep_after(self) -> regex.Pattern[str]:
        return ap_pattern(rf"(?i:[ \u00a0]?(?:{'|'.join(self.spec['keep-after'])})(?!\p{{L}}))")

    def check(self, doc: Document, settings: Settings) -> Iterator[Diagnostic]:
        if chosen_style(self, settings) != "ap":
            return
        for match in ap_pattern(SMALL_FIGURE).finditer(doc.text):
            if not self.kept_as_figure(doc, match.start(), match.end()):
                word = NUMBER_WORDS[int(match.group()) - 1]
                if doc.is_sentence_start(match.start()):
                    word = word.capitalize()
                yield self.diagnostic(match.start(), match.end(),
                                      self.spec["message-words"].format(match=match.group(), replacement=word), word)
        for match in ap_pattern(LARGE_WORD).finditer(doc.text):
            if not doc.is_sentence_start(match.start()):
                figure = str(WORD_VALUES[match.group()])
                yield self.diagnostic(match.start(), match.end(),
                                      self.spec["message-figures"].format(match=match.group(), replacement=figure), figure)

    def kept_as_figure(self, doc: Document, start: int, end: int) -> bool:
        """Figures in dates ("Jan. 3", "3 January"), names ("Radio 4", "BMW 1 Series")
        and the listed uses."""
        before = doc.text[max(0, start - 30) : start]
        if self.keep_before.search(before) or ap_pattern(DATE_BEFORE).search(before) \
                or ap_pattern(NAME_BEFORE).search(before):
            return True
        return bool(self.keep_after.match(doc.text, end) or ap_pattern(DATE_AFTER).match(doc.text, end))


DATE_BEFORE = rf"\b(?:{MONTH_WORD})\.?[ \u00a0]$"
DATE_AFTER = rf"(?:st|nd|rd|th)?[ \u00a0](?:of[ \u00a0])?(?:{MONTH_WORD})\b"
NAME_BEFORE = r"(?<=[\p{Ll},;] )\p{Lu}[\p{L}]*[ \u00a0]$"


# -- quotation marks and apostrophes ---------------------------------------------------------

STRAIGHT, CURLY = "straight", "curly"
# The straight mark and the curly ones, for double and for single marks.
MARKS = {"double": ('"', "“”"), "single": ("'", "‘’")}
OPENING_CONTEXT = " \t\n\r\u00a0([{—–-/\"“‘'"
ELISIONS = regex.compile(r"(?i:(?:em|tis|twas|til|cause|n[’'])(?!\p{L})|\d)")


@rule_kind("quote-style")
class QuoteStyleRule(CensusRule):
    """Straight and curly marks mixed (``marks = "double"`` for quotation marks,
    ``"single"`` for apostrophes and single quotes). Inch and foot marks after a
    figure (5'10") are left alone. Converting to curly marks decides opening or
    closing from the neighbouring characters, and from the alternation of marks in
    the paragraph when the neighbours do not tell."""

    fields = {**CensusRule.fields, "marks": "double"}

    def prepare(self) -> None:
        if self.spec["marks"] not in MARKS:
            raise RuleError(f"{self.source}: rule {self.code}: marks must be 'double' or 'single'")
        self.straight, self.curly = MARKS[self.spec["marks"]]
        self.finder = regex.compile(f"[{regex.escape(self.straight + self.curly)}]")

    def may_mix(self, doc: Document) -> bool:
        return self.straight in doc.text and any(mark in doc.text for mark in self.curly)

    def occurrences(self, doc: Document, settings: Settings) -> Iterator[Occurrence]:
        for match in self.finder.finditer(doc.text):
            mark = match.group()
            if mark in "\"'" and match.start() and doc.text[match.start() - 1].isdigit():
                continue  # a prime: 5'10", 12"
            yield Occurrence(match.start(), match.end(), STRAIGHT if mark in "\"'" else CURLY)

    def rewrite(self, doc: Document, occurrence: Occurrence, style: str) -> str:
        if style == STRAIGHT:
            return '"' if self.spec["marks"] == "double" else "'"
        opening = self.opens(doc, occurrence.start)
        if self.spec["marks"] == "double":
            return "“" if opening else "”"
        return "‘" if opening else "’"

    def opens(self, doc: Document, offset: int) -> bool:
        text = doc.text
        before = text[offset - 1] if offset else " "
        after = text[offset + 1] if offset + 1 < len(text) else " "
        if self.spec["marks"] == "single":
            # An apostrophe inside or after a word, or eliding the start of one ('90s, 'em).
            return before in OPENING_CONTEXT and not after.isspace() and not ELISIONS.match(text, offset + 1)
        if before in OPENING_CONTEXT and not after.isspace():
            return True
        if after.isspace() or after in ".,;:!?)]}—–-" or offset + 1 == len(text):
            return False
        return self.even_in_paragraph(doc, offset)

    def even_in_paragraph(self, doc: Document, offset: int) -> bool:
        """True when an even number of double marks precede ``offset`` in its paragraph."""
        for paragraph in doc.paragraphs:
            if paragraph.start <= offset < paragraph.end:
                return len(self.finder.findall(doc.text, paragraph.start, offset)) % 2 == 0
        return True


# -- dashes --------------------------------------------------------------------------

# Each dash style is the string it is written as.
DASHES = (" - ", " -- ", "--", " — ", "—", " – ")
DASH = regex.compile(rf"(?<=[\p{{L}}\p{{N}},.;:!?%)\"”’'])(?:{'|'.join(DASHES)})(?=[\p{{L}}\p{{N}}(\"“‘'£$€])")


@rule_kind("dash-style")
class DashStyleRule(CensusRule):
    """Dashes between words written several ways (" - ", " -- ", "—", " – ").

    A spaced hyphen between two figures is a range or a score, not a dash, and is
    not counted."""

    def may_mix(self, doc: Document) -> bool:
        # Every style but the spaced hyphen, which most articles hold, has one of these.
        if not any(mark in doc.text for mark in ("--", "—", "–")):
            return False
        return sum(dash in doc.text for dash in DASHES) >= 2

    def occurrences(self, doc: Document, settings: Settings) -> Iterator[Occurrence]:
        text = doc.text
        for match in DASH.finditer(text):
            if match.group() == " - " and text[match.start() - 1].isdigit() and text[match.end()].isdigit():
                continue
            yield Occurrence(match.start(), match.end(), match.group())

    def rewrite(self, doc: Document, occurrence: Occurrence, style: str) -> str:
        return style


# -- near-duplicate paragraphs ------------------------------------------------------------


@rule_kind("distant-near-duplicate")
class DistantNearDuplicateRule(Rule):
    """A paragraph that nearly repeats an earlier one further up (a headline echoed as
    a sub-headline with a word added, a caption repeated with small changes). Small
    means at most ``max-changed-words`` words: list items that share a pattern
    ("Film - X; director - Y") differ in more.

    Paragraphs next to each other are the mechanical family's near-duplicate rule, and
    exact copies its duplicate rule; a paragraph either of those flags is left to it.
    """

    reports_whole_units = True
    fields = {"message": "", "min-words": 5, "min-similarity": 0.8, "max-changed-words": 3}

    def check(self, doc: Document, settings: Settings) -> Iterator[Diagnostic]:
        paragraphs = doc.paragraphs
        # Word counts come from the whitespace-folded paragraph texts that the mechanical
        # family makes anyway.
        counts = [text.count(" ") + 1 for text in doc.paragraph_texts]
        earlier_alikes = self.similar_lengths(counts)
        split: dict[int, list[str]] = {}

        def words(index: int) -> list[str]:
            if index not in split:
                split[index] = _paragraph_words(doc, paragraphs[index])
            return split[index]

        for later in sorted(earlier_alikes):
            earlier = next((index for index in sorted(earlier_alikes[later]) if self.alike(words(index), words(later))), None)
            if earlier is None or _is_list(words(later)) or self.alike(words(later - 1), words(later)):
                continue
            if any(counts[index] == counts[later] and words(index) == words(later) for index in range(later)):
                continue
            line, _ = doc.position(paragraphs[earlier].start)
            yield self.diagnostic(paragraphs[later].start, paragraphs[later].end, self.spec["message"].format(line=line))

    def similar_lengths(self, counts: list[int]) -> dict[int, list[int]]:
        """For each paragraph, the paragraphs two or more back whose word counts are close
        enough for the two to be alike: both ``min-words`` long at least, and differing
        by at most ``max-changed-words``. Most articles have no such pair."""
        minimum, slack = self.spec["min-words"], self.spec["max-changed-words"]
        by_length = sorted((count, index) for index, count in enumerate(counts) if count >= minimum)
        found: dict[int, list[int]] = defaultdict(list)
        for position, (count, index) in enumerate(by_length):
            for other_count, other in by_length[position + 1 :]:
                if other_count - count > slack:
                    break
                if abs(other - index) >= 2:
                    found[max(index, other)].append(min(index, other))
        return found

    def alike(self, first: list[str], second: list[str]) -> bool:
        threshold, slack = self.spec["min-similarity"], self.spec["max-changed-words"]
        if 2 * min(len(first), len(second)) / (len(first) + len(second)) < threshold:
            return False
        # A word that one paragraph has and the other lacks is a changed word.
        if len(set(first).difference(second)) > slack or len(set(second).difference(first)) > slack:
            return False
        matcher = difflib.SequenceMatcher(None, first, second, autojunk=False)
        if matcher.quick_ratio() < threshold or matcher.ratio() < threshold:
            return False
        kept = sum(block.size for block in matcher.get_matching_blocks())
        return max(len(first), len(second)) - kept <= self.spec["max-changed-words"]


def _is_list(words: list[str]) -> bool:
    """A list item ("- Film: X; director: Y") or a list of names ("AC Milan, Lyon, Monaco."):
    items on one pattern that differ in a word or two, not a copy made by mistake."""
    separators = sum(word[-1] in ",;" for word in words)
    return words[0] in LIST_MARKERS or 3 * separators >= len(words)


LIST_MARKERS = {"-", "*", "•", "–", "—"}


def _paragraph_words(doc: Document, span: Span) -> list[str]:
    return doc.text[span.start : span.end].lower().split()
