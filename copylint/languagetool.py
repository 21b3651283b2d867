"""LanguageTool as an optional second opinion (extra ``copylint[languagetool]``).

Configured by ``[tool.copylint.languagetool]`` (or ``--languagetool URL``): either ``url``
of a running LanguageTool server, or ``local = true`` to let language-tool-python start
a LanguageTool that is already installed. copylint never downloads LanguageTool: with
``local = true`` and nothing installed, it says so and carries on.

LanguageTool's matches become diagnostics coded ``LT:<RULE_ID>`` with its suggestions as
unsafe fixes. Its spelling rules stay off (copylint's own speller knows names better)
unless ``enabled-rules`` names one. A match overlapping one of copylint's own
diagnostics is merged into it. Texts go in chunks of whole paragraphs, with skipped
regions (URLs, code) and characters outside the Basic Multilingual Plane masked by
same-length stand-ins, so LanguageTool's offsets map back exactly.

When LanguageTool cannot be used (package missing, server unreachable, Java or the
installation missing, a timeout), one warning line goes to stderr and only copylint's
own rules run; with ``--languagetool-required`` each file reports an error instead
(exit code 2), its own diagnostics still listed.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterator

from copylint.document import Document, Span
from copylint.engine import Diagnostic, Edit, Fix
from copylint.suppression import apply_suppressions

# LanguageTool's public API takes up to 20 KB per request; self-hosted servers are
# configured similarly. Chunks stay well below that.
CHUNK_CHARS = 15_000
DEFAULT_TIMEOUT = 10.0
MASK = "\ufffd"  # stands in for a character LanguageTool would count as two
SPELLING_CATEGORY = "TYPOS"
SPELLING_RULE_PREFIXES = ("MORFOLOGIK_", "HUNSPELL_", "SPELLING")
SEVERITY_BY_CATEGORY = {
    "TYPOS": "warning", "GRAMMAR": "warning", "CONFUSED_WORDS": "warning", "PUNCTUATION": "warning",
    "CASING": "warning", "COLLOCATIONS": "warning", "SEMANTICS": "warning",
    "STYLE": "info", "REDUNDANCY": "info", "TYPOGRAPHY": "info", "PLAIN_ENGLISH": "info", "MISC": "info",
}
# Sub-keys of [tool.copylint.languagetool] and the types their values must have.
KEYS: dict[str, type | tuple[type, ...]] = {
    "url": str, "local": bool, "language": str, "enabled-rules": list, "disabled-rules": list,
    "timeout": (int, float),
}


def config_error(table: dict[str, Any]) -> str | None:
    """What is wrong with a ``[languagetool]`` table, or None when it is valid."""
    for key, value in table.items():
        if key not in KEYS:
            return f"unknown key 'languagetool.{key}'"
        if not isinstance(value, KEYS[key]) or (key == "timeout" and isinstance(value, bool)):
            return f"'languagetool.{key}' has the wrong type"
    if table.get("url") and table.get("local"):
        return "languagetool: give 'url' or 'local = true', not both"
    if "timeout" in table and table["timeout"] <= 0:
        return "'languagetool.timeout' must be positive"
    for key in ("enabled-rules", "disabled-rules"):
        if not all(isinstance(rule, str) for rule in table.get(key, [])):
            return f"'languagetool.{key}' must list rule IDs"
    return None


@dataclass(frozen=True)
class LanguageToolSettings:
    """Where LanguageTool is and how to ask it; hashable, so one connection serves many files."""

    url: str | None = None
    local: bool = False
    language: str = "en-US"
    enabled_rules: tuple[str, ...] = ()
    disabled_rules: tuple[str, ...] = ()
    timeout: float = DEFAULT_TIMEOUT

    @classmethod
    def from_config(cls, table: dict[str, Any], dialect: str = "auto", url: str | None = None) -> LanguageToolSettings:
        """Settings from a validated config table; a command-line ``url`` wins over the file."""
        language = table.get("language", "en-GB" if dialect == "en-GB" else "en-US")
        return cls(
            url=url or table.get("url"),
            local=bool(table.get("local")) and not url,
            language=language,
            enabled_rules=tuple(table.get("enabled-rules", ())),
            disabled_rules=tuple(table.get("disabled-rules", ())),
            timeout=float(table.get("timeout", DEFAULT_TIMEOUT)),
        )

    @property
    def wanted(self) -> bool:
        return bool(self.url or self.local)

    def describe(self) -> str:
        return f"LanguageTool at {self.url}" if self.url else "local LanguageTool"


class Unavailable(Exception):
    """LanguageTool cannot be used; the message is one line for the user."""


class LanguageToolClient:
    """One connection to LanguageTool through language-tool-python, made on first use."""

    def __init__(self, settings: LanguageToolSettings) -> None:
        self.settings = settings
        self._tool: Any = None

    def check(self, text: str) -> list[Any]:
        """LanguageTool's matches for ``text`` (offsets in ``text``), or Unavailable."""
        tool = self._connect()
        try:
            return tool.check(text)
        except Exception as error:  # the client wraps timeouts and HTTP failures alike
            raise Unavailable(f"{self.settings.describe()} failed: {self._reason(error)}") from None

    def close(self) -> None:
        if self._tool is not None:
            self._tool.close()
            self._tool = None

    def _connect(self) -> Any:
        if self._tool is None:
            self._tool = self._open()
        return self._tool

    def _open(self) -> Any:
        try:
            import language_tool_python
        except ImportError:
            raise Unavailable(
                "the LanguageTool backend needs language-tool-python: pip install 'copylint[languagetool]'"
            ) from None
        settings = self.settings
        # The client reads its request timeout from the class; a subclass carries ours.
        client = type("TimedLanguageTool", (language_tool_python.LanguageTool,), {"_TIMEOUT": settings.timeout})
        try:
            if settings.url:
                tool = client(settings.language, remote_server=settings.url)
            else:
                tool = client(settings.language, language_tool_download_version=installed_version())
        except Unavailable:
            raise
        except Exception as error:
            raise Unavailable(f"{settings.describe()} cannot be used: {self._reason(error)}") from None
        tool.enabled_rules = set(settings.enabled_rules)
        tool.disabled_rules = set(settings.disabled_rules)
        if not any(rule.startswith(SPELLING_RULE_PREFIXES) for rule in settings.enabled_rules):
            tool.disabled_categories = {SPELLING_CATEGORY}
        return tool

    def _reason(self, error: BaseException) -> str:
        """A short cause: the client's messages quote whole URLs and connection pools."""
        import requests

        cause: BaseException | None = error
        while cause is not None:
            if isinstance(cause, requests.Timeout):
                return f"no answer within {self.settings.timeout:g} s"
            if isinstance(cause, requests.ConnectionError):
                return "cannot connect"
            cause = cause.__cause__ or cause.__context__
        text = " ".join(str(error).split())
        return (text[:160] + "...") if len(text) > 160 else text or type(error).__name__


