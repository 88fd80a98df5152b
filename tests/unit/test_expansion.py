from __future__ import annotations

from app.search.expansion import expand_query, expansion_terms, glossary_terms, learned_table


def test_glossary_terms_bring_the_documents_wording_in_table_order() -> None:
    # 老板 → 用人单位 雇主 企业; 工资 → 劳动报酬 薪酬 收入; 不发 → 拖欠 支付 (lay table order).
    terms = glossary_terms("老板不发工资怎么办")
    assert terms == ["用人单位", "雇主", "企业", "劳动报酬", "薪酬", "收入", "拖欠", "支付"]
    assert "工资" not in glossary_terms("老板不发工资")  # the question's own words are not added


def test_english_words_map_to_chinese_and_question_words_to_nothing() -> None:
    assert glossary_terms("How many hours of overtime pay?") == [
        "工作时间",
        "加班",
        "延长工作时间",
        "工资",
        "薪酬",
    ]
    assert glossary_terms("How many?") == []
    # Traditional 工資 matches 工资 (simplified); lay terms come first, then the English words'.
    mixed = glossary_terms("(annual leave) 工資")
    assert mixed == ["劳动报酬", "薪酬", "收入", "年休假", "年", "休假"]


def test_expand_query_appends_the_glossary_terms_for_the_dense_leg() -> None:
    assert expand_query("年假有几天") == "年假有几天 带薪年休假 年休假"
    assert expand_query("今天天气") == "今天天气"


def test_learned_terms_follow_the_glossary_ranked_by_share_times_rarity() -> None:
    shares = dict(learned_table()["个体"])
    assert shares["家庭经营"] > 0 and shares["承包经营"] > 0
    idf = {"家庭经营": 1.0, "承包经营": 3.0}  # every other term: 0, never added
    terms = expansion_terms("个体户年假", ["个体"], lambda t: idf.get(t, 0.0))
    assert terms == ["带薪年休假", "年休假", "承包经营", "家庭经营"]


def test_expansion_terms_do_not_depend_on_the_hash_seed():
    """The learned terms were summed over a set once, so ties at the cut-off fell by hash seed."""
    import subprocess
    import sys

    script = (
        "from app.search.expansion import expansion_terms;"
        "from app.text.segment import content_words;"
        "q = '技术好的工人能不能多拿工资?国家怎么说?';"
        "print(expansion_terms(q, content_words(q), lambda t: 1.0))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**__import__("os").environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1, outputs
