"""``copylint check --jobs``: files checked in worker processes report exactly what one
process reports, in the same order, with the same exit codes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from copylint import runner
from copylint.config import ConfigFinder
from copylint.languagetool import LanguageToolPool
from copylint.runner import Options, check_all
from tests.test_fixtures import FIXTURES, run_copylint

BAD_BYTES = "Almaty's mayor said the caf\xe9 would reopen.\n".encode("latin-1")  # not UTF-8


@pytest.fixture()
def newsroom(tmp_path: Path) -> Path:
    """A folder of the fixture articles, some in a subfolder, so that several chunks go out."""
    folder = tmp_path / "newsroom"
    (folder / "wire").mkdir(parents=True)
    for index, article in enumerate(FIXTURES):
        shutil.copy(article, folder / ("wire" if index % 2 else ".") / article.name)
    return folder


def serial_and_parallel(folder: Path, *args: str) -> tuple[subprocess.CompletedProcess, subprocess.CompletedProcess]:
    return run_copylint("check", "--jobs", "1", *args, cwd=folder), run_copylint("check", "--jobs", "2", *args, cwd=folder)


def assert_same(serial: subprocess.CompletedProcess, parallel: subprocess.CompletedProcess) -> None:
    assert (parallel.returncode, parallel.stdout, parallel.stderr) == (serial.returncode, serial.stdout, serial.stderr)


@pytest.mark.parametrize("how", [["--format", "json"], ["--format", "text"], ["--format", "sarif"], ["--format", "github"],
                                 ["--statistics"], ["--diff"]])
def test_workers_report_what_one_process_reports(newsroom: Path, how: list[str]) -> None:
    serial, parallel = serial_and_parallel(newsroom, *how)
    assert serial.returncode == 1 and serial.stdout
    assert_same(serial, parallel)


def test_fix_in_workers_writes_every_file_as_one_process_does(newsroom: Path, tmp_path: Path) -> None:
    twin = tmp_path / "twin"
    shutil.copytree(newsroom, twin)
    assert_same(run_copylint("check", "--fix", "--jobs", "1", cwd=newsroom),
                run_copylint("check", "--fix", "--jobs", "2", cwd=twin))
    files = sorted(p.relative_to(newsroom) for p in newsroom.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(twin) for p in twin.rglob("*") if p.is_file())  # no temporary files left
    originals = {article.name: article.read_bytes() for article in FIXTURES}
    assert any((twin / name).read_bytes() != originals[name.name] for name in files)
    for name in files:
        assert (twin / name).read_bytes() == (newsroom / name).read_bytes(), name


def test_a_file_named_twice_is_checked_and_fixed_once(newsroom: Path) -> None:
    name = sorted(p.name for p in newsroom.glob("*.txt"))[0]
    once = run_copylint("check", "--format", "json", "--jobs", "2", ".", cwd=newsroom)
    twice = run_copylint("check", "--format", "json", "--jobs", "2", name, f"./{name}", ".", cwd=newsroom)
    assert once.returncode == twice.returncode == 1
    assert json.loads(twice.stdout)["summary"] == json.loads(once.stdout)["summary"]
    assert [f["path"] for f in json.loads(twice.stdout)["files"]].count(name) == 1


def test_a_bad_file_among_good_ones_gives_the_same_error_and_exit_code(newsroom: Path) -> None:
    (newsroom / "wire" / "latin1.txt").write_bytes(BAD_BYTES)
    (newsroom / "scan.txt").write_bytes(b"PDF\x00\x01")  # binary: named, so reported
    serial, parallel = serial_and_parallel(newsroom, ".", "scan.txt")
    assert serial.returncode == 2
    assert serial.stderr.decode().splitlines() == [
        "copylint: error: wire/latin1.txt: not UTF-8 (invalid byte 0xe9 at byte 27); "
        "pass --encoding (e.g. --encoding cp1252) to read it",
        "copylint: error: scan.txt: binary file (contains NUL bytes); not checked",
    ]
    assert_same(serial, parallel)


def test_baselines_written_and_matched_in_workers(newsroom: Path) -> None:
    for jobs, name in (("1", "baseline.json"), ("2", "parallel.json")):
        assert run_copylint("check", "--jobs", jobs, "--write-baseline", name, cwd=newsroom).returncode == 0
    assert (newsroom / "parallel.json").read_text() == (newsroom / "baseline.json").read_text()
    edited = newsroom / "almaty_flood.txt"  # its doubled spaces go: their entries hide nothing now
    edited.write_text(edited.read_text(encoding="utf-8").replace("   ", " ") + "The the end.\n", encoding="utf-8")
    serial, parallel = serial_and_parallel(newsroom, "--baseline", "baseline.json", "--extend-select", "CL501")
    assert "CL501" in serial.stdout.decode() and serial.returncode == 1
    assert_same(serial, parallel)


def test_jobs_in_the_configuration(newsroom: Path) -> None:
    (newsroom / ".copylint.toml").write_text("jobs = 2\n")
    configured = run_copylint("check", "--format", "json", cwd=newsroom)
    assert_same(run_copylint("check", "--format", "json", "--jobs", "1", cwd=newsroom), configured)
    (newsroom / ".copylint.toml").write_text("jobs = 0\n")
    refused = run_copylint("check", cwd=newsroom)
    assert refused.returncode == 2
    assert refused.stderr.decode().endswith("'jobs' must be a positive whole number\n")


def test_one_file_or_one_job_needs_no_pool(newsroom: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*args: object) -> None:
        raise AssertionError("a pool was started")

    monkeypatch.chdir(newsroom)
    monkeypatch.setattr(runner, "_check_in_pool", no_pool)
    finder = ConfigFinder()
    names = sorted(str(p.relative_to(newsroom)) for p in newsroom.rglob("*.txt"))
    assert len(check_all(names[:1], finder, Options(), jobs=4)) == 1
    assert len(check_all(names, finder, Options(), jobs=1)) == len(names)
    assert len(check_all(["-", names[0]], finder, Options(), stdin_text=b"Text.", jobs=4)) == 2
    # LanguageTool (one connection, one warning) keeps a run in one process.
    (newsroom / "wire" / ".copylint.toml").write_text('[languagetool]\nurl = "http://127.0.0.1:9"\n')
    assert len(check_all(names, ConfigFinder(), Options(languagetool=LanguageToolPool()), jobs=4)) == len(names)


def test_stdin_among_files_keeps_its_place(newsroom: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(newsroom)
    names = [str(p.relative_to(newsroom)) for p in sorted(newsroom.rglob("*.txt"))]
    results = check_all([names[0], "-", *names[1:]], ConfigFinder(), Options(), stdin_text=b"Its  text.", jobs=2)
    assert [r.path for r in results] == [names[0], "<stdin>", *names[1:]]


@pytest.mark.skipif(sys.platform != "linux", reason="finds the workers in /proc")
def test_ctrl_c_stops_workers_without_tracebacks_or_half_written_files(newsroom: Path) -> None:
    for copy in range(300):  # enough work that the run is still going when Ctrl-C comes
        shutil.copytree(newsroom / "wire", newsroom / f"copy{copy}")
    run = subprocess.Popen([sys.executable, "-m", "copylint", "check", "--fix", "--jobs", "2", "."], cwd=newsroom,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    children = Path(f"/proc/{run.pid}/task/{run.pid}/children")
    deadline = time.monotonic() + 30
    while not children.read_text().split() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # the workers are checking files
    os.killpg(run.pid, signal.SIGINT)  # as a terminal does: to the whole process group
    _, stderr = run.communicate(timeout=30)
    assert run.returncode == 2
    assert stderr.decode().strip() == "copylint: error: aborted"
    assert not list(newsroom.rglob("*.copylint"))