def installed_version() -> str:
    """The version of an already installed LanguageTool, so that the client never downloads one.

    language-tool-python downloads LanguageTool when the version it is asked for is not in
    its folder (``LTP_PATH``, default ``~/.cache/language_tool_python``); it skips that
    step when ``LTP_JAR_DIR_PATH`` points at an installation.
    """
    from language_tool_python.download_lt import LTP_DOWNLOAD_VERSION, LocalLanguageTool

    if os.environ.get("LTP_JAR_DIR_PATH"):
        return LTP_DOWNLOAD_VERSION
    folder = Path(os.environ.get("LTP_PATH") or Path.home() / ".cache" / "language_tool_python")
    latest = LocalLanguageTool.get_latest_installed_version() if folder.is_dir() else None
    if latest is None:
        raise Unavailable(
            f"local = true, but no LanguageTool is installed in {folder} (copylint never downloads it; "
            "install it there, set LTP_JAR_DIR_PATH, or give a server url)"
        )
    return latest.version_name




# -- chunks and offsets -----------------------------------------------------------------


@dataclass(frozen=True)
class Chunk:
    start: int
    text: str  # the document's text from ``start``, masked where LanguageTool must not look


def chunks(doc: Document, limit: int | None = None) -> Iterator[Chunk]:
    """The document in pieces of at most ``limit`` (default CHUNK_CHARS) characters, cut
    between paragraphs (or sentences, or as a last resort anywhere), masked as the
    module says."""
    limit = limit or CHUNK_CHARS
    masked = _masked(doc)
    start = end = None
    for piece in _pieces(doc, limit):
        if start is not None and piece.end - start > limit:
            yield Chunk(start, masked[start:end])
            start = None
        if start is None:
            start = piece.start
        end = piece.end
    if start is not None:
        yield Chunk(start, masked[start:end])


