"""Suppression: disable comments in each markup, [sic], unused suppressions, baselines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from copylint.engine import find_rule
from tests.helpers import lint_text

SPACES, REPEAT, THEY_WAS, UNUSED = (find_rule(c) for c in ("CL101", "CL130", "CL451", "CL501"))


def codes(text: str, path: str, rules=(SPACES, REPEAT, UNUSED)) -> list[tuple[str, str]]:
    return [(d.code, text[d.start : d.end]) for d in lint_text(text, list(rules), path=path)]


def test_disable_and_enable_in_markdown() -> None:
    text = ("One  space.\n\n<!-- copylint-disable CL101 -->\nTwo  spaces, the the.\n\n"
            "<!-- copylint-enable -->\nThree  spaces.\n")
    assert codes(text, "a.md") == [("CL101", "  "), ("CL130", "the the"), ("CL101", "  ")]


def test_disable_takes_prefixes_and_enable_takes_codes() -> None:
    text = ("<!-- copylint-disable CL1 -->\nTwo  spaces, the the.\n<!-- copylint-enable CL1 -->\n"
            "Three  spaces.\n")
    assert codes(text, "a.md") == [("CL101", "  ")]


def test_disable_next_line_in_each_format() -> None:
    for path, comment in [("a.md", "<!-- copylint-disable-next-line CL101 -->"),
                          ("a.html", "<!-- copylint-disable-next-line CL101 -->"),
                          ("a.rst", ".. copylint-disable-next-line CL101\n"),
                          ("a.py", "# copylint-disable-next-line CL101")]:
        body = "# Two  spaces.\n# Three  spaces.\n" if path.endswith(".py") else "Two  spaces.\nThree  spaces.\n"
        text = f"{comment}\n{body}"
        found = codes(text, path)
        assert [c for c, _ in found] == ["CL101"], path
        assert lint_text(text, [SPACES], path=path)[0].start > text.index("Three"), path


def test_directives_in_code_fences_are_not_directives() -> None:
    text = "```\n<!-- copylint-disable -->\n```\n\nTwo  spaces.\n"
    assert codes(text, "a.md") == [("CL101", "  ")]


def test_plain_text_has_no_comments() -> None:
    assert codes("<!-- copylint-disable -->\nTwo  spaces.\n", "a.txt") == [("CL101", "  ")]


def test_unused_suppressions_are_reported_as_info() -> None:
    text = ("<!-- copylint-disable CL101,CL130 -->\nTwo  spaces.\n<!-- copylint-enable -->\n"
            "<!-- copylint-disable-next-line CL999 -->\nFine.\n<!-- copylint-enable CL130 -->\n")
    found = lint_text(text, [SPACES, REPEAT, UNUSED], path="a.md")
    assert [(d.code, d.severity, d.message) for d in found] == [
        ("CL501", "info", "Unused suppression: no CL130 issue here"),
        ("CL501", "info", "Suppression names no rule: CL999"),
        ("CL501", "info", "Unused suppression: copylint-enable without a copylint-disable"),
    ]
    assert text[found[0].start : found[0].end] == "copylint-disable CL101,CL130"


def test_codes_whose_rules_did_not_run_are_not_judged() -> None:
    text = "<!-- copylint-disable CL130 -->\nFine.\n"
    assert codes(text, "a.md", rules=(SPACES, UNUSED)) == []
    assert codes(text, "a.md", rules=(SPACES, REPEAT)) == []  # CL501 not selected


def test_sic_hides_spelling_and_grammar_of_the_word_before() -> None:
    text = "Police said they was [sic] ready  for the cold, and they was ready.\n"
    found = codes(text, "a.txt", rules=(SPACES, THEY_WAS, UNUSED))
    assert found == [("CL101", "  "), ("CL451", "was")]
    assert lint_text(text, [THEY_WAS])[0].start == text.rindex("was")


# -- baselines through the CLI --------------------------------------------------------------


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "copylint", "check", "--no-color", *args],
                          capture_output=True, text=True, cwd=cwd, timeout=120)


ARTICLE = "The mayor  said the the water rose.\n\nRoads  reopened on Tuesday.\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "osh.txt").write_text(ARTICLE)
    (tmp_path / "notes.md").write_text("<!-- copylint-disable CL130 -->\nNothing  here.\n")
    return tmp_path


def test_baseline_hides_recorded_issues_and_reports_new_ones(project: Path) -> None:
    written = run("--write-baseline", "baseline.json", "osh.txt", "notes.md", cwd=project)
    assert (written.returncode, written.stdout) == (0, "")
    assert "recorded 5 issues in baseline.json" in written.stderr
    entries = json.loads((project / "baseline.json").read_text())["entries"]
    assert {"path": "osh.txt", "code": "CL130", "text": "the the", "context": "mayor said | water rose",
            "count": 1} in entries
    assert all("line" not in entry for entry in entries)

    clean = run("--baseline", "baseline.json", "osh.txt", "notes.md", cwd=project)
    assert (clean.returncode, clean.stdout) == (0, "No issues found.\n")

    # A new paragraph above moves every line; a new slip is the only issue reported.
    (project / "osh.txt").write_text("Floods hit  Osh.\n\n" + ARTICLE)
    moved = run("--baseline", "baseline.json", "osh.txt", cwd=project)
    assert moved.stdout.splitlines()[0] == "osh.txt:1:11: CL101 Use one space, not 2 [*]"
    assert moved.stdout.count("CL") == 1


def test_unused_baseline_entries_are_reported_in_the_baseline_file(project: Path) -> None:
    run("--write-baseline", "baseline.json", "osh.txt", cwd=project)
    (project / "osh.txt").write_text(ARTICLE.replace("the the", "the"))
    result = run("--baseline", "baseline.json", "osh.txt", cwd=project)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "baseline.json:6:5: CL501 Unused baseline entry: CL130 'the the' in osh.txt no longer matches; "
        "remove it or rewrite the baseline")
    quiet = run("--baseline", "baseline.json", "--ignore", "CL501", "osh.txt", cwd=project)
    assert (quiet.returncode, quiet.stdout) == (0, "No issues found.\n")


def test_baseline_issues_are_not_fixed(project: Path) -> None:
    run("--write-baseline", "baseline.json", "osh.txt", cwd=project)
    fixed = run("--baseline", "baseline.json", "--fix", "osh.txt", cwd=project)
    assert fixed.returncode == 0 and (project / "osh.txt").read_text() == ARTICLE


def test_baseline_errors_are_usage_errors(project: Path) -> None:
    (project / "broken.json").write_text("{}")
    broken = run("--baseline", "broken.json", "osh.txt", cwd=project)
    assert broken.returncode == 2 and "not a copylint baseline" in broken.stderr
    both = run("--write-baseline", "b.json", "--fix", "osh.txt", cwd=project)
    assert both.returncode == 2 and "cannot be combined" in both.stderr
