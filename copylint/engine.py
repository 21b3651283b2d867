"""The rule engine: diagnostics and fixes, rules loaded from the packs in ``rules/``, linting.

A rule pack is a TOML file holding ``[[rule]]`` tables. Each names a *kind*: a Python
class, registered with :func:`rule_kind`, that turns the table's data into a check.
Generic kinds (patterns, word lists, repetition, line checks) live in ``kinds.py``; a
check that data cannot express is a kind used by a single rule (see ``mechanical.py``).

Nothing is built before it is needed: selecting rules reads only the packs' codes, a pack
is built (its kind module imported: ``rules/grammar.toml`` takes its kinds from
``kinds.py`` and ``copylint/grammar.py``) when one of its rules is selected, and a rule
compiles its data when first used. So ``copylint check --select CL1`` starts quickly.
"""

from __future__ import annotations

import importlib
import marshal
import os
import sys
import zlib
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterable, Iterator

from copylint import __version__
from copylint.document import Document

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

SEVERITIES = ("error", "warning", "info")
APPLICABILITIES = ("safe", "unsafe")


class RuleError(Exception):
    """A rule pack that is malformed; raised when packs are loaded."""


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True, slots=True)
class Fix:
    """Edits applied together; ``safe`` fixes never change meaning."""

    edits: tuple[Edit, ...]
    applicability: str = "safe"

    @property
    def start(self) -> int:
        return min(e.start for e in self.edits)

    @property
    def end(self) -> int:
        return max(e.end for e in self.edits)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    rule: str
    severity: str
    message: str
    start: int
    end: int
    suggestions: tuple[str, ...] = ()
    fix: Fix | None = None

    def sort_key(self) -> tuple[int, int, str]:
        return self.start, self.end, self.code


@dataclass(frozen=True)
class Example:
    """Text a rule must flag (``fixed``/``message`` say what it must produce) or must not."""

    text: str
    fixed: str | None = None
    message: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    path: str | None = None  # read the text as this file would be (its markup), not as plain text


@dataclass(frozen=True)
class Settings:
    """What a check may read from the configuration of the file being checked.

    ``options`` holds per-rule options keyed by rule code; ``values`` holds the
    document-wide keys (dialect, style, vocabulary, ...).
    """

    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


DEFAULT_SETTINGS = Settings()

KINDS: dict[str, type[Rule]] = {}


def rule_kind(name: str):
    """Register a Rule subclass under the ``kind`` name used in rule packs."""

    def register(cls: type[Rule]) -> type[Rule]:
        cls.kind = name
        KINDS[name] = cls
        return cls

    return register


