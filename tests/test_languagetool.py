"""The LanguageTool backend, through the real language-tool-python client, against a small
HTTP server in this file that answers /v2/languages and /v2/check as LanguageTool's
public API documentation describes. Set COPYLINT_LANGUAGETOOL_URL to also run against a
real server."""

from __future__ import annotations

import json
import os
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import regex

from copylint import languagetool
from copylint.config import Config, ConfigError
from copylint.document import Document
from copylint.engine import find_rule, lint
from copylint.languagetool import LanguageToolPool, LanguageToolSettings, chunks, merged
from tests.test_fixtures import run_copylint

# What the fake server finds: (pattern, rule id, category, replacement).
FAKE_RULES = [
    (r"\bteh\b", "MORFOLOGIK_RULE_EN_US", "TYPOS", "the"),
    (r"\ba(?= [aeiou])", "EN_A_VS_AN", "GRAMMAR", "an"),
    (r"\bvery unique\b", "VERY_UNIQUE", "STYLE", "unique"),
]
LANGUAGES = [
    {"name": "English", "code": "en", "longCode": "en"},
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
    {"name": "English (GB)", "code": "en", "longCode": "en-GB"},
]


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def fake_matches(text: str, disabled_categories: set[str], enabled_rules: set[str]) -> list[dict]:
    found = []
    for pattern, rule_id, category, replacement in FAKE_RULES:
        if category in disabled_categories and rule_id not in enabled_rules:
            continue
        for match in regex.finditer(pattern, text):
            offset, length = utf16_length(text[: match.start()]), utf16_length(match.group())
            found.append({
                "message": f"Possible problem ({rule_id})", "shortMessage": "",
                "replacements": [{"value": replacement}], "offset": offset, "length": length,
                "context": {"text": text, "offset": offset, "length": length}, "sentence": text,
                "type": {"typeName": "Other"},
                "rule": {"id": rule_id, "description": rule_id, "issueType": "grammar",
                         "category": {"id": category, "name": category.title()}},
                "ignoreForIncompleteSentence": False, "contextForSureMatch": 0,
            })
    return found


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), FakeHandler)
        self.checked: list[dict[str, str]] = []
        self.delay = 0.0
        self.release = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class FakeHandler(BaseHTTPRequestHandler):
    server: FakeServer

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        if urllib.parse.urlparse(self.path).path == "/v2/languages":
            self._answer(LANGUAGES)
        else:
            self.send_error(404)

    def do_POST(self) -> None:  # noqa: N802
        if urllib.parse.urlparse(self.path).path != "/v2/check":
            self.send_error(404)
            return
        body = self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8")
        params = {k: v[0] for k, v in urllib.parse.parse_qs(body, keep_blank_values=True).items()}
        self.server.checked.append(params)
        if self.server.delay:
            self.server.release.wait(self.server.delay)
        disabled = set(filter(None, params.get("disabledCategories", "").split(",")))
        enabled = set(filter(None, params.get("enabledRules", "").split(",")))
        self._answer({
            "software": {"name": "LanguageTool", "version": "6.5"},
            "language": {"name": "English (US)", "code": params.get("language", "en-US")},
            "matches": fake_matches(params["text"], disabled, enabled),
        })

    def _answer(self, payload: object) -> None:
        data = json.dumps(payload).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def server():
    pytest.importorskip("language_tool_python")
    fake = FakeServer()
    thread = threading.Thread(target=fake.serve_forever, daemon=True)
    thread.start()
    yield fake
    fake.release.set()
    fake.shutdown()
    fake.server_close()


def check_with(settings: LanguageToolSettings, text: str, codes: tuple[str, ...] = (), required: bool = False):
    pool = LanguageToolPool(required=required)
    doc = Document(text)
    native = lint(doc, [find_rule(code) for code in codes])
    try:
        return doc, pool.add_findings(doc, native, settings), pool
    finally:
        pool.close()


# -- through the client ---------------------------------------------------------------


