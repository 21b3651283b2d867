"""Code rules of the mechanical family: checks that a pattern or word list cannot express.

Each class is a rule kind used by one rule in ``rules/mechanical.toml``, which holds the
rule's code, name, description and examples.
"""

from __future__ import annotations

import difflib
import html
import html.entities
import unicodedata
from collections import Counter
from typing import Iterator

import regex

from copylint.document import Document, Span
from copylint.engine import Diagnostic, Edit, Rule, Settings, rule_kind
from copylint.kinds import PatternRule, removal_or_note
from copylint.markup import CHARACTER_REFERENCE

# UTF-8 read as Windows-1252 or Latin-1 turns each multi-byte character into a lead
# character in Â..ô followed by one from the continuation range (as cp1252 shows it).
# Only lines holding such a pair are handed to ftfy, which decides whether it is damage
# (and is imported only then: importing it takes longer than checking an article).
MOJIBAKE_PAIR = regex.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


@rule_kind("mojibake")
class MojibakeRule(Rule):
    """Text decoded with the wrong encoding ("itâ€™s"), repaired by ftfy."""

    fields = {"message": "", "removal-message": ""}

    def check(self, doc: Document, settings: Settings) -> Iterator[Diagnostic]:
        damaged = sorted({doc.position(m.start())[0] for m in MOJIBAKE_PAIR.finditer(doc.text)})
        if damaged:
            import ftfy
        for line in (doc.lines[number - 1] for number in damaged):
            original = doc.text[line.start : line.end]
            repaired = ftfy.fix_encoding(original)
            for start, end, replacement in _changes(original, repaired):
                message = self.spec["message"] if replacement else self.spec["removal-message"] or self.spec["message"]
                yield self.diagnostic(
                    line.start + start, line.start + end,
                    message.format(match=original[start:end], replacement=replacement), replacement,
                )


# A gap of two or more spaces between words, not after a sentence's end: a column gap.
COLUMN_GAP = regex.compile(r"(?<=[^\s.!?:])  +(?=\S)")
COLUMN_GAPS = 2  # a line with this many is a row of a table when a line beside it is too


@rule_kind("spaces-outside-tables")
class SpacesOutsideTablesRule(PatternRule):
    """A pattern rule on runs of spaces that leaves plain-text tables alone: their columns
    are padded to line up ("1  Kairat   10  7  2"), and one space would break them. A line
    with COLUMN_GAPS or more gaps, next to another such line, is a table row. (The markup
    readers mark their own tables' padding.)"""

    def check(self, doc: Document, settings: Settings) -> Iterator[Diagnostic]:
        found = list(super().check(doc, settings))
        rows = _table_rows(doc) if found and doc.reader is None else frozenset()
        for diagnostic in found:
            if doc.position(diagnostic.start)[0] not in rows:
                yield diagnostic


def _table_rows(doc: Document) -> frozenset[int]:
    """The numbers (from 1) of the lines that are rows of a table padded with spaces."""
    gapped = [len(COLUMN_GAP.findall(doc.text, line.start, line.end)) >= COLUMN_GAPS for line in doc.lines]
    return frozenset(
        number + 1 for number, row in enumerate(gapped)
        if row and ((number > 0 and gapped[number - 1]) or (number + 1 < len(gapped) and gapped[number + 1]))
    )


# A unit with the micro prefix ("μm", "μg") is Greek and Latin by design.
MICRO_UNIT = regex.compile(r"[μµ][A-Za-z]{1,3}")


