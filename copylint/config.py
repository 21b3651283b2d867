"""Configuration: ``.copylint.toml`` or ``[tool.copylint]`` in ``pyproject.toml``.

The nearest configuration file above a checked file applies to it (or the one given
with ``--config``). Unknown keys are errors that name the key and the file, so a typo
never silently turns a setting off.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from copylint import languagetool
from copylint.engine import (DEFAULT_WORD_LISTS, Rule, Selection, Settings, find_rule, list_entries, select_rules,
                             unknown_code, word_list_names)

if TYPE_CHECKING:
    import pathspec  # imported where patterns are matched: most configurations have none

DIALECTS = ("auto", "en-US", "en-GB")
STYLES = ("ap",)

# Every key a configuration may hold, with the type its value must have.
KEYS: dict[str, type | tuple[type, ...]] = {
    "select": list,
    "ignore": list,
    "extend-select": list,
    "per-file-ignores": dict,
    "exclude": list,
    "dialect": str,
    "style": str,
    "words": list,
    "words-file": str,
    "word-lists": list,  # built-in word lists accepted by spelling (rules/NAME-words.txt)
    "rules": dict,
    "languagetool": dict,
    "file-types": dict,  # glob pattern -> text | markdown | html | rst | a Pygments language
    "include-code": bool,  # walking folders also picks code files (comments and docstrings)
    "front-matter-keys": list,  # front-matter fields checked as prose (e.g. title)
    "jobs": int,  # worker processes for `copylint check` (default: the usable CPUs)
    "extend": str,  # another configuration file this one builds on
}
# Keys that ``extend`` adds to rather than replaces; their paths and patterns stay relative
# to the file that wrote them.
ADDED_BY_EXTENDING = ("exclude", "per-file-ignores", "words", "words-file")


class ConfigError(Exception):
    """A configuration the user must correct; the message is one line."""


@dataclass
class Config:
    """One configuration file's settings (or the defaults, with ``path`` None).

    With ``extend``, ``base`` is the configuration the file builds on: ``data`` holds the
    base's keys overridden by the file's own, except the ADDED_BY_EXTENDING ones, which
    each file keeps for itself and which are asked of the base too."""

    data: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    base: Config | None = None

    @property
    def root(self) -> Path:
        """The folder that relative paths and patterns in the file are relative to."""
        return self.path.parent if self.path else Path.cwd()

    def where(self) -> str:
        return str(self.path) if self.path else "defaults"

    def validate(self) -> Config:
        for key, value in self.data.items():
            if key not in KEYS:
                raise ConfigError(f"{self.where()}: unknown key '{key}'")
            if not isinstance(value, KEYS[key]):
                raise ConfigError(f"{self.where()}: '{key}' must be a {_type_name(KEYS[key])}")
        if self.data.get("dialect", "auto") not in DIALECTS:
            raise ConfigError(f"{self.where()}: dialect must be one of {', '.join(DIALECTS)}")
        jobs = self.data.get("jobs", 1)
        if isinstance(jobs, bool) or jobs < 1:  # True is an int to isinstance
            raise ConfigError(f"{self.where()}: 'jobs' must be a positive whole number")
        if self.data.get("style", "ap") not in STYLES:
            raise ConfigError(f"{self.where()}: style must be one of {', '.join(STYLES)}")
        problem = languagetool.config_error(self.data.get("languagetool", {})) or self._codes_error()
        if problem:
            raise ConfigError(f"{self.where()}: {problem}")
        self.rule_options  # noqa: B018 - validates the [rules] tables now, not per file
        self.vocabulary  # noqa: B018 - reads the words file now
        self.word_lists  # noqa: B018
        return self

    def _codes_error(self) -> str | None:
        """What is wrong with the rule codes of select, ignore, extend-select and
        per-file-ignores, if anything (a typo there would silently check nothing)."""
        lists = {key: self.data.get(key, []) for key in ("select", "ignore", "extend-select")}
        lists.update({f"per-file-ignores '{pattern}'": codes
                      for pattern, codes in self.data.get("per-file-ignores", {}).items()})
        for where, codes in lists.items():
            if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
                return f"{where} must be a list of rule codes"
            unknown = unknown_code(codes)
            if unknown is not None:
                return f"{where}: unknown rule code or prefix '{unknown}' (see 'copylint rules')"
        return None

    @cached_property
    def exclude(self) -> pathspec.PathSpec:
        import pathspec

        return pathspec.PathSpec.from_lines("gitwildmatch", self.data.get("exclude", []))

    def excluded(self, path: Path) -> bool:
        """Whether ``exclude`` matches the path, or it is the words file (a list, not prose)."""
        if self.base is not None and self.base.excluded(path):
            return True
        if self._words_file is not None and os.path.abspath(path) == self._words_file:
            return True
        if not self.data.get("exclude"):
            return False
        relative = self.relative(path)
        return relative is not None and self.exclude.match_file(relative)

    @cached_property
    def _words_file(self) -> str | None:
        """The words file's absolute path (asked for every file walked), if one is set."""
        return os.path.abspath(self.root / self.data["words-file"]) if "words-file" in self.data else None

    @cached_property
    def _absolute_root(self) -> Path:
        return Path(os.path.abspath(self.root))

    def relative(self, path: Path) -> str | None:
        """``path`` relative to this configuration's folder, or None when outside it."""
        try:
            return PurePosixPath(Path(os.path.abspath(path)).relative_to(self._absolute_root)).as_posix()
        except ValueError:
            return None

    @cached_property
    def rule_options(self) -> dict[str, dict[str, Any]]:
        """``[rules.CODE]`` (or ``[rules.name]``) tables, checked against each rule's options."""
        options = {}
        for key, values in self.data.get("rules", {}).items():
            rule = find_rule(key)
            if rule is None:
                raise ConfigError(f"{self.where()}: [rules.{key}] names no rule")
            for option, value in values.items():
                problem = rule.option_error(option, value)
                if problem:
                    raise ConfigError(f"{self.where()}: {problem}")
            options[rule.code] = values
        return options

    @cached_property
    def vocabulary(self) -> tuple[str, ...]:
        """Words the user accepts: ``words`` plus the lines of ``words-file``."""
        words = list(self.base.vocabulary if self.base else ()) + list(self.data.get("words", []))
        if "words-file" in self.data:
            words_file = self.root / self.data["words-file"]
            try:
                words += list_entries(words_file.read_text(encoding="utf-8"))
            except OSError as error:
                raise ConfigError(f"{self.where()}: words-file {words_file}: {error.strerror}") from None
        return tuple(words)

    @cached_property
    def word_lists(self) -> tuple[str, ...]:
        """The built-in word lists spelling accepts (default: all of them)."""
        names = tuple(self.data.get("word-lists", DEFAULT_WORD_LISTS))
        shipped = word_list_names()
        unknown = [name for name in names if name not in shipped]
        if unknown:
            raise ConfigError(f"{self.where()}: word-lists: no built-in list '{unknown[0]}' "
                              f"(the lists: {', '.join(shipped)})")
        return names

    def settings(self) -> Settings:
        values = {
            "dialect": self.data.get("dialect", "auto"),
            "style": self.data.get("style"),
            "vocabulary": self.vocabulary,
            "word-lists": self.word_lists,
        }
        return Settings(options=self.rule_options, values=values)

    def rules_for(self, path: Path | None, command_line: Selection = Selection()) -> list[Rule]:
        """The rules for one file: this configuration's choices, then the command line's,
        then the file's per-file-ignores, which hold even under --select (a spelling-only
        CI job keeps each folder's exemptions)."""
        select = self.data.get("select")
        configured = Selection(
            select=tuple(select) if select is not None else None,
            ignore=tuple(self.data.get("ignore", [])),
            extend_select=tuple(self.data.get("extend-select", [])),
        )
        return select_rules([configured, command_line, Selection(ignore=tuple(self._per_file_ignores(path)))])

    def _per_file_ignores(self, path: Path | None) -> list[str]:
        codes = self.base._per_file_ignores(path) if self.base else []
        table = self.data.get("per-file-ignores", {})
        relative = self.relative(path) if path and table else None
        if relative is None:
            return codes
        import pathspec

        for pattern, ignored in table.items():
            if pathspec.PathSpec.from_lines("gitwildmatch", [pattern]).match_file(relative):
                codes += ignored
        return codes