def _pieces(doc: Document, limit: int) -> Iterator[Span]:
    """Paragraphs; those longer than ``limit`` as sentences, and those as slices."""
    sentences = doc.sentences
    for paragraph in doc.paragraphs:
        if paragraph.end - paragraph.start <= limit:
            yield paragraph
            continue
        for sentence in (s for s in sentences if paragraph.contains(s.start, s.end)):
            for cut in range(sentence.start, sentence.end, limit):
                yield Span(cut, min(cut + limit, sentence.end))


def _masked(doc: Document) -> str:
    characters = list(doc.text)
    for region in doc.skipped_regions:
        for index in range(region.start, min(region.end, len(characters))):
            if characters[index] not in "\r\n":
                characters[index] = " "
    return "".join(MASK if ord(c) > 0xFFFF else c for c in characters)


# -- diagnostics ----------------------------------------------------------------------


def diagnostics(doc: Document, client: LanguageToolClient) -> list[Diagnostic]:
    """LanguageTool's findings in ``doc`` (outside skipped regions and quoted speech)."""
    found = []
    for chunk in chunks(doc):
        for match in client.check(chunk.text):
            start = chunk.start + match.offset
            end = start + match.error_length
            if end <= start or doc.is_skipped(start, end) or doc.in_quotation(start, end):
                continue
            found.append(_diagnostic(match, start, end))
    return found


def _diagnostic(match: Any, start: int, end: int) -> Diagnostic:
    suggestions = tuple(match.replacements[:5])
    fix = Fix((Edit(start, end, suggestions[0]),), "unsafe") if suggestions else None
    code = f"LT:{match.rule_id}"
    severity = SEVERITY_BY_CATEGORY.get(match.category, "warning")
    return Diagnostic(code, match.rule_id.lower().replace("_", "-"), severity, match.message, start, end, suggestions, fix)


def merged(native: list[Diagnostic], from_languagetool: list[Diagnostic]) -> list[Diagnostic]:
    """Both lists in one, where a LanguageTool finding that overlaps one of copylint's own
    is folded into it: copylint's diagnostic (and fix) stays, naming LanguageTool's rule
    and adding its suggestions."""
    result = list(native)
    for finding in from_languagetool:
        overlapping = [i for i, d in enumerate(result) if d.start < finding.end and finding.start < d.end]
        if not overlapping:
            result.append(finding)
            continue
        index = overlapping[0]
        own = result[index]
        if own.code.startswith("LT:"):
            continue
        suggestions = own.suggestions + tuple(s for s in finding.suggestions if s not in own.suggestions)
        result[index] = replace(own, message=f"{own.message} (also {finding.code})", suggestions=suggestions)
    return sorted(result, key=Diagnostic.sort_key)


class LanguageToolPool:
    """The LanguageTool connections of one run, one per distinct settings.

    A connection that fails is not tried again, and its warning is written once.
    """

    def __init__(self, url: str | None = None, required: bool = False) -> None:
        self.url = url
        self.required = required
        self._clients: dict[LanguageToolSettings, LanguageToolClient] = {}
        self._failures: dict[LanguageToolSettings, str] = {}

    def settings_for(self, table: dict[str, Any], dialect: str) -> LanguageToolSettings:
        return LanguageToolSettings.from_config(table, dialect, self.url)

    def add_findings(self, doc: Document, native: list[Diagnostic], settings: LanguageToolSettings) -> list[Diagnostic]:
        """``native`` merged with LanguageTool's findings, or ``native`` alone when
        LanguageTool cannot be used (warned about once, unless it is required)."""
        if not settings.wanted or settings in self._failures:
            return native
        client = self._clients.setdefault(settings, LanguageToolClient(settings))
        try:
            # Disable comments and [sic] hide LanguageTool's findings as they hide copylint's.
            return merged(native, apply_suppressions(doc, diagnostics(doc, client), ()))
        except Unavailable as error:
            self._failures[settings] = str(error)
            if not self.required:
                sys.stderr.write(f"copylint: warning: {error}; only copylint's own rules ran\n")
            return native

    def required_but_failed(self, settings: LanguageToolSettings) -> str | None:
        """Why LanguageTool, required on the command line, could not be used."""
        return self._failures.get(settings) if self.required else None

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