@rule_kind("mixed-script")
class MixedScriptRule(Rule):
    """A word that mixes Latin letters with Cyrillic or Greek look-alikes ("Аlmaty" typed
    with a Cyrillic "А", "Nazarbayevа"): pasted or scraped text, which search, sorting and
    spell checking all get wrong. The letters of the word's minority script become their
    look-alikes in its main script, a safe fix since the word looks the same; a letter
    with no look-alike leaves the word flagged without a fix.

    ``look-alikes`` maps each other script to pairs of a Latin letter and its look-alike."""

    fields = {"look-alikes": {}, "message": ""}

    def prepare(self) -> None:
        self.into: dict[str, dict[str, str]] = {"LATIN": {}}  # script -> {letter: its look-alike there}
        for script, pairs in self.spec["look-alikes"].items():
            script = script.upper()
            self.into.setdefault(script, {})
            for latin, other in pairs.split():
                self.into["LATIN"][other] = latin
                self.into[script][latin] = other

    def check(self, doc: Document, settings: Settings) -> Iterator[Diagnostic]:
        if doc.letters_are_ascii:
            return  # most English copy: one test in C
        for start, end, word in doc.words:
            if word.isascii() or MICRO_UNIT.fullmatch(word):
                continue
            scripts = Counter(_script(letter) for letter in word if letter.isalpha())
            if len(scripts) < 2 or not scripts.keys() & self.into.keys() - {"LATIN"} or "LATIN" not in scripts:
                continue
            # The main script is the most used one that every other letter has a look-alike
            # in ("Mы" is Cyrillic with a Latin "M"); failing that, the most used one.
            ranked = sorted(scripts, key=lambda script: (scripts[script], script == "LATIN"), reverse=True)
            fixes = {script: self._respelled(word, script) for script in ranked}
            main = next((script for script in ranked if fixes[script]), ranked[0])
            others = " and ".join(sorted(s.capitalize() for s in scripts if s != main))
            message = self.spec["message"].format(word=word, script=main.capitalize(), others=others)
            yield self.diagnostic(start, end, message, fixes[main])

    def _respelled(self, word: str, script: str) -> str | None:
        """``word`` with every letter of another script replaced by its look-alike in
        ``script``; None when some letter has none."""
        look_alikes = self.into.get(script, {})
        letters = [letter if not letter.isalpha() or _script(letter) == script else look_alikes.get(letter)
                   for letter in word]
        return None if None in letters else "".join(letters)


@rule_kind("character-reference")
class CharacterReferenceRule(Rule):
    """An HTML character reference ("B&#233;ziers", "AT&amp;T") in a plain-text article:
    scraped copy whose markup was stripped but whose references were not decoded. The
    reference becomes the character it names, a safe fix. In HTML and Markdown a
    reference is markup, and their readers already decode it."""

    fields = {"message": ""}

    def check(self, doc: Document, settings: Settings) -> Iterator[Diagnostic]:
        if doc.reader is not None or "&" not in doc.text:
            return
        for match in CHARACTER_REFERENCE.finditer(doc.text):
            reference = match.group()
            # A named reference must be one whole name: html.unescape would also decode the
            # start of "&notit;" as the old "&not" and leave "it;".
            if not reference.startswith("&#") and reference[1:] not in html.entities.html5:
                continue
            decoded = html.unescape(reference)
            if decoded != reference:
                message = self.spec["message"].format(match=reference, replacement=decoded)
                yield self.diagnostic(match.start(), match.end(), message, decoded)


def _script(letter: str) -> str:
    """The script a letter belongs to, by its Unicode name: LATIN, CYRILLIC, GREEK..."""
    return unicodedata.name(letter, "UNKNOWN").split(" ", 1)[0]


