"""The UI server through gradio_client: /ask and /search agree with the CLI, the streamed chat,
follow-ups, scripts, bad input (wrong types from API callers too), a missing index, and what the
logs say about questions. Plus the pure rendering helpers (escaping, highlighting, streaming
pieces). Administrators and uploads: test_admin_api.py."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from browser_fixtures import running_app

from app.search.question import MAX_QUESTION_CHARS
from app.web import answerer, i18n, render, uploads

gradio_client = pytest.importorskip("gradio_client")
Client = gradio_client.Client

# Gradio's queue statistics use pandas options that pandas 3 deprecates; not ours to fix.
pytestmark = [
    pytest.mark.filterwarnings("ignore:.*no_silent_downcasting"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

ROOT = Path(__file__).resolve().parents[2]
HUBEI = "湖北省高技能人才总量有多少?"
UNCOVERED = "年终奖公司可以不发吗?"  # no shipped document or law speaks of 年终奖


@pytest.fixture(scope="module")
def app_url(shipped_index: Path, tmp_path_factory: pytest.TempPathFactory):
    with running_app(shipped_index, tmp_path_factory.mktemp("ui-data")) as (url, _):
        yield url


@pytest.fixture
def client(app_url: str):
    return Client(app_url, verbose=False, analytics_enabled=False)


def _cli_json(index: Path, command: str, question: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "app", command, "--index", str(index), "--json", question],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _without_timings(obj: dict) -> dict:
    return {k: v for k, v in obj.items() if k != "timings_ms"}


def _text(message: dict, keep_emphasis: bool = False) -> str:
    content = message["content"]
    if isinstance(content, list):
        content = "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content) if keep_emphasis else re.sub(r"</?strong>", "", str(content))


# ---- /ask and /search ---------------------------------------------------------------------------


def test_ask_answers_a_shipped_corpus_question_with_citations(client) -> None:
    out = client.predict(HUBEI, api_name="/ask")
    assert not out["refused"]
    assert "270.5万人" in out["answer"]
    assert out["citations"] and out["citations"][0]["title"].startswith("湖北省2020年")
    assert all(s in c["text"] for c in out["citations"] for s in c["sentences"])


def test_ask_refuses_an_out_of_corpus_question(client) -> None:
    out = client.predict(UNCOVERED, api_name="/ask")
    assert out["refused"] and out["citations"] == []
    assert "12351" in out["answer"]


@pytest.mark.parametrize(
    "question", [HUBEI, UNCOVERED, "How many great craftsmen should be trained by 2035?"]
)
def test_ask_endpoint_returns_exactly_the_cli_json(client, shipped_index: Path, question: str) -> None:
    api = client.predict(question, api_name="/ask")
    cli = _cli_json(shipped_index, "ask", question)
    assert _without_timings(api) == _without_timings(cli)
    assert set(api["timings_ms"]) == set(cli["timings_ms"])


def test_search_endpoint_returns_exactly_the_cli_json(client, shipped_index: Path) -> None:
    api = client.predict("技能人才评价制度改革", api_name="/search")
    cli = _cli_json(shipped_index, "search", "技能人才评价制度改革")
    assert _without_timings(api) == _without_timings(cli)
    assert len(api["results"]) == 5


def test_ask_follow_up_with_history(client) -> None:
    out = client.predict("那云南呢?", [HUBEI], api_name="/ask")
    assert out["standalone_question"] == "云南省高技能人才总量有多少?"
    assert "155万人" in out["answer"]


def test_api_reports_bad_input_as_a_message(client) -> None:
    with pytest.raises(Exception, match=r"too long|过长"):
        client.predict("问" * (MAX_QUESTION_CHARS + 1), api_name="/ask")
    with pytest.raises(Exception, match=r"empty|为空"):
        client.predict("   ", api_name="/search")


def test_ask_refuses_a_history_given_as_a_string(client) -> None:
    # Before: list("湖北…") made every character an earlier question ("? 云南" came back).
    with pytest.raises(Exception, match="history must be a list"):
        client.predict("那云南呢?", HUBEI, api_name="/ask")
    with pytest.raises(Exception, match="history must be a list"):
        client.predict("那云南呢?", [HUBEI, 3], api_name="/ask")


@pytest.mark.parametrize("k", [0, -1, 10_000, "many", 2.5])
def test_ask_and_search_refuse_a_bad_k(client, k) -> None:
    for api in ("/ask", "/search"):
        args = (HUBEI, [], k) if api == "/ask" else (HUBEI, k)
        with pytest.raises(Exception, match="k must be a whole number"):
            client.predict(*args, api_name=api)


def test_api_flags_read_no_as_false() -> None:
    from app.web.api import flag

    assert [flag(v, "x") for v in (True, False, None, "no", "No", "false", "0", "", "yes", "true", 1)] == [
        True, False, False, False, False, False, False, False, True, True, True,
    ]  # fmt: skip
    with pytest.raises(Exception, match="must be true or false"):
        flag("maybe", "hotline")


def test_an_internal_error_logs_a_hash_of_the_question_never_its_words(
    shipped_index: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib

    secret = "我老板拖欠我三个月工资，我叫张三，身份证号110101199003071234"
    ask = answerer.Answerer(shipped_index)
    pipeline = ask.pipeline()

    def broken(question, *args, **kwargs):
        raise RuntimeError(f"index blew up on {question}")

    monkeypatch.setattr(pipeline, "ask", broken)
    with caplog.at_level("DEBUG", logger="gongyou.ui"):
        turn = ask.turn(secret, [], search_only=False, hotline=False)
    assert turn.message_key == "error"
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert "张三" not in logged and "110101" not in logged and "拖欠" not in logged  # was: logged verbatim
    assert hashlib.sha256(secret.encode()).hexdigest()[:12] in logged and f"({len(secret)} chars)" in logged
    assert "RuntimeError" in logged and any(r.levelname == "ERROR" for r in caplog.records)


# ---- the streamed chat (the browser's endpoint, callable but undocumented) -------------------------


def _chat(client, question: str, lang: str = "zh-Hans", hotline: bool = False, search_only: bool = False):
    started = time.perf_counter()
    job = client.submit(question, lang, hotline, search_only, api_name="/chat")
    firsts, outputs = None, []
    for output in job:
        if firsts is None:
            firsts = time.perf_counter() - started
        outputs.append(output)
    return outputs, job.result(timeout=30), firsts


def test_chat_streams_the_answer_then_shows_the_cited_passages(client) -> None:
    outputs, final, first_after = _chat(client, HUBEI)
    chat = final[0]
    answers = [_text(o[0][-1]) for o in outputs if o[0] and o[0][-1]["role"] == "assistant"]
    assert len(answers) >= 3 and len(answers[0]) < len(answers[-2])  # pieces, growing
    assert first_after < 1.0
    assert _text(chat[0]) == HUBEI
    assert "270\\.5万人" in _text(chat[1])  # escaped Markdown: "\." shows as "."
    assert "(#gy-cite-1-1)" in _text(chat[1])  # [1] links to its passage
    passage = chat[2]
    assert passage["metadata"]["title"].startswith("[1] 《湖北省2020年")
    assert "2020\\-12\\-09" in passage["metadata"]["title"]
    assert '<a id="gy-cite-1-1"></a>' in _text(passage)
    assert "<mark>" in _text(passage) and "270\\.5萬人" in _text(passage)  # the document's own script


def test_chat_follow_up_uses_the_conversation(client) -> None:
    _chat(client, HUBEI)
    _, final, _ = _chat(client, "那云南呢?")
    texts = [_text(m) for m in final[0]]
    assert texts[0] == HUBEI  # the whole conversation is shown
    assert any("155万人" in t for t in texts[3:])
    assert any("云南省" in (m.get("metadata") or {}).get("title", "") for m in final[0][3:])


def test_chat_in_traditional_script(client) -> None:
    _, final, _ = _chat(client, HUBEI, lang="zh-Hant")
    assert "總量達270\\.5萬人" in _text(final[0][1])
    assert "<strong>270\\.5萬人</strong>" in _text(final[0][1], keep_emphasis=True)  # the key figure
    assert "《湖北省2020年全省產業工人隊伍建設改革暨聯絡員工作視頻會議》" in final[0][2]["metadata"]["title"]


def test_chat_refusal_is_a_helpful_message(client) -> None:
    _, final, _ = _chat(client, UNCOVERED)
    text = _text(final[0][1])
    assert "12351" in text and "劳动合同法" in text  # what the documents cover, whom to call
    assert "可以换个说法" in text  # and what to try instead, as buttons that ask it
    assert [o["value"] for o in final[0][1]["options"]] == i18n.examples_for("zh-Hans")[:3]
    assert len(final[0]) == 2


def test_chat_ignores_empty_input_and_explains_an_over_long_one(client) -> None:
    _, final, _ = _chat(client, "   ")
    assert not isinstance(final[0], list)  # nothing changed
    _, final, _ = _chat(client, "问" * (MAX_QUESTION_CHARS + 5))
    assert f"{MAX_QUESTION_CHARS + 5} 字" in _text(final[0][-1])


def test_chat_hotline_panel_and_formal_citation(client) -> None:
    _, final, _ = _chat(client, HUBEI, hotline=True)
    _, _, panel, formal, mode = final  # the session State is not sent to clients
    assert panel.count("<small>bm25 ") == answerer.HOTLINE_TOP_K
    assert "已引用" in panel
    # the direct answer, then the quote
    assert formal.startswith("高技能人才总量达270.5万人。[1]\n截至今年10月")
    assert (
        "\n来源：\n[1] 《湖北省2020年全省产业工人队伍建设改革暨联络员工作视频会议》，长江网，2020-12-09"
        in formal
    )
    assert "multilingual" in mode and "离线模式" not in mode  # the bundled model, no network needed


def test_chat_reads_no_as_false_for_the_hotline_flags(client) -> None:
    # Before: "no" was truthy, so hotline="no", search_only="no" gave a search-only turn.
    _, final, _ = _chat(client, HUBEI, hotline="no", search_only="no")
    assert "270\\.5万人" in _text(final[0][1]) and "仅检索" not in _text(final[0][1])
    client.reset_session()
    _, final, _ = _chat(client, "技能人才评价制度改革", hotline="yes", search_only="true")
    assert "仅检索" in _text(final[0][1])
    with pytest.raises(Exception, match="hotline must be true or false"):
        _chat(client, HUBEI, hotline="maybe")


def test_chat_search_only(client) -> None:
    _, final, _ = _chat(client, "技能人才评价制度改革", hotline=True, search_only=True)
    chat = final[0]
    assert "仅检索" in _text(chat[1])
    assert len(chat) == 2 + answerer.HOTLINE_TOP_K
    assert all(m["metadata"]["status"] == "done" for m in chat[2:])


def test_api_lists_only_ask_and_search(client) -> None:
    info = client.view_api(print_info=False, return_format="dict")
    assert set(info["named_endpoints"]) == {"/ask", "/search"}


def test_launch_settings(app_url: str) -> None:
    import httpx

    config = httpx.get(app_url + "config", timeout=10).json()
    assert config.get("analytics_enabled") is False
    assert httpx.get(app_url + "monitoring", timeout=10).status_code in {403, 404}


# ---- a missing index, and pure helpers ---------------------------------------------------------


def test_a_missing_index_gives_a_message_not_a_traceback(tmp_path: Path) -> None:
    turn = answerer.Answerer(tmp_path / "nothing-here").turn(HUBEI, [], search_only=False, hotline=False)
    assert turn.kind == "message" and turn.message_key == "index_missing"
    (chat,) = [render.render_turn(turn, 1, "zh-Hans")]
    assert "索引还没准备好" in chat[1]["content"]


def test_escape_md_neutralises_html_images_links_and_math() -> None:
    raw = '<script>x()</script><img src=x onerror="y()"> ![](http://h/b.png) [a](http://h) $$x$$ *b*'
    out = render.escape_md(raw)
    assert "<" not in out and ">" not in out
    assert "![" not in out and "](" not in out and "$$" not in out
    assert "&lt;script&gt;" in out and "\\*b\\*" in out
    assert "http\\:" in out  # no autolink either


def test_highlight_marks_the_escaped_sentence_inside_the_escaped_passage() -> None:
    passage = "前言<b>。高技能人才总量达270.5万人。后记"
    out = render.highlight(passage, ["高技能人才总量达270.5万人。"])
    assert out == "前言&lt;b&gt;。<mark>高技能人才总量达270\\.5万人。</mark>后记"
    assert render.highlight("abc", ["zz"]) == "abc"


def test_answer_markers_link_to_passages_and_stream_pieces_keep_them_whole() -> None:
    text = "第一句。[1]第二句很长很长。[2]"
    md = render.answer_markdown(text, 3, {1, 2})
    assert "[\\[1\\]](#gy-cite-3-1)" in md and "[\\[2\\]](#gy-cite-3-2)" in md
    pieces = list(render.stream_pieces(text, max_pieces=6))
    assert pieces[-1] == text and len(pieces) <= 6
    assert all(p.count("[") == p.count("]") for p in pieces)
    assert all(len(a) < len(b) for a, b in itertools.pairwise(pieces))


def test_language_from_the_browser_defaults_to_simplified_chinese() -> None:
    assert i18n.pick_language("zh-TW,zh;q=0.9") == "zh-Hant"
    assert i18n.pick_language("zh-HK") == "zh-Hant"
    assert i18n.pick_language("zh-CN,zh;q=0.9,en;q=0.8") == "zh-Hans"
    assert i18n.pick_language("en-US,en;q=0.9") == "zh-Hans"
    assert i18n.pick_language(None) == "zh-Hans"


def test_every_language_has_every_string() -> None:
    keys = set(i18n.I18N["zh-Hans"])
    assert set(i18n.I18N["zh-Hant"]) == keys == set(i18n.I18N["en"])
    assert "職工" in i18n.I18N["zh-Hant"]["title"]
    assert all("12351" in i18n.I18N[lang]["notice"] for lang in i18n.LANGS)


def test_upload_names_are_sanitised() -> None:
    assert uploads.safe_upload_name("../../etc/passwd.txt") == "passwd.txt"
    assert uploads.safe_upload_name("..\\..\\x.md") == "x.md"
    assert uploads.safe_upload_name(".bashrc") is None
    assert uploads.safe_upload_name("..") is None
    assert uploads.safe_upload_name("政策.pdf") == "政策.pdf"
    assert uploads.safe_upload_name("x\x00.txt") is None
    assert uploads.safe_upload_name("   ") is None


def test_feedback_that_cannot_be_stored_is_a_notice_not_a_traceback(
    shipped_index: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import gradio as gr

    from app.web.feedback import FeedbackStore
    from app.web.handlers import like_handler

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be", encoding="utf-8")
    turn = answerer.Answerer(shipped_index).turn(HUBEI, [], search_only=False, hotline=False)
    on_like = like_handler(FeedbackStore(blocked))
    like = gr.LikeData(None, {"index": 1, "value": "", "liked": True})
    with pytest.warns(UserWarning, match="反馈没有保存成功"), caplog.at_level("ERROR", logger="gongyou.ui"):
        on_like(like, "zh-Hans", [turn], None)
    assert "storing feedback failed" in caplog.text and "湖北" not in caplog.text
    assert turn.verdicts == set()  # a later click may try again
