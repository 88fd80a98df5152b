"""Bad questions, bad --input files and bad flags (issue 18, defects 4, 5 and 10): the audit's
catalogue for the command line. Every case ends in an answer, a refusal, a per-line error object
or a one-line message with exit code 2 (bad input) or 1 (a problem to fix): never a traceback,
and no line of an --input file is lost without a word.

Most cases run `app.cli.main` in this process (an exception would fail the test); those about the
process itself (encodings, pipes, environment, another Python) run `python -m app`.
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
from conftest import CORPUS, ROOT

from app.cli import main

ANSWERED = "湖北省有多少个技能大师工作室?"


def run(*args: str, env: dict[str, str] | None = None, python: str = sys.executable, **kw):
    return subprocess.run(
        [python, "-m", "app", *args],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        timeout=300,
        cwd=ROOT,
        **kw,
    )


def ask_json(question: str, index: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict | None, str]:
    code = main(["ask", question, "--index", str(index), "--json"])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 else None), err


# --------------------------------------------------------------------------- questions

NO_CONTENT = ["1", "[1, 2, 3]", "2035", "-1", "3.14", "???", "！！！", "{}", "的", "😀😀😀", "12351"]


@pytest.mark.parametrize("question", NO_CONTENT)
def test_questions_without_content_words_are_refused_not_answered(
    question: str, shipped_index: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 18, defect 5: "1" and "[1, 2, 3]" were answered confidently from some passage."""
    code, data, _ = ask_json(question, shipped_index, capsys)
    assert code == 0
    assert data["refused"] is True and data["citations"] == []
    assert data["refusal_rule"] == "coverage.no_content_words"


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "empty"),
        ("   \t  ", "empty"),
        ("\x00\x01\x02\x1b", "empty"),
        ("\u200b\u202e", "empty"),  # format characters only
        ("问" * 1001, "too long"),
    ],
)
def test_unaskable_questions_exit_2_with_a_message(
    question: str, message: str, shipped_index: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = ask_json(question, shipped_index, capsys)
    assert code == 2 and message in err and err.startswith("error: ")


@pytest.mark.parametrize(
    "question",
    [
        "湖北省有多少个技能大师\x07工作室?",
        "'; DROP TABLE documents; --",
        "<script>alert(1)</script>技工院校",
        "\u202e技工院校招生",
        "a" * 999,
        "技工院校" * 250,
        "\ud800技工院校",  # a lone surrogate, as a broken terminal can send
        "What about 技工院校 and GDP?",
    ],
)
def test_odd_but_askable_questions_get_an_answer_or_a_refusal(
    question: str, shipped_index: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, data, _ = ask_json(question, shipped_index, capsys)
    assert code == 0 and isinstance(data["refused"], bool) and data["answer"]
    code = main(["ask", question, "--index", str(shipped_index)])  # the text output too
    assert code == 0 and capsys.readouterr().out.strip()


# --------------------------------------------------------------------------- --input files


def batch(path: str, index: Path, capsys: pytest.CaptureFixture[str], command: str = "ask"):
    code = main([command, "--input", path, "--index", str(index)])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def test_invalid_utf8_line_gets_an_error_and_the_lines_around_it_are_answered(
    shipped_index: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 18, defect 4: one bad byte crashed the whole batch, even the lines before it."""
    path = tmp_path / "q.txt"
    path.write_bytes(
        f"{ANSWERED}\n".encode() + "技工院校招生\xff条件\n".encode("gbk", "ignore") + b"\xff\xfe\n"
        + f"{ANSWERED}\n".encode()
    )  # fmt: skip
    code, lines, _ = batch(str(path), shipped_index, capsys)
    assert code == 0 and len(lines) == 4
    assert "172个" in lines[0]["answer"] and "172个" in lines[3]["answer"]
    for bad in lines[1:3]:
        assert bad["error"].startswith("not UTF-8") and bad["line"] in (2, 3)


def test_wrong_json_types_get_a_clear_error_per_line(
    shipped_index: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 18, defect 5: {"question": null} was asked as the question "None"."""
    rows = [
        ('{"question": null}', '"question" must be text, not null'),
        ('{"question": {"text": "工资"}}', '"question" must be text, not an object'),
        ('{"question": ["工资"]}', '"question" must be text, not a list'),
        ('{"question": 12}', '"question" must be text, not a number'),
        ('{"question": true}', '"question" must be text, not true/false'),
        ('{"q": "工资"}', 'needs a "question" field'),
        ('{"question": "工资', "not valid JSON"),
        ('{"question": ""}', "empty"),
        ("[" * 500, None),  # a plain-text "question" of brackets: refused, not a crash
        (f'{{"question": "{ANSWERED}", "id": 7}}', None),
        (json.dumps(ANSWERED, ensure_ascii=False), None),  # a JSON string
        ('"引号开头的问题', None),  # starts with a quote, is no JSON: plain text
    ]
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(line for line, _ in rows) + "\n", encoding="utf-8")
    code, lines, _ = batch(str(path), shipped_index, capsys)
    assert code == 0 and len(lines) == len(rows)
    for number, ((_, error), out) in enumerate(zip(rows, lines), 1):
        if error is None:
            assert "answer" in out, out
        else:
            assert error in out["error"] and out["line"] == number, out
    assert "172个" in lines[9]["answer"] and "172个" in lines[10]["answer"]


def test_blank_lines_bom_crlf_and_overlong_lines(
    shipped_index: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "q.txt"
    path.write_bytes(
        b"\xef\xbb\xbf" + f"{ANSWERED}\r\n\r\n   \r\n".encode() + b"x" * 100_000 + f"\n{ANSWERED}".encode()
    )
    code, lines, _ = batch(str(path), shipped_index, capsys, command="search")
    assert code == 0 and len(lines) == 3
    assert lines[0]["question"] == ANSWERED and lines[2]["question"] == ANSWERED  # no BOM, no \r
    assert lines[1]["line"] == 4 and "longer than 65,536 bytes" in lines[1]["error"]


def test_empty_input_file_prints_nothing(shipped_index: Path, tmp_path: Path, capsys) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    assert batch(str(tmp_path / "empty.txt"), shipped_index, capsys) == (0, [], "")


def test_input_that_is_a_folder_or_missing_is_bad_input_even_without_an_index(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    no_index = tmp_path / "no-index"
    assert main(["ask", "--input", str(tmp_path), "--index", str(no_index)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert main(["ask", "--input", str(tmp_path / "missing.txt"), "--index", str(no_index)]) == 2
    assert "Cannot read the --input file" in capsys.readouterr().err


def test_stdin_input_with_a_bad_line(shipped_index: Path) -> None:
    out = run("ask", "--input", "-", "--index", str(shipped_index), input=b"\xc3\x28\n" + ANSWERED.encode())
    assert out.returncode == 0, out.stderr
    first, second = (json.loads(line) for line in out.stdout.decode().splitlines())
    assert first["error"].startswith("not UTF-8") and "172个" in second["answer"]


# --------------------------------------------------------------------------- flags and environment


@pytest.mark.parametrize("k", ["0", "-3", "abc", "101", "1e3"])
def test_bad_k_is_refused_by_the_parser(k: str, shipped_index: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["search", "技工院校", "-k", k, "--index", str(shipped_index)])
    assert exit_.value.code == 2 and "argument -k" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--chunk-size", "0"], "--chunk-size 0 is outside 20..20000"),
        (["--chunk-size", "-5"], "--chunk-size -5 is outside"),
        (["--chunk-size", "100", "--chunk-overlap", "400"], "must be at least 0 and smaller than"),
        (["--chunk-overlap", "-1"], "--chunk-overlap -1"),
        (["--chunk-size", "100", "--chunk-overlap", "100"], "smaller than --chunk-size 100"),
    ],
)
def test_impossible_chunk_sizes_are_bad_input(flags: list[str], message: str, tmp_path: Path, capsys) -> None:
    code = main(
        ["build", "--corpus", str(CORPUS), "--index", str(tmp_path / "i"), "--embed-model", "offline", *flags]
    )
    assert code == 2 and message in capsys.readouterr().err
    assert not (tmp_path / "i").exists()  # nothing was written


def test_a_bad_gongyou_port_breaks_serve_only_and_says_so(shipped_index: Path) -> None:
    """Issue 18: GONGYOU_PORT=abc made every command fail with a traceback."""
    env = {"GONGYOU_PORT": "abc"}
    out = run("search", ANSWERED, "--index", str(shipped_index), "--json", env=env)
    assert out.returncode == 0, out.stderr
    out = run("serve", "--index", str(shipped_index), env=env)
    assert out.returncode == 2 and b"'abc' (from GONGYOU_PORT) is not a port number" in out.stderr
    assert b"Traceback" not in out.stderr


def test_ascii_only_output_escapes_instead_of_crashing(shipped_index: Path) -> None:
    env = {"PYTHONIOENCODING": "ascii"}
    as_json = run("ask", ANSWERED, "--index", str(shipped_index), "--json", env=env)
    assert as_json.returncode == 0 and as_json.stdout.isascii(), as_json.stderr
    assert "172个" in json.loads(as_json.stdout)["answer"]  # \u escapes decode back to the text
    as_text = run("ask", ANSWERED, "--index", str(shipped_index), env=env)
    assert as_text.returncode == 0 and as_text.stdout.isascii() and b"\\u" in as_text.stdout
    error = run("ask", "", "--index", str(shipped_index), env=env)
    assert error.returncode == 2 and b"Traceback" not in error.stderr


def test_a_closed_pipe_ends_the_output_quietly(shipped_index: Path, tmp_path: Path) -> None:
    """`gongyou … | head`: BrokenPipeError used to end in a traceback."""
    questions = tmp_path / "q.txt"
    questions.write_text(f"{ANSWERED}\n" * 300, encoding="utf-8")
    command = (
        f"{sys.executable} -m app search --input {questions} --index {shipped_index} | head -n 1; "
        "exit ${PIPESTATUS[0]}"
    )
    out = subprocess.run(
        ["bash", "-c", command], capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT,
        timeout=300,
    )  # fmt: skip
    assert len(out.stdout.splitlines()) == 1
    assert b"Traceback" not in out.stderr and b"BrokenPipe" not in out.stderr, out.stderr
    assert out.returncode == 141


def _python_without_dependencies() -> str | None:
    """The interpreter under the venv (or the system's), if it lacks Gongyou's packages."""
    for candidate in (getattr(sys, "_base_executable", None), shutil.which("python3"), "/usr/bin/python3"):
        if not candidate or not Path(candidate).exists():
            continue
        probe = subprocess.run([candidate, "-I", "-c", "import numpy, faiss"], capture_output=True)
        version = subprocess.run([candidate, "-c", "import sys; print(sys.version_info >= (3, 10))"],
                                 capture_output=True, text=True)  # fmt: skip
        if probe.returncode != 0 and version.stdout.strip() == "True":
            return candidate
    return None


def test_a_python_without_the_packages_says_so_not_damaged(shipped_index: Path) -> None:
    python = _python_without_dependencies()
    if python is None:
        pytest.skip("every Python here has numpy and faiss installed")
    for args in (["ask", ANSWERED], ["list"], ["build", "--corpus", str(CORPUS)]):
        out = run(*args, "--index", str(shipped_index), python=python, env={"PYTHONNOUSERSITE": "1"})
        assert out.returncode == 1, out.stderr
        assert b"does not have Gongyou's packages installed" in out.stderr
        assert b"damaged" not in out.stderr and b"Traceback" not in out.stderr


# --------------------------------------------------------------------------- writing the index


def _as_nobody() -> list[str] | None:
    """Run as an unprivileged user: root writes through any permission bits."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


def test_add_to_a_read_only_index_names_the_folder(shipped_index: Path) -> None:
    prefix = _as_nobody()
    if prefix is None:
        pytest.skip("running as root without setpriv: a read-only folder cannot be made")
    workdir = Path(tempfile.mkdtemp(prefix="gongyou-ro-", dir="/tmp"))
    try:
        workdir.chmod(0o755)
        index = workdir / "index"
        shutil.copytree(shipped_index, index)
        note = workdir / "note.txt"
        note.write_text("工资支付\n劳动者依法享有获得劳动报酬的权利。", encoding="utf-8")
        for path in [index, *index.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        note.chmod(0o444)
        out = subprocess.run(
            [*prefix, sys.executable, "-m", "app", "add", str(note), "--index", str(index)],
            capture_output=True, text=True, cwd=ROOT, timeout=300,
            env={**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(workdir)},
        )  # fmt: skip
        assert out.returncode == 1, out.stdout + out.stderr
        assert f"Cannot write to the index folder {index}" in out.stderr
        assert "Traceback" not in out.stderr
        ask = run("ask", ANSWERED, "--index", str(index))
        assert ask.returncode == 0 and "172个".encode() in ask.stdout  # the index is unchanged
    finally:
        for path in [workdir, *workdir.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(workdir)