def _changes(before: str, after: str) -> Iterator[tuple[int, int, str]]:
    """The (start, end, replacement) edits that turn ``before`` into ``after``."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            yield i1, i2, after[j1:j2]


@rule_kind("duplicate-paragraph")
class DuplicateParagraphRule(Rule):
    """A paragraph that repeats an earlier one exactly (a caption pasted twice).

    The later copy is removed together with the blank line before it. Short
    paragraphs ("* * *", a one-word credit) may legitimately repeat, so a paragraph
    needs ``min-words`` words to count; and one that comes three times or more is a
    refrain (a quoted chorus), not a paste.
    """

    reports_whole_units = True
    fields = {"message": "", "min-words": 4}

    def check(self, doc: Document, settings: Settings) -> Iterator[Diagnostic]:
        texts = doc.paragraph_texts
        if len(set(texts)) == len(texts):
            return  # no paragraph repeats another (most documents): one set says so at C speed
        copies = Counter(texts)
        first_seen: dict[str, Span] = {}
        paragraphs = doc.paragraphs
        for index, (paragraph, text) in enumerate(zip(paragraphs, texts)):
            if text.count(" ") + 1 < self.spec["min-words"] or copies[text] > 2:
                continue  # short lines repeat, and so does a song's chorus: a paste error makes two
            if text not in first_seen:
                first_seen[text] = paragraph
                continue
            line, _ = doc.position(first_seen[text].start)
            removal = Edit(paragraphs[index - 1].end, paragraph.end, "")
            edits, message = removal_or_note(doc, removal, self.spec["message"].format(line=line))
            yield self.diagnostic(paragraph.start, paragraph.end, message, edits=edits)


@rule_kind("near-duplicate-paragraph")
class NearDuplicateParagraphRule(Rule):
    """A paragraph that nearly repeats the one before it (a sub-headline echoing the
    headline, a caption pasted twice and then edited).

    Similarity is difflib's ratio over the two paragraphs' lower-cased words; exact
    copies are left to the duplicate-paragraph rule. Only paragraphs of up to
    ``max-words`` words (headlines, captions, short paragraphs) are compared, which
    keeps the rule cheap on long articles.
    """

    reports_whole_units = True
    fields = {"message": "", "min-words": 4, "max-words": 40, "min-similarity": 0.75}

    def check(self, doc: Document, settings: Settings) -> Iterator[Diagnostic]:
        texts = doc.paragraph_texts
        least, most, threshold = self.spec["min-words"], self.spec["max-words"], self.spec["min-similarity"]
        sizes = [text.count(" ") + 1 for text in texts]
        for index in range(1, len(texts)):
            shorter, longer = sorted(sizes[index - 1 : index + 1])
            # Ratios count matching words: two paragraphs of very different lengths cannot
            # be alike, which spares splitting most pairs into words.
            if shorter < least or longer > most or 2 * shorter / (shorter + longer) < threshold:
                continue
            before, after = texts[index - 1].lower().split(), texts[index].lower().split()
            if before == after or _ratio_bound(before, after) < threshold:
                continue
            matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
            similarity = matcher.ratio()
            if similarity >= threshold and not _only_names_or_figures_differ(
                    matcher, texts[index - 1].split(), texts[index].split()):
                previous, paragraph = doc.paragraphs[index - 1], doc.paragraphs[index]
                line, _ = doc.position(previous.start)
                yield self.diagnostic(
                    paragraph.start, paragraph.end,
                    self.spec["message"].format(line=line, similarity=round(similarity * 100)),
                )


def _only_names_or_figures_differ(matcher: difflib.SequenceMatcher, before: list[str], after: list[str]) -> bool:
    """Whether the paragraphs differ in two places or more, and only in names and figures:
    "**09:12** Sirens sounded across Kyiv." and "**10:47** Sirens sounded across Kharkiv."
    are two reports written to one formula (a live blog, a list of results), not a paste.
    One change alone is a correction left beside the old version ("Tokaev" for "Tokayev",
    "14 people" for "12 people"). ``before`` and ``after`` are the words as written, which
    the matcher compared in lower case."""
    changes = [opcode for opcode in matcher.get_opcodes() if opcode[0] != "equal"]
    if len(changes) < 2:
        return False
    in_before, in_after = _names_or_figures(before), _names_or_figures(after)
    return all(set(range(i1, i2)) <= in_before and set(range(j1, j2)) <= in_after for _, i1, i2, j1, j2 in changes)


def _names_or_figures(words: list[str]) -> set[int]:
    """The positions of words holding a digit ("10:47", "**2024**"), and of capitalised
    words that are neither the paragraph's first word nor part of a headline in title case
    (where every word is)."""
    bare = [word.strip(PUNCTUATION_AROUND) for word in words]
    capitalised = [word[:1].isupper() for word in bare]
    headline = 2 * sum(capitalised) > len(words)
    return {index for index, word in enumerate(bare)
            if any(char.isdigit() for char in word) or (index > 0 and capitalised[index] and not headline)}


PUNCTUATION_AROUND = "*_.,;:!?\"'“”‘’()[]"


def _ratio_bound(before: list[str], after: list[str]) -> float:
    """An upper bound of difflib's ratio for two word lists, from set operations alone.

    A word of one list that never occurs in the other cannot match, so each list has at
    most (its length - its distinct words missing from the other) matching words.
    """
    before_set, after_set = set(before), set(after)
    matchable = min(len(before) - len(before_set - after_set), len(after) - len(after_set - before_set))
    return 2 * matchable / (len(before) + len(after))
