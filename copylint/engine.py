"""The rule engine: diagnostics and fixes, rules loaded from the packs in ``rules/``, linting.

A rule pack is a TOML file holding ``[[rule]]`` tables. Each names a *kind*: a Python
class, registered with :func:`rule_kind`, that turns the table's data into a check.
Generic kinds (patterns, word lists, repetition, line checks) live in ``kinds.py``; a
check that data cannot express is a kind used by a single rule (see ``mechanical.py``).
"""

from __future__ import annotations

import importlib.resources
import tomllib
from dataclasses import dataclass, field
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

    def check(self, doc: Document, settings: Settings) -> Iterable[Diagnostic]:
        raise NotImplementedError

    @property
    def fixable(self) -> bool:
        return self.applicability is not None

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


def rule_pack_files() -> list[tuple[str, str]]:
    """(name, TOML text) of every pack shipped in ``copylint.rules``."""
    folder = importlib.resources.files("copylint.rules")
    return sorted(
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    )


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule in every shipped pack, ordered by code."""
    _import_kinds()
    rules: dict[str, Rule] = {}
    for name, text in rule_pack_files():
        for rule in load_pack(text, name):
            if rule.code in rules:
                raise RuleError(f"{name}: rule code {rule.code} is also used in {rules[rule.code].source}")
            rules[rule.code] = rule
    return tuple(sorted(rules.values(), key=lambda r: r.code))


def load_pack(text: str, source: str) -> list[Rule]:
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
    return rules


def _import_kinds() -> None:
    """Import the modules that register kinds, so that packs can name them."""
    from copylint import kinds, mechanical  # noqa: F401


def find_rule(code_or_name: str) -> Rule | None:
    wanted = code_or_name.upper()
    for rule in all_rules():
        if rule.code == wanted or rule.name == code_or_name.lower():
            return rule
    return None


# -- linting --------------------------------------------------------------------------


def lint(doc: Document, rules: Iterable[Rule], settings: Settings = DEFAULT_SETTINGS) -> list[Diagnostic]:
    """Run the rules over a document; diagnostics sorted by position, then code."""
    found: list[Diagnostic] = []
    for rule in rules:
        found.extend(_kept(doc, rule, rule.check(doc, settings)))
    return sorted(found, key=Diagnostic.sort_key)


def _kept(doc: Document, rule: Rule, diagnostics: Iterable[Diagnostic]) -> Iterator[Diagnostic]:
    """Drop what falls in skipped regions, or in quoted speech for rules that stay out of it."""
    for diagnostic in diagnostics:
        if doc.is_skipped(diagnostic.start, diagnostic.end):
            continue
        if not rule.in_quotes and doc.in_quotation(diagnostic.start, diagnostic.end):
            continue
        yield diagnostic


def select_rules(
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    extend_select: Iterable[str] = (),
) -> list[Rule]:
    """Rules whose code matches a selected prefix and no ignored one.

    With no ``select``, the rules enabled by default are the selection. A more specific
    prefix wins: ``--ignore CL1 --select CL101`` keeps CL101.
    """
    chosen = []
    for rule in all_rules():
        selected = _longest_prefix(rule.code, select) if select is not None else (0 if rule.enabled else -1)
        selected = max(selected, _longest_prefix(rule.code, extend_select))
        if selected >= 0 and selected > _longest_prefix(rule.code, ignore):
            chosen.append(rule)
    return chosen


def _longest_prefix(code: str, prefixes: Iterable[str]) -> int:
    """Length of the longest prefix in ``prefixes`` that ``code`` starts with, or -1.

    ``ALL`` matches every code and counts as the shortest prefix.
    """
    lengths = [0 if p.upper() == "ALL" else len(p) for p in prefixes
               if p.upper() == "ALL" or code.startswith(p.upper())]
    return max(lengths, default=-1)
