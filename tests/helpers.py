"""Shared helpers for the test suite."""

from __future__ import annotations

from copylint.document import Document
from copylint.engine import Rule, Settings, lint
from copylint.fixer import fix_document
from copylint.markup import document_for


def _document(text: str, path: str | None) -> Document:
    """Plain text, or the text read as the file ``path`` (its markup) would be."""
    return document_for(text, path) if path else Document(text)


def lint_text(text: str, rules: list[Rule], settings: Settings | None = None, path: str | None = None):
    return lint(_document(text, path), rules, settings or Settings())


def fix_text(text: str, rules: list[Rule], settings: Settings | None = None, unsafe: bool = True,
             path: str | None = None) -> str:
    settings = settings or Settings()
    return fix_document(_document(text, path), lambda d: lint(d, rules, settings), unsafe).text
