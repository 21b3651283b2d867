"""Checking files: finding them, reading them, linting and fixing, writing fixes safely."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from copylint.config import ConfigError, ConfigFinder
from copylint.document import Document, DocumentError
from copylint.engine import Diagnostic, lint
from copylint.fixer import FixDidNotConverge, fix_document

STDIN = "-"


@dataclass(frozen=True)
class Options:
    """What the command line asked for, beyond the configuration files."""

    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    encoding: str | None = None

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


# Walking a folder picks prose files by extension; a file named on the command line is
# always checked, whatever its name.
PROSE_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".mdown", ".rst", ".html", ".htm"})


def discover(paths: list[str], finder: ConfigFinder) -> Iterator[str]:
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
                if candidate.suffix.lower() in PROSE_SUFFIXES and not config.excluded(candidate) \
                        and not _looks_binary(candidate):
                    yield str(candidate)


def _looks_binary(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            return b"\x00" in stream.read(8192)
    except OSError:
        return False  # reported when the file is read


def check_path(name: str, finder: ConfigFinder, options: Options, stdin_text: bytes | None = None,
               display_name: str | None = None) -> FileResult:
    """Lint (and with --fix, fix and write) one file or standard input."""
    result = FileResult(display_name or ("<stdin>" if name == STDIN else name), from_stdin=name == STDIN)
    try:
        path = None if name == STDIN else Path(name)
        config = finder.for_path(path)
        data = stdin_text if path is None else _read(path)
        doc = Document.from_bytes(data, result.path, options.encoding)
        rules = config.rules_for(path or (Path(display_name) if display_name else None),
                                 options.select, options.ignore, options.extend_select)
        settings = config.settings()
        result.document = doc
        if not options.fixing:
            result.diagnostics = lint(doc, rules, settings)
            return result
        outcome = fix_document(doc, lambda d: lint(d, rules, settings), options.unsafe_fixes)
        result.fixed, result.applied, result.diagnostics = outcome.document, outcome.applied, outcome.remaining
        if options.fix and not options.diff and path is not None and result.changed:
            write_atomically(path, outcome.document.encode())
    except (DocumentError, ConfigError, FixDidNotConverge) as error:
        result.error = str(error) if not isinstance(error, FixDidNotConverge) else f"{result.path}: {error}"
    except OSError as error:
        result.error = f"{result.path}: {error.strerror or error}"
    return result


def _read(path: Path) -> bytes:
    if not path.exists():
        raise DocumentError(f"{path}: no such file or directory")
    return path.read_bytes()


def write_atomically(path: Path, data: bytes) -> None:
    """Replace a file's content all at once: a crash leaves the old file, never half a new one."""
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
