"""Output formats: text, JSON, GitHub workflow annotations and SARIF 2.1.0; diffs and statistics."""

from __future__ import annotations

import difflib
import json
from collections import Counter
from typing import Any, Callable, Iterable

import click
import regex

from copylint import __version__
from copylint.engine import Diagnostic, all_rules
from copylint.runner import FileResult

FORMATS = ("text", "json", "github", "sarif")
GITHUB_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}
SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def is_safe_fix(diagnostic: Diagnostic) -> bool:
    return diagnostic.fix is not None and diagnostic.fix.applicability == "safe"


def _located(results: Iterable[FileResult]) -> Iterable[tuple[FileResult, Diagnostic]]:
    for result in results:
        for diagnostic in result.diagnostics:
            yield result, diagnostic


def diagnostic_record(result: FileResult, d: Diagnostic) -> dict[str, Any]:
    """One diagnostic as the JSON format and the other machine formats describe it."""
    doc = result.diagnosed
    line, column = doc.position(d.start)
    end_line, end_column = doc.position(d.end)
    fix = None
    if d.fix is not None:
        fix = {
            "applicability": d.fix.applicability,
            "edits": [{"offset": e.start, "end_offset": e.end, "replacement": e.replacement} for e in d.fix.edits],
        }
    return {
        "code": d.code, "rule": d.rule, "severity": d.severity, "message": d.message,
        "offset": d.start, "end_offset": d.end, "line": line, "column": column,
        "end_line": end_line, "end_column": end_column, "text": doc.text[d.start : d.end],
        "suggestions": list(d.suggestions), "fix": fix,
    }


# -- text ------------------------------------------------------------------------------


def render_text(results: list[FileResult], color: bool, quiet: bool = False) -> str:
    lines = []
    if not quiet:
        for result, d in _located(results):
            line, column = result.diagnosed.position(d.start)
            location = click.style(f"{result.path}:{line}:{column}:", bold=True) if color else f"{result.path}:{line}:{column}:"
            code = click.style(d.code, fg=_severity_colour(d.severity), bold=True) if color else d.code
            marker = " [*]" if is_safe_fix(d) else ""
            lines.append(f"{location} {code} {d.message}{marker}")
    lines.extend(summary_lines(results))
    return "\n".join(lines) + "\n" if lines else ""


def summary_lines(results: list[FileResult]) -> list[str]:
    diagnostics = [d for _, d in _located(results)]
    fixed = sum(r.applied for r in results)
    lines = [f"Fixed {fixed} issue{'s' if fixed != 1 else ''}."] if fixed else []
    if not diagnostics:
        if not fixed and results:  # with no file read (all errors), nothing was found either way
            lines.append("No issues found.")
        return lines
    safe = sum(map(is_safe_fix, diagnostics))
    unsafe = sum(1 for d in diagnostics if d.fix is not None and not is_safe_fix(d))
    count = len(diagnostics)
    lines.append(f"Found {count} issue{'s' if count != 1 else ''} ({safe} fixable with --fix).")
    if unsafe:
        lines.append(f"{unsafe} more fixable with --unsafe-fixes.")
    return lines


def _severity_colour(severity: str) -> str:
    return {"error": "red", "warning": "yellow", "info": "cyan"}[severity]


