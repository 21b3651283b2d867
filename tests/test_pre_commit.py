"""The real pre-commit, running this repository's hooks with ``try-repo`` on a temporary
git repository that holds a badly typed article.

pre-commit installs copylint into its own environment from this checkout, so the test
is slow (it builds a wheel once) and needs git and pre-commit installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
BAD = "The minister  said.The talks ended , officials said.\n"
FIXED = "The minister said. The talks ended, officials said.\n"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A git repository with one staged, badly typed article."""
    repo = tmp_path / "newsroom"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    (repo / "story.txt").write_text(BAD)
    git("add", "story.txt", cwd=repo)
    return repo


@pytest.fixture()
def source(tmp_path: Path) -> Path:
    """This checkout as a git repository with its working tree committed, as try-repo needs."""
    copy = tmp_path / "copylint-src"
    ignore = shutil.ignore_patterns(".git", ".venv", "*.egg-info", "__pycache__", "build", "dist", ".pytest_cache", ".hypothesis")
    shutil.copytree(ROOT, copy, ignore=ignore)
    git("init", "-q", cwd=copy)
    git("add", "-A", cwd=copy)
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "snapshot", cwd=copy)
    return copy


def try_repo(source: Path, hook: str, project: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(source.parent / "pre-commit-cache")}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(source), hook, "--files", "story.txt", "--color", "never"],
        cwd=project, capture_output=True, text=True, env=env, timeout=600,
    )


def test_hooks_fail_on_a_bad_article_then_pass_after_fixing(source: Path, project: Path) -> None:
    check = try_repo(source, "copylint", project)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "story.txt:1:13: CL101" in check.stdout

    fix = try_repo(source, "copylint-fix", project)
    assert fix.returncode == 1, "pre-commit fails a hook that modified files"
    assert (project / "story.txt").read_text() == FIXED

    git("add", "story.txt", cwd=project)
    again = try_repo(source, "copylint", project)
    assert again.returncode == 0, again.stdout + again.stderr
