"""The corpus walk (issue 18, defect 8): every path passed over is named with the reason.

An unreadable sub-folder was skipped without a word (os.walk without onerror); a symbolic link to
a file outside the corpus was followed and indexed (it quoted a file from /etc).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT
from fixtures_docs import SIMPLIFIED

from app.ingest.report import LoadReport
from app.ingest.walk import load_corpus


def reasons(report: LoadReport) -> dict[str, str]:
    return dict(report.skipped)


def test_links_out_of_the_corpus_are_named_not_followed_unless_asked(tmp_path: Path) -> None:
    """A link to a file outside the corpus (the audit's quoted /etc) is not indexed by default."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("机密\n这是语料库以外的文件。", encoding="utf-8")
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "own.txt").write_text("工资支付\n" + SIMPLIFIED, encoding="utf-8")
    (corpus / "secret.txt").symlink_to(outside / "secret.txt")
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    (corpus / "zlink.txt").symlink_to(corpus / "own.txt")  # inside: read (here a duplicate)
    (corpus / "folder").symlink_to(outside, target_is_directory=True)
    (corpus / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    (corpus / "loop1.txt").symlink_to(corpus / "loop2.txt")
    (corpus / "loop2.txt").symlink_to(corpus / "loop1.txt")
    (corpus / "sub" / "up").symlink_to(corpus, target_is_directory=True)
    os.mkfifo(corpus / "pipe.txt")

    docs, report = load_corpus(corpus)
    assert [d.doc_id for d in docs] == ["own"]
    why = reasons(report)
    assert why["secret.txt"].startswith("symbolic link to a file outside the corpus (")
    assert why["secret.txt"].endswith("not followed; pass --follow-links to index it")
    assert why["passwd.txt"].startswith("symbolic link to a file outside the corpus (/etc/passwd)")
    assert why["folder"].startswith("symbolic link to a folder outside the corpus")
    assert why["sub/up"].startswith("symbolic link to a folder inside the corpus")
    assert why["broken.txt"] == why["loop1.txt"] == why["loop2.txt"] == "broken symbolic link"
    assert why["pipe.txt"] == "not a regular file (a device, pipe or socket)"
    assert why["zlink.txt"] == "duplicate of own.txt"

    followed, report = load_corpus(corpus, follow_links=True)
    assert {d.doc_id for d in followed} == {"own", "folder/secret", "passwd"}  # secret.txt: a duplicate
    assert reasons(report)["secret.txt"] == "duplicate of folder/secret.txt"
    assert reasons(report)["sub/up"].startswith("symbolic link to a folder already walked")


def test_an_unreadable_sub_folder_is_named(tmp_path: Path) -> None:
    """os.walk skipped a folder it could not list without a word. Root reads any folder, so the
    walk runs as an unprivileged user when the tests run as root."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: no folder is unreadable")
        prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    workdir = Path(tempfile.mkdtemp(prefix="gongyou-walk-", dir="/tmp"))
    try:
        workdir.chmod(0o755)
        (workdir / "locked").mkdir()
        (workdir / "locked" / "inside.txt").write_text("工资\n" + SIMPLIFIED, encoding="utf-8")
        (workdir / "open.txt").write_text("工资支付\n" + SIMPLIFIED + "二", encoding="utf-8")
        (workdir / "closed.txt").write_text("休假\n" + SIMPLIFIED + "三", encoding="utf-8")
        (workdir / "locked").chmod(0)
        (workdir / "closed.txt").chmod(0)
        script = (
            "import json, sys; from app.ingest.walk import load_corpus; "
            "docs, report = load_corpus(sys.argv[1]); "
            "print(json.dumps({'docs': [d.doc_id for d in docs], 'skipped': report.skipped}))"
        )
        out = subprocess.run(
            [*prefix, sys.executable, "-c", script, str(workdir)], capture_output=True, text=True, cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(workdir)}, timeout=120,
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
        result = json.loads(out.stdout)
        assert result["docs"] == ["open"]
        assert dict(map(tuple, result["skipped"])) == {
            "locked": "cannot read this folder: Permission denied",
            "closed.txt": "cannot read: Permission denied",
        }
    finally:
        (workdir / "locked").chmod(0o755)
        shutil.rmtree(workdir)
