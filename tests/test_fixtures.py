"""Fixture articles run through the real CLI: expected diagnostics and expected --fix output.

Each article in tests/fixtures/articles has, in expected/, a JSON list of its diagnostics
(code, line, column, flagged text, fix applicability) and the text after ``--fix``. Run
``pytest tests/test_fixtures.py --update-fixtures`` after a deliberate change, and review
the diff of expected/ before committing it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ARTICLES = Path(__file__).parent / "fixtures" / "articles"
EXPECTED = ARTICLES / "expected"
FIXTURES = sorted(p for p in ARTICLES.iterdir() if p.is_file())


def run_copylint(*args: str, cwd: Path | None = None, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "copylint", *args], capture_output=True, cwd=cwd, input=stdin, timeout=120,
    )


def summary(report: dict) -> list[dict]:
    (file,) = report["files"]
    return [
        {"code": d["code"], "line": d["line"], "column": d["column"], "text": d["text"],
         "fix": d["fix"]["applicability"] if d["fix"] else None}
        for d in file["diagnostics"]
    ]


def check_expected(path: Path, actual: bytes | str, update: bool) -> None:
    if update:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(actual if isinstance(actual, bytes) else actual.encode())
    expected = path.read_bytes()
    assert (actual if isinstance(actual, bytes) else actual.encode()) == expected, f"differs from {path}"


@pytest.mark.parametrize("article", FIXTURES, ids=lambda p: p.name)
def test_fixture_diagnostics(article: Path, tmp_path: Path, request) -> None:
    copy = tmp_path / article.name
    shutil.copy(article, copy)
    result = run_copylint("check", "--format", "json", article.name, cwd=tmp_path)
    assert result.stderr == b""
    found = summary(json.loads(result.stdout))
    assert result.returncode == (1 if found else 0)
    if article.name.startswith("clean_"):
        assert found == [], "clean articles must produce no diagnostics"
    check_expected(EXPECTED / f"{article.stem}.json", json.dumps(found, indent=1, ensure_ascii=False) + "\n",
                   request.config.getoption("--update-fixtures"))


@pytest.mark.parametrize("article", FIXTURES, ids=lambda p: p.name)
def test_fixture_fix(article: Path, tmp_path: Path, request) -> None:
    copy = tmp_path / article.name
    shutil.copy(article, copy)
    first = run_copylint("check", "--fix", article.name, cwd=tmp_path)
    assert first.returncode in (0, 1), first.stderr
    fixed = copy.read_bytes()
    check_expected(EXPECTED / f"{article.stem}.fixed", fixed, request.config.getoption("--update-fixtures"))
    # Encoding, BOM and line endings survive fixing.
    original = article.read_bytes()
    assert fixed.startswith(b"\xef\xbb\xbf") == original.startswith(b"\xef\xbb\xbf")
    assert (b"\r\n" in fixed) == (b"\r\n" in original)
    # Fixing converged: a second run fixes nothing more.
    second = run_copylint("check", "--fix", article.name, cwd=tmp_path)
    assert copy.read_bytes() == fixed
    assert b"Fixed" not in second.stdout
