"""Checking files: finding them, reading them, linting and fixing (in worker processes when
there are many), writing fixes safely."""

from __future__ import annotations

import errno
import gc
import math
import os
import signal
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from copylint import markup
from copylint.config import ConfigError, ConfigFinder
from copylint.document import Document, DocumentError
from copylint.engine import Diagnostic, Selection, lint, write_atomically
from copylint.fixer import FixDidNotConverge, fix_document
from copylint.languagetool import LanguageToolPool, LanguageToolSettings, Unavailable
from copylint.suppression import Baseline

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor  # imported when a run uses workers

STDIN = "-"
# Each worker gets about this many chunks of files: enough that one slow chunk at the end
# leaves the other workers little to wait for, few enough that sending chunks costs little.
CHUNKS_PER_WORKER = 8


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

    @property
    def diagnosed(self) -> Document | None:
        """The text the diagnostics point into: after fixing, what is left is found in
        the fixed text, not the original."""
        return self.fixed if self.fixed is not None else self.document


# Walking a folder picks prose files by extension (and code files with --include-code,
# see markup.discoverable); a file named on the command line is always checked.
def discover(paths: list[str], finder: ConfigFinder, include_code: bool = False,
             force_exclude: bool = False, stdin_filename: str | None = None) -> Iterator[str]:
    """Files to check: named files as given (unless ``force_exclude`` and excluded, which
    for standard input goes by ``stdin_filename``); folders walked for prose files,
    skipping hidden folders, excluded paths and binary files. Named paths that do not
    exist are yielded so that they are reported. A file reached twice ("a.txt" and
    "./a.txt", or a file inside a named folder) is checked once: fixing it twice in
    parallel would race."""
    seen = set()
    for name in _named_or_walked(paths, finder, include_code, force_exclude, stdin_filename):
        key = name if name == STDIN else os.path.realpath(name)
        if key not in seen:
            seen.add(key)
            yield name


def _named_path(name: str, stdin_filename: str | None) -> Path | None:
    """The path a named file goes by: standard input's is ``--stdin-filename``, if given."""
    if name != STDIN:
        return Path(name)
    return Path(stdin_filename) if stdin_filename else None


def _named_or_walked(paths: list[str], finder: ConfigFinder, include_code: bool, force_exclude: bool,
                     stdin_filename: str | None) -> Iterator[str]:
    for name in paths:
        path = Path(name)
        if name == STDIN or not path.is_dir():
            named = _named_path(name, stdin_filename)
            if not (force_exclude and named is not None and finder.for_path(named).excluded(named)):
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
        data = stdin_text if path is None else read_file(path)
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
            try:
                write_fixed(path, outcome.document.encode())
            except OSError:
                # The file keeps its text, so it keeps its issues: report those, not the fixes.
                result.fixed, result.applied, result.diagnostics = None, 0, lint_file(doc)
                raise
    except (DocumentError, ConfigError, FixDidNotConverge, Unavailable) as error:
        result.error = str(error) if isinstance(error, (DocumentError, ConfigError)) else f"{result.path}: {error}"
    except OSError as error:
        result.error = f"{result.path}: {error.strerror or error}"
    return result


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask, not every CPU the machine has)."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


class WorkerFailed(Exception):
    """A worker process died (killed, out of memory); the message is one line."""


def check_all(names: list[str], finder: ConfigFinder, options: Options, stdin_text: bytes | None = None,
              stdin_filename: str | None = None, baseline: Baseline | None = None, jobs: int = 1) -> list[FileResult]:
    """The results of ``check_path`` for every name, in the order given. With ``jobs`` above
    1 and several files, the files are checked in that many worker processes (standard
    input still in this one); the results are the same as checking them one by one."""
    def check_here(name: str) -> FileResult:
        return check_path(name, finder, options, stdin_text, stdin_filename if name == STDIN else None, baseline)

    files = [name for name in names if name != STDIN]
    jobs = min(jobs, len(files) - 1)
    if jobs < 2 or _wants_languagetool(files, finder, options):
        return [check_here(name) for name in names]
    # The first file is checked here: that compiles the rules and loads the word lists,
    # which forked workers inherit instead of each loading them again.
    first = check_here(files[0])
    pooled = iter([first, *_check_in_pool(files[1:], finder, options, baseline, jobs)])
    return [check_here(name) if name == STDIN else next(pooled) for name in names]