class Rule:
    """One check with a stable code. Subclasses implement :meth:`check`.

    ``fields`` lists the kind-specific keys a rule table may carry (with defaults);
    anything else in the table is an error, so typos in packs fail loudly.
    """

    kind: ClassVar[str] = ""
    fields: ClassVar[dict[str, Any]] = {}
    # Kinds that report whole paragraphs or lines: a report stands when its paragraph
    # merely holds a URL or markup, and goes only when a skipped region (a code block)
    # holds all of it.
    reports_whole_units: ClassVar[bool] = False
    COMMON = ("code", "name", "kind", "severity", "description", "in-quotes", "enabled",
              "fix", "options", "examples")

    def __init__(self, table: dict[str, Any], source: str) -> None:
        where = f"{source}: rule {table.get('code', '?')}"
        unknown = set(table) - set(self.COMMON) - set(self.fields)
        if unknown:
            raise RuleError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        try:
            self.code: str = table["code"]
            self.name: str = table["name"]
            self.description: str = table["description"]
        except KeyError as missing:
            raise RuleError(f"{where}: missing key {missing}") from None
        self.severity: str = table.get("severity", "warning")
        self.in_quotes: bool = table.get("in-quotes", True)
        self.enabled: bool = table.get("enabled", True)
        self.applicability: str | None = table.get("fix")
        self.default_options: dict[str, Any] = table.get("options", {})
        self.examples = _examples(table.get("examples", {}))
        self.source = source
        if self.severity not in SEVERITIES:
            raise RuleError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
        if self.applicability not in (None, *APPLICABILITIES):
            raise RuleError(f"{where}: fix must be 'safe' or 'unsafe'")
        self.spec = {key: table.get(key, default) for key, default in self.fields.items()}
        # The rules prepared together with this one (load_pack groups a pack's rules of one
        # kind); empty once prepared.
        self._unprepared: list[Rule] = [self]

    def prepare(self) -> None:
        """Compile the kind-specific data; called once, before the rule is first used."""

    @classmethod
    def prepare_pack(cls, rules: list[Rule]) -> None:
        """Compile what the rules of this kind in one pack share; called once per pack,
        after each rule's prepare()."""

    def ensure_prepared(self) -> None:
        """Prepare this rule, and the rules of its kind in its pack, unless done already.

        Compiling every pack costs more than starting Python does, and a run seldom needs
        every rule: ``copylint check --select CL1`` should not compile the grammar.
        """
        group = self._unprepared
        if group:
            for rule in group:
                rule._unprepared = []
            for rule in group:
                rule.prepare()
            type(self).prepare_pack(group)

    def __getattr__(self, name: str) -> Any:
        # Only called for a missing attribute: one that prepare() sets, asked for before
        # the rule was used (by a test, or an option check).
        if self.__dict__.get("_unprepared"):
            self.ensure_prepared()
            return getattr(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def check(self, doc: Document, settings: Settings) -> Iterable[Diagnostic]:
        raise NotImplementedError

    @property
    def fixable(self) -> bool:
        return self.applicability is not None

    def option_error(self, key: str, value: Any) -> str | None:
        """Why ``value`` is not valid for option ``key`` (None when it is)."""
        if key not in self.default_options:
            return f"rule {self.code} has no option '{key}'"
        if not isinstance(value, type(self.default_options[key])):
            return f"rule {self.code} option '{key}' must be like {self.default_options[key]!r}"
        return None

    def option(self, settings: Settings, key: str) -> Any:
        return settings.options.get(self.code, {}).get(key, self.default_options[key])

    def diagnostic(
        self,
        start: int,
        end: int,
        message: str,
        replacement: str | None = None,
        *,
        edits: tuple[Edit, ...] | None = None,
        suggestions: tuple[str, ...] = (),
        applicability: str | None = None,
    ) -> Diagnostic:
        """A diagnostic of this rule; a replacement (or edits) becomes its fix."""
        if "\n" in message or "\r" in message:  # quoted text over lines: a report is one line
            message = " ".join(message.split())
        if edits is None and replacement is not None:
            edits = (Edit(start, end, replacement),)
        fix = None
        if edits:
            fix = Fix(edits, applicability or self.applicability or "unsafe")
        if replacement is not None and not suggestions:
            suggestions = (replacement,)
        return Diagnostic(self.code, self.name, self.severity, message, start, end, suggestions, fix)


def _examples(table: dict[str, Any]) -> dict[str, list[Example]]:
    def make(entry: str | dict[str, Any]) -> Example:
        return Example(entry) if isinstance(entry, str) else Example(**entry)

    return {key: [make(e) for e in table.get(key, [])] for key in ("incorrect", "correct")}


# -- loading packs -------------------------------------------------------------------


def rules_folder() -> Traversable:
    """Where the rule packs are: ``copylint/rules`` in an installed copy (the wheel maps
    the repository's ``rules/`` there), or ``rules/`` beside the package in a source
    checkout (as the test suite and an editable install use it). Plain paths are tried
    first: importing importlib.resources costs a few milliseconds of every start-up."""
    package = Path(__file__).resolve().parent
    for folder in (package / "rules", package.parent / "rules"):
        if (folder / "mechanical.toml").is_file():
            return folder
    import importlib.resources  # a zipped install, say

    return importlib.resources.files("copylint.rules")


WORD_LIST_SUFFIX = "-words.txt"
DEFAULT_WORD_LISTS = ("software", "world")  # spelling accepts these lists unless word-lists says otherwise


def list_entries(text: str) -> list[str]:
    """The entries of a word or phrase list, one per line: blank lines and '#' comments aside."""
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def word_list_names() -> tuple[str, ...]:
    """The built-in word lists shipped beside the rule packs (``rules/NAME-words.txt``)."""
    return tuple(sorted(entry.name.removesuffix(WORD_LIST_SUFFIX) for entry in rules_folder().iterdir()
                        if entry.name.endswith(WORD_LIST_SUFFIX)))


def rule_pack_files() -> list[tuple[str, str]]:
    """(name, TOML text) of every shipped rule pack."""
    folder = rules_folder()
    return sorted(
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    )


@cache
def _shipped_packs() -> dict[str, dict[str, Any]]:
    """Every shipped pack's parsed TOML, by file name.

    Parsing them takes longer than checking an article, so the result is kept in the
    user cache folder, keyed by the packs' text and the versions of copylint and Python;
    a cache that is missing, stale or unreadable is simply parsed again.
    """
    files = rule_pack_files()
    checksum = 0
    for name, text in files:
        checksum = zlib.crc32(text.encode(), zlib.crc32(name.encode(), checksum))
    key = f"{__version__};{sys.version};{checksum:08x}"
    path = cache_root() / "rule-packs.marshal"
    try:
        cached_key, packs = marshal.loads(path.read_bytes())
        if cached_key == key:
            return packs
    except (OSError, ValueError, EOFError, TypeError):
        pass
    packs = {name: _parse_pack(text, name) for name, text in files}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, marshal.dumps((key, packs)))
    except (OSError, ValueError):  # a read-only cache folder; a TOML date, which marshal cannot hold
        pass
    return packs


