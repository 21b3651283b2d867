"""Shared helpers for the test suite."""

from __future__ import annotations

from copylint.document import Document
from copylint.engine import Rule, Settings, lint
from copylint.fixer import fix_document


def lint_text(text: str, rules: list[Rule], settings: Settings | None = None):
    return lint(Document(text), rules, settings or Settings())


def fix_text(text: str, rules: list[Rule], settings: Settings | None = None, unsafe: bool = True) -> str:
    settings = settings or Settings()
    return fix_document(Document(text), lambda d: lint(d, rules, settings), unsafe).text