def _wants_languagetool(files: list[str], finder: ConfigFinder, options: Options) -> bool:
    """Whether LanguageTool may be asked about any of the files: such runs stay in one
    process, so one connection (or one local LanguageTool) serves them and its warning
    is written once."""
    pool = options.languagetool
    if pool is None:
        return False
    if pool.url:
        return True
    for folder in {Path(name).parent for name in files}:  # a configuration applies to a folder
        try:
            table = finder.for_folder(folder).data.get("languagetool", {})
        except ConfigError:
            continue  # reported when the file is checked
        if pool.settings_for(table, "auto").wanted:
            return True
    return False


def _check_in_pool(files: list[str], finder: ConfigFinder, options: Options, baseline: Baseline | None,
                   jobs: int) -> list[FileResult]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = math.ceil(len(files) / (jobs * CHUNKS_PER_WORKER))
    chunks = [files[start : start + size] for start in range(0, len(files), size)]
    explicit = finder.explicit.path if finder.explicit else None
    worker_options = replace(options, languagetool=None)  # runs that may ask LanguageTool stay in one process
    # Forking copies this process, rules compiled; elsewhere forking is unsafe (macOS) or missing.
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    gc.freeze()  # the workers' garbage collections then skip (and leave shared) what they inherit
    try:
        with ProcessPoolExecutor(jobs, context, _start_worker, (explicit, worker_options, baseline)) as executor:
            return _gather(executor, chunks, baseline)
    finally:
        gc.unfreeze()


def _gather(executor: ProcessPoolExecutor, chunks: list[list[str]], baseline: Baseline | None) -> list[FileResult]:
    """The results of every chunk, in order."""
    from concurrent.futures.process import BrokenProcessPool

    results: list[FileResult] = []
    try:
        for chunk_results, matched in executor.map(_check_chunk, chunks):
            results += chunk_results
            if baseline is not None:
                baseline.add_matched(matched)
    except BrokenProcessPool:
        raise WorkerFailed("a worker process stopped unexpectedly (out of memory?); try --jobs 1") from None
    except BaseException:
        # Ctrl-C (or an error): drop the chunks not started; each worker finishes the file
        # in hand (a fix is written whole or not at all) and stops.
        executor.shutdown(cancel_futures=True)
        raise
    return results


@dataclass
class _Worker:
    """What a worker process keeps between chunks: its configuration files, read once, and
    the rules and word lists (forked from the main process, else compiled when first used)."""

    finder: ConfigFinder
    options: Options
    baseline: Baseline | None
    interrupted: bool = False

    def stop_soon(self, signum: int, frame: object) -> None:
        self.interrupted = True


_worker: _Worker | None = None


def _start_worker(explicit_config: Path | None, options: Options, baseline: Baseline | None) -> None:
    global _worker
    _worker = _Worker(ConfigFinder(explicit_config), options, baseline)
    # Ctrl-C reaches every process of the terminal's process group: the main process
    # stops the run, and a worker must not die mid-file with a traceback of its own.
    signal.signal(signal.SIGINT, _worker.stop_soon)


def _check_chunk(files: list[str]) -> tuple[list[FileResult], dict]:
    """Check some files in a worker; also what the baseline's entries hid in them."""
    worker = _worker
    # A baseline of this chunk's own, so that only this chunk's matches go back.
    baseline = Baseline(worker.baseline.path, worker.baseline.entries) if worker.baseline else None
    results = []
    for name in files:
        if worker.interrupted:
            raise KeyboardInterrupt  # sent back to the main process, which stops the run
        results.append(check_path(name, worker.finder, worker.options, baseline=baseline))
    return results, baseline.matched() if baseline else {}


def _require_languagetool(pool: LanguageToolPool | None, settings: LanguageToolSettings | None) -> None:
    """With --languagetool-required, a file LanguageTool could not check is an error
    (its own diagnostics are still reported, and nothing is written)."""
    failure = pool.required_but_failed(settings) if pool and settings else None
    if failure:
        raise Unavailable(failure)


def read_file(path: Path) -> bytes:
    """A named file's bytes; a missing one is a DocumentError with a one-line message."""
    if not path.exists():
        raise DocumentError(f"{path}: no such file or directory")
    return path.read_bytes()


def write_fixed(path: Path, data: bytes) -> None:
    """Replace a file with its fixed text, all at once, keeping its permissions. A
    read-only file is the user's "do not touch": it is refused, not replaced."""
    if not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222:  # the mode bits stop root too
        raise PermissionError(errno.EACCES, "read-only file, not fixed", str(path))
    write_atomically(path, data, keep_mode=True)
