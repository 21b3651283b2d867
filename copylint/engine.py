"""The rule engine: diagnostics and fixes, rules loaded from the packs in ``rules/``, linting.

A rule pack is a TOML file holding ``[[rule]]`` tables. Each names a *kind*: a Python
class, registered with :func:`rule_kind`, that turns the table's data into a check.
Generic kinds (patterns, word lists, repetition, line checks) live in ``kinds.py``; a
check that data cannot express is a kind used by a single rule (see ``mechanical.py``).
"""

from __future__ import annotations

import importlib.resources
from importlib.resources.abc import Traversable
from pathlib import Path
import tomllib
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any, ClassVar, Iterable, Iterator

from copylint.document import Document

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
        self.prepare()

    def prepare(self) -> None:
        """Compile the kind-specific data; called once when the pack is loaded."""

    @classmethod
    def prepare_pack(cls, rules: list[Rule]) -> None:
        """Compile what the rules of this kind in one pack share; called once per pack,
        after each rule's prepare()."""

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
    """Where the rule packs are: ``copylint.rules`` in an installed copy (the wheel maps
    the repository's ``rules/`` there), or ``rules/`` beside the package in a source
    checkout that is imported without being installed (as the test suite may be)."""
    try:
        return importlib.resources.files("copylint.rules")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "rules"


def rule_pack_files() -> list[tuple[str, str]]:
    """(name, TOML text) of every shipped rule pack."""
    folder = rules_folder()
    return sorted(
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    )


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule in every shipped pack, ordered by code."""
    rules: dict[str, Rule] = {}
    for name, text in rule_pack_files():
        for rule in load_pack(text, name):
            if rule.code in rules:
                raise RuleError(f"{name}: rule code {rule.code} is also used in {rules[rule.code].source}")
            rules[rule.code] = rule
    return tuple(sorted(rules.values(), key=lambda r: r.code))


def load_pack(text: str, source: str) -> list[Rule]:
    _import_kinds()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RuleError(f"{source}: {error}") from None
    word_classes = data.get("classes", {})
    rules = []
    for table in data.get("rule", []):
        kind = KINDS.get(table.get("kind", ""))
        if kind is None:
            raise RuleError(f"{source}: rule {table.get('code', '?')} has unknown kind {table.get('kind')!r}")
        rule = kind({**table, **({"classes": word_classes} if "classes" in kind.fields else {})}, source)
        rules.append(rule)
    for kind in dict.fromkeys(type(rule) for rule in rules):
        kind.prepare_pack([rule for rule in rules if type(rule) is kind])
    return rules


def _import_kinds() -> None:
    """Import the modules that register kinds, so that packs can name them."""
    from copylint import consistency, grammar, kinds, mechanical, spelling, suppression  # noqa: F401


def find_rule(code_or_name: str) -> Rule | None:
    wanted = code_or_name.upper()
    for rule in all_rules():
        if rule.code == wanted or rule.name == code_or_name.lower():
            return rule
    return None


# -- linting --------------------------------------------------------------------------


def lint(doc: Document, rules: Iterable[Rule], settings: Settings = DEFAULT_SETTINGS) -> list[Diagnostic]:
    """Run the rules over a document, then drop what its suppression comments and [sic]
    hide; diagnostics sorted by position, then code."""
    from copylint.suppression import apply_suppressions  # suppression builds on this module

    rules = list(rules)
    found: list[Diagnostic] = []
    for rule in rules:
        found.extend(_kept(doc, rule, rule.check(doc, settings)))
    return sorted(apply_suppressions(doc, found, rules), key=Diagnostic.sort_key)


def _kept(doc: Document, rule: Rule, diagnostics: Iterable[Diagnostic]) -> Iterator[Diagnostic]:
    """Drop what falls in skipped regions, or in quoted speech for rules that stay out of it;
    a fix that would rewrite markup (a link target, a list marker) is withdrawn."""
    for diagnostic in diagnostics:
        if doc.is_skipped(diagnostic.start, diagnostic.end):
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
    chosen = {rule.code: rule.enabled for rule in all_rules()}
    for layer in layers:
        chosen = {code: layer.keeps(code, before) for code, before in chosen.items()}
    return tuple(rule for rule in all_rules() if chosen[rule.code])


def _longest_prefix(code: str, prefixes: Iterable[str]) -> int:
    """Length of the longest prefix in ``prefixes`` that ``code`` starts with, or -1.

    ``ALL`` matches every code and counts as the shortest prefix.
    """
    lengths = [0 if p.upper() == "ALL" else len(p) for p in prefixes
               if p.upper() == "ALL" or code.startswith(p.upper())]
    return max(lengths, default=-1)