def render_statistics(results: list[FileResult]) -> str:
    counts = Counter((d.code, d.rule) for _, d in _located(results))
    fixable = Counter(d.code for _, d in _located(results) if is_safe_fix(d))
    rows = [
        f"{count:>5}  {code:<8} {rule:<32} {'[*]' if fixable[code] else ''}".rstrip()
        for (code, rule), count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    return "\n".join(rows) + "\n" if rows else ""


# -- JSON --------------------------------------------------------------------------------


def render_json(results: list[FileResult]) -> str:
    files = [
        {"path": r.path, "diagnostics": [diagnostic_record(r, d) for d in r.diagnostics]}
        for r in results if r.document is not None
    ]
    diagnostics = [d for _, d in _located(results)]
    summary = {"files": len(files), "diagnostics": len(diagnostics), "fixable": sum(map(is_safe_fix, diagnostics))}
    return json.dumps({"version": 1, "files": files, "summary": summary}, ensure_ascii=False, indent=2) + "\n"


# -- GitHub annotations ------------------------------------------------------------------


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(results: list[FileResult]) -> str:
    lines = []
    for result, d in _located(results):
        r = diagnostic_record(result, d)
        properties = ",".join([
            f"file={_escape_property(result.path)}", f"line={r['line']}", f"col={r['column']}",
            f"endLine={r['end_line']}", f"endColumn={r['end_column']}", f"title={_escape_property(d.code)}",
        ])
        lines.append(f"::{GITHUB_LEVELS[d.severity]} {properties}::{_escape_data(d.message)}")
    return "\n".join(lines) + "\n" if lines else ""


# -- SARIF ---------------------------------------------------------------------------------


def render_sarif(results: list[FileResult]) -> str:
    rules = list(all_rules())
    index = {rule.code: i for i, rule in enumerate(rules)}
    driver = {
        "name": "copylint",
        "version": __version__,
        "informationUri": "https://github.com/copylint/copylint",
        "rules": [
            {
                "id": rule.code, "name": rule.name,
                "shortDescription": {"text": rule.description},
                "defaultConfiguration": {"level": SARIF_LEVELS[rule.severity]},
            }
            for rule in rules
        ],
    }
    sarif_results = [_sarif_result(result, d, index) for result, d in _located(results)]
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": sarif_results}],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _sarif_result(result: FileResult, d: Diagnostic, index: dict[str, int]) -> dict[str, Any]:
    r = diagnostic_record(result, d)
    region = {
        "startLine": r["line"], "startColumn": r["column"], "endLine": r["end_line"], "endColumn": r["end_column"],
        "charOffset": d.start, "charLength": d.end - d.start,
    }
    artifact = {"uri": result.path.replace("\\", "/")}
    entry: dict[str, Any] = {
        "ruleId": d.code,
        "level": SARIF_LEVELS[d.severity],
        "message": {"text": d.message},
        "locations": [{"physicalLocation": {"artifactLocation": artifact, "region": region}}],
    }
    if d.code in index:
        entry["ruleIndex"] = index[d.code]
    if d.fix is not None:
        replacements = [
            {"deletedRegion": {"charOffset": e.start, "charLength": e.end - e.start},
             "insertedContent": {"text": e.replacement}}
            for e in d.fix.edits
        ]
        entry["fixes"] = [{
            "description": {"text": f"{d.fix.applicability} fix"},
            "artifactChanges": [{"artifactLocation": artifact, "replacements": replacements}],
        }]
    return entry


RENDERERS: dict[str, Callable[[list[FileResult]], str]] = {
    "json": render_json, "github": render_github, "sarif": render_sarif,
}


# -- diffs -----------------------------------------------------------------------------------


def render_diff(results: list[FileResult], color: bool) -> str:
    chunks = []
    for result in results:
        if result.changed:
            chunks.extend(difflib.unified_diff(
                _diff_lines(result.document.text), _diff_lines(result.fixed.text),
                fromfile=f"a/{result.path.lstrip('/')}", tofile=f"b/{result.path.lstrip('/')}",
            ))
    text = "".join(chunks)
    if not (color and text):
        return text
    from pygments import highlight  # only for a diff shown on a terminal
    from pygments.formatters import TerminalFormatter
    from pygments.lexers import DiffLexer

    return highlight(text, DiffLexer(), TerminalFormatter())


LINES = regex.compile(r"[^\n]*\n|[^\n]+\Z")


def _diff_lines(text: str) -> list[str]:
    """Lines for a diff, marking a last line without a newline as patch(1) expects."""
    lines = LINES.findall(text)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines
