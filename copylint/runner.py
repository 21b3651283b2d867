"""Checking files: finding them, reading them, linting and fixing, writing fixes safely."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from copylint import markup
from copylint.config import ConfigError, ConfigFinder
from copylint.document import Document, DocumentError
from copylint.engine import Diagnostic, Selection, lint
from copylint.fixer import FixDidNotConverge, fix_document
from copylint.languagetool import LanguageToolPool, LanguageToolSettings, Unavailable
from copylint.suppression import Baseline

STDIN = "-"


@dataclass(frozen=True)
class Options:
    """What the command line asked for, beyond the configuration files."""

    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    selection: Selection = Selection()
    encoding: str | None = None
    include_code: bool = False
    languagetool: LanguageToolPool | None = None  # set when LanguageTool may be asked

    @property
    def fixing(self) -> bool:
        return self.fix or self.diff


@dataclass
class FileResult:
    """The outcome for one file: its diagnostics, its fixed text, or the error that stopped it."""

    path: str
    document: Document | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    fixed: Document | None = None
    applied: int = 0
    error: str | None = None
    from_stdin: bool = False

    @property
    def changed(self) -> bool:
        return self.fixed is not None and self.document is not None and self.fixed.text != self.document.text


# Walking a folder picks prose files by extension (and code files with --include-code,
# see markup.discoverable); a file named on the command line is always checked.
def discover(paths: list[str], finder: ConfigFinder, include_code: bool = False) -> Iterator[str]:
    """Files to check: named files as given; folders walked for prose files, skipping
    hidden folders, excluded paths and binary files. Named paths that do not exist are
    yielded so that they are reported."""
    for name in paths:
        path = Path(name)
        if name == STDIN or not path.is_dir():
            yield name
            continue
        for folder, subfolders, files in os.walk(path):
            config = finder.for_folder(Path(folder))
            subfolders[:] = sorted(
                d for d in subfolders if not d.startswith(".") and not config.excluded(Path(folder, d))
            )
            for file in sorted(files):
                candidate = Path(folder, file)
                if markup.discoverable(candidate, config, include_code) and not config.excluded(candidate) \
                        and not _looks_binary(candidate):
                    yield str(candidate)


def _looks_binary(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            return b"\x00" in stream.read(8192)
    except OSError:
        return False  # reported when the file is read


def check_path(name: str, finder: ConfigFinder, options: Options, stdin_text: bytes | None = None,
               display_name: str | None = None, baseline: Baseline | None = None) -> FileResult:
    """Lint (and with --fix, fix and write) one file or standard input; issues the
    baseline holds are left out (and left unfixed)."""
    result = FileResult(display_name or ("<stdin>" if name == STDIN else name), from_stdin=name == STDIN)
    try:
        path = None if name == STDIN else Path(name)
        config = finder.for_path(path)
        data = stdin_text if path is None else _read(path)
        named = path or (Path(display_name) if display_name else None)
        doc = markup.read(Document.from_bytes(data, result.path, options.encoding), named, config)
        rules = config.rules_for(named, options.selection)
        settings = config.settings()
        result.document = doc

        pool = options.languagetool
        second_opinion = pool.settings_for(config.data.get("languagetool", {}), settings.get("dialect")) if pool else None

        def lint_file(document: Document) -> list[Diagnostic]:
            found = lint(document, rules, settings)
            if second_opinion is not None:
                found = pool.add_findings(document, found, second_opinion)
            return baseline.filter(document, found) if baseline else found

        if not options.fixing:
            result.diagnostics = lint_file(doc)
            result.document = doc.bare()
            _require_languagetool(pool, second_opinion)
            return result
        outcome = fix_document(doc, lint_file, options.unsafe_fixes)
        result.document = doc.bare()
        result.fixed, result.applied, result.diagnostics = outcome.document.bare(), outcome.applied, outcome.remaining
        _require_languagetool(pool, second_opinion)
        if options.fix and not options.diff and path is not None and result.changed:
            write_atomically(path, outcome.document.encode())
    except (DocumentError, ConfigError, FixDidNotConverge, Unavailable) as error:
        result.error = str(error) if isinstance(error, (DocumentError, ConfigError)) else f"{result.path}: {error}"
    except OSError as error:
        result.error = f"{result.path}: {error.strerror or error}"
    return result


def _require_languagetool(pool: LanguageToolPool | None, settings: LanguageToolSettings | None) -> None:
    """With --languagetool-required, a file LanguageTool could not check is an error
    (its own diagnostics are still reported, and nothing is written)."""
    failure = pool.required_but_failed(settings) if pool and settings else None
    if failure:
        raise Unavailable(failure)


def _read(path: Path) -> bytes:
    if not path.exists():
        raise DocumentError(f"{path}: no such file or directory")
    return path.read_bytes()


def write_atomically(path: Path, data: bytes) -> None:
    """Replace a file's content all at once: a crash leaves the old file, never half a new one."""
    import tempfile  # only --fix writes files

    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".copylint")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
