"""The fixer: applies fixes, re-lints and repeats until the text stops changing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from copylint.document import Document
from copylint.engine import Diagnostic, Fix

MAX_PASSES = 10


class FixDidNotConverge(Exception):
    """Fixes kept changing the text after MAX_PASSES passes."""

    def __init__(self, codes: list[str]) -> None:
        super().__init__(
            f"fixes did not converge after {MAX_PASSES} passes (rules involved: {', '.join(codes)}); nothing written"
        )
        self.codes = codes


@dataclass
class FixOutcome:
    document: Document
    applied: int
    remaining: list[Diagnostic]

    @property
    def text(self) -> str:
        return self.document.text


def wanted(fix: Fix | None, unsafe: bool) -> bool:
    return fix is not None and (fix.applicability == "safe" or unsafe)


def apply_fixes(text: str, fixes: Iterable[Fix]) -> tuple[str, int]:
    """Apply fixes that do not overlap; on overlap the earlier fix wins.

    Returns the new text and the number of fixes applied. Fixes are taken in order of
    their first edit, so "earlier" means earlier in the text.
    """
    accepted: list[Fix] = []
    last_end = -1
    for fix in sorted(fixes, key=lambda f: (f.start, f.end)):
        if fix.start < last_end or (fix.start == last_end and accepted and _is_insertion(accepted[-1], fix)):
            continue
        accepted.append(fix)
        last_end = fix.end
    pieces, cursor = [], 0
    for edit in sorted((e for f in accepted for e in f.edits), key=lambda e: (e.start, e.end)):
        pieces.append(text[cursor : edit.start])
        pieces.append(edit.replacement)
        cursor = edit.end
    pieces.append(text[cursor:])
    return "".join(pieces), len(accepted)


def _is_insertion(previous: Fix, fix: Fix) -> bool:
    """Two insertions at one offset would be applied in an arbitrary order: keep one."""
    return previous.end == previous.start == fix.start == fix.end


def fix_document(
    doc: Document,
    lint: Callable[[Document], list[Diagnostic]],
    unsafe: bool = False,
) -> FixOutcome:
    """Fix, re-lint, repeat: at most MAX_PASSES passes, or FixDidNotConverge.

    When the text still changes after the last pass, every rule whose fixes were applied
    is named, since rules that undo each other's fixes take turns.
    """
    applied = 0
    involved: set[str] = set()
    diagnostics = lint(doc)
    for _ in range(MAX_PASSES):
        fixing = [d for d in diagnostics if wanted(d.fix, unsafe)]
        if not fixing:
            return FixOutcome(doc, applied, diagnostics)
        text, count = apply_fixes(doc.text, [d.fix for d in fixing])
        applied += count
        involved.update(d.code for d in fixing)
        doc = doc.with_text(text)
        diagnostics = lint(doc)
    if not any(wanted(d.fix, unsafe) for d in diagnostics):
        return FixOutcome(doc, applied, diagnostics)
    raise FixDidNotConverge(sorted(involved))
