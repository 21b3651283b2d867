"""The command line: ``copylint check``, ``copylint rules``, ``copylint explain``, ``copylint vocab``,
``copylint explain-word``."""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

import click

from copylint import __version__, markup, output
from copylint.config import ConfigError, ConfigFinder
from copylint.document import Document, DocumentError
from copylint.engine import DEFAULT_WORD_LISTS, CacheError, RuleError, Selection, all_rules, find_rule, unknown_code
from copylint.languagetool import LanguageToolPool
from copylint.runner import STDIN, FileResult, Options, WorkerFailed, check_all, discover, read_file, usable_cpus
from copylint.suppression import Baseline, BaselineError, UnusedSuppression

EXIT_CLEAN, EXIT_ISSUES, EXIT_ERROR = 0, 1, 2


def _codes(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """Split ``--select CL1,CL2`` (and repeated options) into codes."""
    return tuple(code.strip() for value in values for code in value.split(",") if code.strip())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="copylint")
def cli() -> None:
    """copylint: a copy-editing linter for article text."""


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--fix", is_flag=True, help="Apply safe fixes and write the files.")
@click.option("--unsafe-fixes", is_flag=True, help="Apply unsafe fixes too (implies --fix).")
@click.option("--diff", is_flag=True, help="Print a unified diff of what --fix would change; write nothing.")
@click.option("--format", "output_format", type=click.Choice(output.FORMATS), default="text", show_default=True)
@click.option("--select", multiple=True, callback=_codes, help="Rule codes or prefixes to check (comma-separated).")
@click.option("--ignore", multiple=True, callback=_codes, help="Rule codes or prefixes to leave out.")
@click.option("--extend-select", multiple=True, callback=_codes, help="Codes to add to the selection.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), help="Use this configuration file.")
@click.option("--stdin-filename", help="The name to report for text read from '-'.")
@click.option("--encoding", help="Read files in this encoding instead of UTF-8.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when issues remain.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary (and errors).")
@click.option("--statistics", is_flag=True, help="Print counts per rule instead of each issue.")
@click.option("--no-color", is_flag=True, help="Never colour the output.")
@click.option("--include-code", is_flag=True, help="Walking folders, check comments and docstrings of code files too.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Hide the issues recorded in this baseline file; report only new ones.")
@click.option("--write-baseline", "write_baseline", type=click.Path(dir_okay=False, path_type=Path),
              help="Record the current issues in this baseline file (and report nothing).")
@click.option("--languagetool", "languagetool_url", metavar="URL",
              help="Also ask the LanguageTool server at URL (e.g. http://localhost:8081).")
@click.option("--languagetool-required", is_flag=True,
              help="Exit 2 when LanguageTool is configured but cannot be used (default: warn and go on).")
@click.option("-j", "--jobs", type=click.IntRange(min=1),
              help="Check files in this many processes (default: 'jobs' in the configuration, else the usable CPUs).")
@click.option("--force-exclude", is_flag=True,
              help="Skip named files that the configuration's exclude matches too (pre-commit names every file).")
def check(paths: tuple[str, ...], fix: bool, unsafe_fixes: bool, diff: bool, output_format: str,
          select: tuple[str, ...], ignore: tuple[str, ...], extend_select: tuple[str, ...],
          config_path: Path | None, stdin_filename: str | None, encoding: str | None,
          exit_zero: bool, quiet: bool, statistics: bool, no_color: bool, include_code: bool,
          baseline_path: Path | None, write_baseline: Path | None, languagetool_url: str | None,
          languagetool_required: bool, jobs: int | None, force_exclude: bool) -> None:
    """Check files and folders (or '-' for standard input) and report issues."""
    selection = Selection(select or None, ignore, extend_select)
    options = Options(fix=fix or unsafe_fixes, unsafe_fixes=unsafe_fixes, diff=diff, selection=selection,
                      encoding=encoding, include_code=include_code,
                      languagetool=LanguageToolPool(languagetool_url, languagetool_required))
    _validate_codes(select + ignore + extend_select)
    if write_baseline and (options.fixing or baseline_path):
        _fail("--write-baseline cannot be combined with --fix, --diff or --baseline")
    try:
        finder = ConfigFinder(config_path)
        baseline = Baseline.load(baseline_path) if baseline_path else None
        jobs = jobs or finder.for_path(None).data.get("jobs") or usable_cpus()
        names = list(discover(list(paths) or ["."], finder, include_code, force_exclude, stdin_filename))
    except (ConfigError, BaselineError) as error:
        _fail(str(error))
    stdin = sys.stdin.buffer.read() if STDIN in paths else None
    if stdin is not None and STDIN not in names and options.fixing:
        sys.stdout.buffer.write(stdin)  # excluded: an editor piping the text through gets it back as it was
    try:
        results = check_all(names, finder, options, stdin, stdin_filename, baseline, jobs)
    except WorkerFailed as error:
        _fail(str(error))
    options.languagetool.close()
    for result in results:
        if result.error:
            click.echo(f"copylint: error: {result.error}", err=True)
    checked = [r for r in results if r.document is not None]
    if write_baseline:
        _write_baseline(write_baseline, checked, results)
    if baseline:
        unused_entries = _baseline_report(baseline, finder, options)
        checked += unused_entries
        results += unused_entries
    color = not no_color and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    _report(checked, options, output_format, quiet, statistics, color)
    sys.exit(_exit_code(results, options, exit_zero))


def _write_baseline(path: Path, checked: list[FileResult], results: list[FileResult]) -> None:
    try:
        count = Baseline(path).write((r.diagnosed, r.diagnostics) for r in checked)
    except BaselineError as error:
        _fail(str(error))
    click.echo(f"copylint: recorded {count} issue{'s' if count != 1 else ''} in {path}", err=True)
    sys.exit(EXIT_ERROR if any(r.error for r in results) else EXIT_CLEAN)


def _baseline_report(baseline: Baseline, finder: ConfigFinder, options: Options) -> list[FileResult]:
    """The baseline file with its unused entries, when rule CL501 applies to it."""
    rules = finder.for_path(baseline.path).rules_for(baseline.path, options.selection)
    reporter = next((r for r in rules if isinstance(r, UnusedSuppression)), None)
    if reporter is None:
        return []
    document, diagnostics = baseline.unused(reporter)
    return [FileResult(str(baseline.path), document, diagnostics)] if diagnostics else []


def _validate_codes(codes: tuple[str, ...]) -> None:
    unknown = unknown_code(codes)
    if unknown is not None:
        _fail(f"unknown rule code or prefix '{unknown}' (see 'copylint rules')")


def _report(results: list[FileResult], options: Options, output_format: str, quiet: bool,
            statistics: bool, color: bool) -> None:
    if options.diff:
        click.echo(output.render_diff(results, color), nl=False)
        return
    stdin_fixed = [r for r in results if options.fix and r.from_stdin and r.fixed is not None]
    for result in stdin_fixed:
        # Fixed standard input goes to standard output; the report moves to stderr.
        sys.stdout.buffer.write(result.fixed.encode())
    to_stderr = bool(stdin_fixed)
    if statistics:
        click.echo(output.render_statistics(results), nl=False, err=to_stderr)
    elif output_format == "text":
        click.echo(output.render_text(results, color, quiet), nl=False, err=to_stderr)
    else:
        click.echo(output.RENDERERS[output_format](results), nl=False, err=to_stderr)


def _exit_code(results: list[FileResult], options: Options, exit_zero: bool) -> int:
    if any(r.error for r in results):
        return EXIT_ERROR
    if options.diff:
        return EXIT_ISSUES if any(r.changed for r in results) and not exit_zero else EXIT_CLEAN
    if exit_zero or not any(r.diagnostics for r in results):
        return EXIT_CLEAN
    return EXIT_ISSUES


@cli.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
def list_rules(output_format: str) -> None:
    """List every rule: code, name, fix, description."""
    for line in rule_table(output_format):
        click.echo(line)


def rule_table(output_format: str) -> list[str]:
    rows = [(r.code, r.name, r.applicability or "-", r.description + ("" if r.enabled else " (off by default)"))
            for r in all_rules()]
    if output_format == "markdown":
        return ["| code | name | fix | description |", "| --- | --- | --- | --- |",
                *(f"| {c} | `{n}` | {f} | {d} |" for c, n, f, d in rows)]
    return [f"{c:<8} {n:<32} {f:<7} {d}" for c, n, f, d in rows]


@cli.command()
@click.argument("code")
def explain(code: str) -> None:
    """Show one rule with its examples."""
    rule = find_rule(code)
    if rule is None:
        _fail(f"no rule '{code}' (see 'copylint rules')")
    click.echo(f"{rule.code} {rule.name} ({rule.kind}, {rule.severity})")
    click.echo(rule.description)
    click.echo(f"Fix: {rule.applicability or 'none'}. Applies inside quotations: {'yes' if rule.in_quotes else 'no'}.")
    if rule.default_options:
        click.echo("Options: " + ", ".join(f"{k} = {v!r}" for k, v in rule.default_options.items()))
    for example in rule.examples["incorrect"]:
        click.echo(f"\n  Flagged{_read_as(example)}: {example.text!r}")
        if example.fixed is not None:
            click.echo(f"  Fixed:   {example.fixed!r}")
    for example in rule.examples["correct"]:
        click.echo(f"\n  Not flagged{_read_as(example)}: {example.text!r}")


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), help="Use this configuration file.")
@click.option("--encoding", help="Read files in this encoding instead of UTF-8.")
def vocab(paths: tuple[str, ...], config_path: Path | None, encoding: str | None) -> None:
    """Print the unknown words in files and folders, most frequent first, ready to paste into a words file."""
    from copylint.spelling import unknown_words  # the spelling data loads only when needed

    try:
        finder = ConfigFinder(config_path)
        names = list(discover(list(paths) or ["."], finder))
    except ConfigError as error:
        _fail(str(error))
    counts: Counter = Counter()
    for name in names:
        try:
            config = finder.for_path(Path(name))
            document = markup.read(Document.from_bytes(read_file(Path(name)), name, encoding), Path(name), config)
            counts += unknown_words(document, config.settings())
        except (DocumentError, ConfigError, OSError) as error:
            click.echo(f"copylint: error: {error}", err=True)
    click.echo(f"# copylint vocab: {len(counts)} unknown word{'s' if len(counts) != 1 else ''}, most frequent first")
    last = None
    for word, count in sorted(counts.items(), key=lambda item: (-item[1], item[0].lower(), item[0])):
        if count != last:
            click.echo(f"# seen {count} time{'s' if count != 1 else ''}")
            last = count
        click.echo(word)