def test_offsets_map_back_exactly_past_astral_characters(server):
    text = "Fans \U0001F600\U0001F600 in Osh called the \U0001F3C6 final very unique.\n"
    doc, found, _ = check_with(LanguageToolSettings(url=server.url), text)
    assert [(d.code, doc.text[d.start:d.end]) for d in found] == [("LT:VERY_UNIQUE", "very unique")]
    assert found[0].fix.applicability == "unsafe" and found[0].suggestions == ("unique",)
    assert found[0].severity == "info"  # STYLE maps to info


def test_spelling_is_off_unless_enabled(server):
    text = "Voters in teh capital waited.\n"
    _, found, _ = check_with(LanguageToolSettings(url=server.url), text)
    assert found == []
    assert server.checked[-1]["disabledCategories"] == "TYPOS"
    enabled = LanguageToolSettings(url=server.url, enabled_rules=("MORFOLOGIK_RULE_EN_US",))
    doc, found, _ = check_with(enabled, text)
    assert [doc.text[d.start:d.end] for d in found] == ["teh"]


def test_language_and_rules_are_sent(server):
    settings = LanguageToolSettings(url=server.url, language="en-GB", disabled_rules=("WHITESPACE_RULE",))
    check_with(settings, "A quiet day.\n")
    sent = server.checked[-1]
    assert sent["language"] == "en-GB" and sent["disabledRules"] == "WHITESPACE_RULE"


def test_long_texts_go_in_chunks_and_map_back(server, monkeypatch):
    monkeypatch.setattr(languagetool, "CHUNK_CHARS", 120)
    paragraphs = [f"Paragraph {n} from Naryn was calm and the result was very unique." for n in range(6)]
    doc, found, _ = check_with(LanguageToolSettings(url=server.url), "\n\n".join(paragraphs) + "\n")
    assert len(server.checked) > 1
    assert all(len(params["text"]) <= 120 for params in server.checked)
    assert [doc.text[d.start:d.end] for d in found] == ["very unique"] * 6


def test_overlapping_findings_merge_into_copylint_diagnostic(server):
    doc, found, _ = check_with(LanguageToolSettings(url=server.url), "He ate a apple in Khujand.\n", ("CL420",))
    assert len(found) == 1
    assert found[0].code == "CL420" and "(also LT:EN_A_VS_AN)" in found[0].message


def test_findings_in_quotes_and_skipped_regions_are_dropped(server):
    text = 'She said "it was very unique" at https://example.com/very-unique-page today.\n'
    _, found, _ = check_with(LanguageToolSettings(url=server.url), text)
    assert found == []
    assert "example.com" not in server.checked[-1]["text"]


def test_sic_and_disable_comments_hide_languagetool_findings(server):
    text = "The hall was very unique [sic] and very unique.\n"
    doc, found, _ = check_with(LanguageToolSettings(url=server.url), text)
    assert [d.start for d in found] == [text.rindex("very unique")]
    html = "<!-- copylint-disable LT:VERY_UNIQUE -->\n<p>It was very unique.</p>\n"
    from copylint import markup
    from copylint.config import Config

    doc = markup.read(Document(html, "a.html"), Path("a.html"), Config())
    pool = LanguageToolPool()
    try:
        assert pool.add_findings(doc, [], LanguageToolSettings(url=server.url)) == []
    finally:
        pool.close()


def test_timeout_warns_once_and_native_rules_still_run(server, capsys):
    server.delay = 5
    settings = LanguageToolSettings(url=server.url, timeout=0.2)
    pool = LanguageToolPool()
    for text in ("He ate a apple.\n", "She ate a orange.\n"):
        doc = Document(text)
        native = lint(doc, [find_rule("CL420")])
        assert pool.add_findings(doc, native, settings) == native
    warnings = capsys.readouterr().err.splitlines()
    assert len(warnings) == 1 and "no answer within 0.2 s" in warnings[0]


def test_unreachable_server_cli_warns_and_keeps_exit_code(tmp_path: Path):
    pytest.importorskip("language_tool_python")
    article = tmp_path / "story.txt"
    article.write_text("He bought an car in Osh.\n")
    result = run_copylint("check", "--languagetool", "http://127.0.0.1:9", str(article))
    assert result.returncode == 1, result.stderr  # the native finding, as without LanguageTool
    assert b"CL421" in result.stdout
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("copylint: warning: LanguageTool at http://127.0.0.1:9")
    required = run_copylint("check", "--languagetool", "http://127.0.0.1:9", "--languagetool-required", str(article))
    assert required.returncode == 2 and b"CL421" in required.stdout
    assert b"copylint: error:" in required.stderr