def cache_root() -> Path:
    """COPYLINT_CACHE_DIR, else the user cache folder: on Linux and the BSDs
    ``$XDG_CACHE_HOME/copylint`` or ``~/.cache/copylint``, found as platformdirs finds it
    (importing platformdirs costs a few milliseconds of every start-up), else platformdirs'."""
    if os.environ.get("COPYLINT_CACHE_DIR"):
        return Path(os.environ["COPYLINT_CACHE_DIR"])
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")) and "ANDROID_DATA" not in os.environ:
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        return Path(xdg if os.path.isabs(xdg) else os.path.expanduser("~/.cache"), "copylint")
    import platformdirs

    return Path(platformdirs.user_cache_dir("copylint", appauthor=False))


class CacheError(Exception):
    """The cache folder cannot be written or read; the message is one line."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(f"cannot use the cache folder {path}: {error.strerror or error} "
                         "(set COPYLINT_CACHE_DIR to a writable folder)")


class Memo(dict):
    """The results of a function of one string, kept in a plain dict: lookups run in C,
    and, unlike lru_cache's links, the dict's strings and numbers are nothing the garbage
    collector has to walk. It is emptied when it grows past ``limit``."""

    def __init__(self, function: Callable[[str], object], limit: int = 1 << 16) -> None:
        super().__init__()
        self.function = function
        self.limit = limit

    def __missing__(self, key: str) -> object:
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.function(key)
        return value


def write_atomically(path: Path, data: bytes, keep_mode: bool = False) -> None:
    """Write beside the target, then rename: a reader, or a crash, leaves the old file or
    the whole new one, never half of it. With ``keep_mode`` (a user's file, not a cache) the
    data reaches the disk before the rename and the file keeps its permissions."""
    import tempfile  # only fixing files and building caches write

    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".copylint")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if keep_mode:
                stream.flush()
                os.fsync(stream.fileno())
        if keep_mode:
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


@cache
def rule_codes() -> dict[str, tuple[str, bool]]:
    """Every shipped rule's code, with its pack and whether it is enabled by default:
    all that choosing rules needs, read without building any rule."""
    codes: dict[str, tuple[str, bool]] = {}
    for name, data in _shipped_packs().items():
        for table in data.get("rule", []):
            code = table.get("code", "?")
            if code in codes:
                raise RuleError(f"{name}: rule code {code} is also used in {codes[code][0]}")
            codes[code] = (name, table.get("enabled", True))
    return codes


def unknown_code(codes: Iterable[str]) -> str | None:
    """The first of ``codes`` that is no shipped rule's code or a prefix of one ("ALL"
    aside), if any."""
    known = list(rule_codes())
    return next((code for code in codes
                 if code.upper() != "ALL" and not any(k.startswith(code.upper()) for k in known)), None)


@cache
def _shipped_pack_rules(name: str) -> tuple[Rule, ...]:
    return tuple(_build_pack(_shipped_packs()[name], name, prepare=False))


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule in every shipped pack, ordered by code; each compiles when first used
    (the test suite runs them all, so a broken pack still fails there)."""
    rule_codes()  # codes are unique
    return tuple(sorted((r for name in _shipped_packs() for r in _shipped_pack_rules(name)), key=lambda r: r.code))