@cli.command("explain-word")
@click.argument("word")
@click.option("--dialect", type=click.Choice(["auto", "en-US", "en-GB"]), default="auto", show_default=True,
              help="Judge the word as in an article of this dialect.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Use this configuration file (its words and words-file).")
def explain_word(word: str, dialect: str, config_path: Path | None) -> None:
    """Say why a word is accepted or flagged by the spelling rules."""
    from copylint import spelling

    if not word.strip() or any(ch.isspace() for ch in word):
        _fail(f"give one word to explain, not {word!r}")
    try:
        settings = ConfigFinder(config_path).for_path(None).settings()
    except ConfigError as error:
        _fail(str(error))
    if dialect == "auto":
        dialect = settings.get("dialect") or "auto"
    word_lists = settings.get("word-lists", DEFAULT_WORD_LISTS)
    for line in spelling.explain_word(word, None if dialect == "auto" else dialect, settings.get("vocabulary") or (), word_lists):
        click.echo(line)


def _read_as(example) -> str:
    """The file an example's text is read as, when it is not plain text."""
    return f" (in {example.path})" if example.path else ""


def _fail(message: str) -> None:
    click.echo(f"copylint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def main() -> None:
    """Entry point: usage errors and broken rule packs become one line on stderr, exit 2."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        _fail("aborted")
    except click.ClickException as error:
        _fail(error.format_message())
    except RuleError as error:
        _fail(f"rule pack: {error}")
    except CacheError as error:
        _fail(str(error))
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(EXIT_ERROR)
