"""The command line: ``copylint check``, ``copylint rules``, ``copylint explain``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from copylint import __version__, output
from copylint.config import ConfigError, ConfigFinder
from copylint.engine import RuleError, all_rules, find_rule
from copylint.runner import STDIN, FileResult, Options, check_path, discover

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
def check(paths: tuple[str, ...], fix: bool, unsafe_fixes: bool, diff: bool, output_format: str,
          select: tuple[str, ...], ignore: tuple[str, ...], extend_select: tuple[str, ...],
          config_path: Path | None, stdin_filename: str | None, encoding: str | None,
          exit_zero: bool, quiet: bool, statistics: bool, no_color: bool) -> None:
    """Check files and folders (or '-' for standard input) and report issues."""
    options = Options(fix=fix or unsafe_fixes, unsafe_fixes=unsafe_fixes, diff=diff,
                      select=select, ignore=ignore, extend_select=extend_select, encoding=encoding)
    _validate_codes(select + ignore + extend_select)
    try:
        finder = ConfigFinder(config_path)
    except ConfigError as error:
        _fail(str(error))
    stdin = sys.stdin.buffer.read() if STDIN in paths else None
    results = [
        check_path(name, finder, options, stdin, stdin_filename if name == STDIN else None)
        for name in discover(list(paths) or ["."], finder)
    ]
    for result in results:
        if result.error:
            click.echo(f"copylint: error: {result.error}", err=True)
    checked = [r for r in results if r.document is not None]
    color = not no_color and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    _report(checked, options, output_format, quiet, statistics, color)
    sys.exit(_exit_code(results, options, exit_zero))


def _validate_codes(codes: tuple[str, ...]) -> None:
    known = [rule.code for rule in all_rules()]
    for code in codes:
        if code.upper() != "ALL" and not any(k.startswith(code.upper()) for k in known):
            _fail(f"unknown rule code or prefix '{code}' (see 'copylint rules')")


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
    rows = [(r.code, r.name, r.applicability or "-", r.description) for r in all_rules()]
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
        click.echo(f"\n  Flagged: {example.text!r}")
        if example.fixed is not None:
            click.echo(f"  Fixed:   {example.fixed!r}")
    for example in rule.examples["correct"]:
        click.echo(f"\n  Not flagged: {example.text!r}")


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
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(EXIT_ERROR)