def test_cli_reports_languagetool_findings(server, tmp_path: Path):
    article = tmp_path / "story.txt"
    article.write_text("The final in Bishkek was very unique.\n")
    (tmp_path / ".copylint.toml").write_text(f'[languagetool]\nurl = "{server.url}"\ntimeout = 5\n')
    result = run_copylint("check", "--format", "json", str(article), cwd=tmp_path)
    report = json.loads(result.stdout)
    assert [d["code"] for d in report["files"][0]["diagnostics"]] == ["LT:VERY_UNIQUE"]


def test_local_without_installation_never_downloads(tmp_path: Path, monkeypatch, capsys):
    pytest.importorskip("language_tool_python")
    from language_tool_python import download_lt

    monkeypatch.setenv("LTP_PATH", str(tmp_path / "nothing-here"))
    monkeypatch.delenv("LTP_JAR_DIR_PATH", raising=False)

    def no_download(*args, **kwargs):
        raise AssertionError("copylint must never download LanguageTool")

    monkeypatch.setattr(download_lt.LocalLanguageTool, "_get_remote_zip", no_download)
    monkeypatch.setattr(download_lt, "http_get", no_download)
    doc, found, _ = check_with(LanguageToolSettings(local=True), "A quiet day.\n")
    assert found == []
    assert "no LanguageTool is installed" in capsys.readouterr().err


@pytest.mark.skipif(not os.environ.get("COPYLINT_LANGUAGETOOL_URL"), reason="COPYLINT_LANGUAGETOOL_URL not set")
def test_real_server():
    pytest.importorskip("language_tool_python")
    settings = LanguageToolSettings(url=os.environ["COPYLINT_LANGUAGETOOL_URL"], timeout=30)
    doc, found, pool = check_with(settings, "Their is a problem with the the bridge in Osh.\n", required=True)
    assert found and all(0 <= d.start < d.end <= len(doc.text) for d in found)


# -- without a server ---------------------------------------------------------------


def test_chunks_cover_the_text_and_respect_the_limit():
    text = "\n\n".join(f"Sentence {n} of the report. Another sentence {n} follows it here." for n in range(40))
    doc = Document(text + "\n" + "x" * 500)  # one paragraph longer than the limit
    pieces = list(chunks(doc, 200))
    assert all(len(c.text) <= 200 for c in pieces)
    assert all(doc.text[c.start : c.start + len(c.text)] == c.text for c in pieces)
    assert "".join(c.text for c in pieces).replace(" ", "").replace("\n", "") == doc.text.replace(" ", "").replace("\n", "")


def test_merge_keeps_separate_findings_apart():
    doc = Document("a apple and very unique\n")
    native = lint(doc, [find_rule("CL420")])
    (own,) = native
    other = type(own)("LT:VERY_UNIQUE", "very-unique", "info", "Style", 12, 23)
    assert [d.code for d in merged(native, [other])] == ["CL420", "LT:VERY_UNIQUE"]


@pytest.mark.parametrize("table, problem", [
    ({"colour": True}, "unknown key 'languagetool.colour'"),
    ({"url": "http://localhost:8081", "local": True}, "not both"),
    ({"timeout": "fast"}, "wrong type"),
    ({"timeout": 0}, "must be positive"),
    ({"enabled-rules": "EN_A_VS_AN"}, "wrong type"),
])
def test_config_table_is_validated(table, problem):
    with pytest.raises(ConfigError, match=problem):
        Config({"languagetool": table}).validate()


def test_settings_follow_dialect_and_command_line():
    settings = LanguageToolSettings.from_config({"url": "http://a:1", "timeout": 3}, "en-GB", url="http://b:2")
    assert (settings.url, settings.language, settings.timeout) == ("http://b:2", "en-GB", 3.0)
    assert not LanguageToolSettings.from_config({}, "auto").wanted