def load_pack(text: str, source: str, prepare: bool = True) -> list[Rule]:
    """The rules of a pack; with ``prepare`` False, each compiles when first used."""
    return _build_pack(_parse_pack(text, source), source, prepare)


def _parse_pack(text: str, source: str) -> dict[str, Any]:
    import tomllib  # a run whose packs are cached never parses TOML

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RuleError(f"{source}: {error}") from None


def _build_pack(data: dict[str, Any], source: str, prepare: bool) -> list[Rule]:
    word_classes = data.get("classes", {})
    rules = []
    for table in data.get("rule", []):
        kind = _kind(table.get("kind", ""), source)
        if kind is None:
            raise RuleError(f"{source}: rule {table.get('code', '?')} has unknown kind {table.get('kind')!r}")
        rule = kind({**table, **({"classes": word_classes} if "classes" in kind.fields else {})}, source)
        rules.append(rule)
    for kind in dict.fromkeys(type(rule) for rule in rules):
        group = [rule for rule in rules if type(rule) is kind]
        for rule in group:
            rule._unprepared = group
        if prepare:
            group[0].ensure_prepared()
    return rules


def _kind(name: str, source: str) -> type[Rule] | None:
    """The class of a kind: from the generic kinds, else the pack's own module (importing
    a module takes longer than checking an article), else any module that registers kinds."""
    if name not in KINDS:
        from copylint import kinds  # noqa: F401

    if name not in KINDS:
        try:
            importlib.import_module(f"copylint.{Path(source).stem}")
        except ModuleNotFoundError:
            pass
    if name not in KINDS:
        _import_kinds()
    return KINDS.get(name)


def _import_kinds() -> None:
    """Import the modules that register kinds, so that packs can name them."""
    from copylint import consistency, grammar, kinds, mechanical, spelling, suppression  # noqa: F401


def find_rule(code_or_name: str) -> Rule | None:
    wanted = code_or_name.upper()
    if wanted in rule_codes():  # only that rule's pack is built
        return next(r for r in _shipped_pack_rules(rule_codes()[wanted][0]) if r.code == wanted)
    for rule in all_rules():
        if rule.code == wanted or rule.name == code_or_name.lower():
            return rule
    return None


# -- linting --------------------------------------------------------------------------


def lint(doc: Document, rules: Iterable[Rule], settings: Settings = DEFAULT_SETTINGS) -> list[Diagnostic]:
    """Run the rules over a document, then drop what its suppression comments and [sic]
    hide; diagnostics sorted by position, then code."""
    from copylint.suppression import UnusedSuppression, apply_suppressions  # suppression builds on this module

    rules = list(rules)
    found: list[Diagnostic] = []
    for rule in rules:
        rule.ensure_prepared()
        diagnostics = list(rule.check(doc, settings))
        if diagnostics:  # most rules find nothing in most documents
            found.extend(_kept(doc, rule, diagnostics))
    if not found and not any(isinstance(rule, UnusedSuppression) for rule in rules):
        return found  # nothing to hide or report: spare the search for directives and [sic]
    return _one_report_per_correction(sorted(apply_suppressions(doc, found, rules), key=Diagnostic.sort_key))