def _type_name(kind: type | tuple[type, ...]) -> str:
    names = {list: "list", dict: "table", str: "string", bool: "boolean", int: "number"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def load_config_file(path: Path, extending: tuple[Path, ...] = ()) -> Config:
    """Read one configuration file (and the one it extends); ``pyproject.toml`` without
    [tool.copylint] gives defaults."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: {error.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("copylint", {})
    base = None
    if isinstance(data.get("extend"), str):
        target = (path.parent / data["extend"]).resolve()
        if target in extending or target == path.resolve():
            raise ConfigError(f"{path}: 'extend' goes round in a circle through {target}")
        base = load_config_file(target, (*extending, path.resolve()))
        inherited = {key: value for key, value in base.data.items() if key not in ADDED_BY_EXTENDING}
        data = {**inherited, **data}
    return Config(data, path, base).validate()


class ConfigFinder:
    """Finds (and caches) the configuration that applies to each file."""

    def __init__(self, explicit: Path | None = None) -> None:
        self.explicit = load_config_file(explicit) if explicit else None
        self._by_folder: dict[Path, Config] = {}

    def for_path(self, path: Path | None) -> Config:
        return self.for_folder(path.parent if path else Path.cwd())

    def for_folder(self, folder: Path) -> Config:
        if self.explicit is not None:
            return self.explicit
        folder = folder.resolve()
        if folder not in self._by_folder:
            self._by_folder[folder] = self._search(folder)
        return self._by_folder[folder]

    def _search(self, folder: Path) -> Config:
        for candidate in (folder, *folder.parents):
            dotfile = candidate / ".copylint.toml"
            if dotfile.is_file():
                return load_config_file(dotfile)
            pyproject = candidate / "pyproject.toml"
            if pyproject.is_file() and _has_copylint_table(pyproject):
                return load_config_file(pyproject)
        return Config()


def _has_copylint_table(pyproject: Path) -> bool:
    try:
        return "copylint" in tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
