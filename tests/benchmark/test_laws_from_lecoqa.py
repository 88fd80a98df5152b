"""The shipped laws against their source, LeCoQA's corpus.jsonl (one statute article per row).

Every article of a shipped law appears exactly once, in order, with its text unchanged; the
shipped files are what scripts/build_laws.py makes today, and a second run changes nothing.
Skipped with a message when ../shared/benchmarks is absent (a user's fresh clone).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import benchmark_dir
from laws_fixtures import LAW_FILES, LAWS, METADATA, load_build_laws

pytestmark = pytest.mark.benchmark
build_laws = load_build_laws()

# The 28 labour and social-insurance texts of ../shared/benchmarks/README.md with their article counts.
README_LABOUR_LAWS = {
    "安全生产法": 119, "劳动法": 107, "劳动合同法": 98, "社会保险法": 98, "职业病防治法": 88,
    "使用有毒物品作业场所劳动保护条例": 71, "就业促进法": 69, "职业教育法": 69, "工伤保险条例": 67,
    "保障农民工工资支付条例": 64, "社会保险经办条例": 63, "工会法": 58, "劳动争议调解仲裁法": 54,
    "最高人民法院关于审理劳动争议案件适用法律问题的解释（一）": 54, "住房公积金管理条例": 47,
    "劳动合同法实施条例": 38, "劳动保障监察条例": 36, "失业保险条例": 33, "社会保险费征缴暂行条例": 31,
    "残疾人就业条例": 30, "工资支付暂行规定": 20, "企业职工带薪年休假实施办法": 19,
    "女职工劳动保护特别规定": 16,
    "最高人民法院关于审理劳动争议案件适用法律若干问题的解释（三）": 16, "职工带薪年休假条例": 10,
    "最高人民法院关于审理工伤保险行政案件若干问题的规定": 9,
    "最高人民法院关于审理拒不支付劳动报酬刑事案件适用法律若干问题的解释": 9,
    "最高人民法院关于在民事审判工作中适用工会法若干问题的解释": 8,
}  # fmt: skip


@pytest.fixture(scope="module")
def lecoqa() -> Path:
    return benchmark_dir("lecoqa")


@pytest.fixture(scope="module")
def rows(lecoqa: Path) -> dict[str, list[tuple[str, str]]]:
    """{law: [(第X条, text), ...]} in corpus.jsonl's own row order."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with (lecoqa / "corpus.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            found[row["law"]].append((row["id"][len(row["law"]) :], row["text"]))
    return found


def test_the_catalogue_covers_the_readmes_28_labour_laws(rows) -> None:
    assert sum(README_LABOUR_LAWS.values()) == 1401
    assert {law: len(rows[law]) for law in README_LABOUR_LAWS} == README_LABOUR_LAWS
    catalogue = {e["law"]: e for e in build_laws.read_catalogue()}
    assert {law for law, e in catalogue.items() if e["group"] == "labour"} == set(README_LABOUR_LAWS)


@pytest.mark.parametrize("name", LAW_FILES)
def test_every_article_appears_once_in_order_with_its_text_unchanged(rows, name: str) -> None:
    entry = next(e for e in build_laws.read_catalogue() if e["file"] == name)
    source = dict(rows[entry["law"]])
    assert len(source) == len(rows[entry["law"]]), "corpus.jsonl repeats an article"
    wanted = entry.get("articles") or list(source)
    expected = sorted(wanted, key=build_laws.article_key)
    _, articles = build_laws.parse_law_text((LAWS / name).read_text(encoding="utf-8"))
    assert [a.number for a in articles] == expected
    changed = [a.number for a in articles if a.text != source[a.number]]
    assert not changed, f"text differs from corpus.jsonl in {changed}"
    assert METADATA[name]["articles"] == len(expected)


def test_the_shipped_files_are_what_the_script_builds_and_a_second_run_changes_nothing(
    lecoqa: Path, tmp_path: Path
) -> None:
    out = tmp_path / "laws"
    out.mkdir()
    (out / "repealed-law.txt").write_text("旧法\n", encoding="utf-8")  # no longer listed: removed
    assert build_laws.main(["--lecoqa", str(lecoqa), "--out", str(out)]) == 0
    built = {p.name: p.read_bytes() for p in out.iterdir()}
    shipped = {p.name: p.read_bytes() for p in LAWS.iterdir()}
    assert built.keys() == shipped.keys()
    assert [name for name in built if built[name] != shipped[name]] == []
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    files = build_laws.build(lecoqa, build_laws.read_catalogue())
    assert build_laws.write(files, out, check=False) == []
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == stamps
    assert build_laws.main(["--lecoqa", str(lecoqa), "--out", str(out), "--check"]) == 0