def _one_report_per_correction(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Two rules offering the same fix for the same span ("aswell": run-together words and
    a listed run-together phrase) make one report, the lower code's; and a report with no
    fix adds nothing to one with a fix for the same span ("Britian": CL201 offers "Britain",
    CL301 asks whether "Britian" or "Britain" is right)."""
    fixed_spans = {(d.start, d.end) for d in diagnostics if d.fix}
    seen: set[tuple] = set()
    kept = []
    for diagnostic in diagnostics:
        if diagnostic.fix is None and (diagnostic.start, diagnostic.end) in fixed_spans:
            continue
        key = (diagnostic.start, diagnostic.end, diagnostic.fix.edits) if diagnostic.fix else None
        if key is None or key not in seen:
            kept.append(diagnostic)
            seen.add(key)
    return kept


def _kept(doc: Document, rule: Rule, diagnostics: Iterable[Diagnostic]) -> Iterator[Diagnostic]:
    """Drop what falls in skipped regions, or in quoted speech for rules that stay out of it;
    a fix that would rewrite markup (a link target, a list marker) is withdrawn."""
    skipped = doc.is_inside_skipped if rule.reports_whole_units else doc.is_skipped
    for diagnostic in diagnostics:
        if skipped(diagnostic.start, diagnostic.end):
            continue
        if not rule.in_quotes and doc.in_quotation(diagnostic.start, diagnostic.end):
            continue
        if diagnostic.fix and any(doc.edits_markup(e.start, e.end) for e in diagnostic.fix.edits):
            diagnostic = replace(diagnostic, fix=None)
        yield diagnostic


@dataclass(frozen=True)
class Selection:
    """One layer of rule choices (the configuration, then the command line).

    ``select`` (when given) replaces the rules chosen so far; ``extend_select`` adds to
    them; ``ignore`` removes. Between a selected and an ignored prefix, the more specific
    one wins: ``ignore = ["CL1"]`` with ``select = ["CL101"]`` keeps CL101.
    """

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()

    def keeps(self, code: str, chosen_before: bool) -> bool:
        selected = _longest_prefix(code, self.select) if self.select is not None else -1
        selected = max(selected, _longest_prefix(code, self.extend_select))
        ignored = _longest_prefix(code, self.ignore)
        if selected >= 0 or ignored >= 0:
            return selected > ignored
        return chosen_before and self.select is None


def select_rules(layers: Iterable[Selection]) -> list[Rule]:
    """The rules left after applying each layer in turn to the rules enabled by default."""
    return list(_selected(tuple(layers)))


@cache
def _selected(layers: tuple[Selection, ...]) -> tuple[Rule, ...]:
    # Cached: a run over many files asks again and again for the same few selections.
    codes = rule_codes()
    chosen = {code: enabled for code, (_, enabled) in codes.items()}
    for layer in layers:
        chosen = {code: layer.keeps(code, before) for code, before in chosen.items()}
    packs = dict.fromkeys(codes[code][0] for code, kept in chosen.items() if kept)
    return tuple(sorted((r for name in packs for r in _shipped_pack_rules(name) if chosen[r.code]),
                        key=lambda r: r.code))


def _longest_prefix(code: str, prefixes: Iterable[str]) -> int:
    """Length of the longest prefix in ``prefixes`` that ``code`` starts with, or -1.

    ``ALL`` matches every code and counts as the shortest prefix.
    """
    lengths = [0 if p.upper() == "ALL" else len(p) for p in prefixes
               if p.upper() == "ALL" or code.startswith(p.upper())]
    return max(lengths, default=-1)
