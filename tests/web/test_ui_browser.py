"""The chat in a real browser (Playwright driving Debian's chromium): streamed answer and cited
passage, [n] links, feedback, 繁體, follow-ups, hotline mode, a malicious document, and 375 px.

Skips with a clear message when /usr/bin/chromium is absent (`.ci/run` installs it).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from browser_fixtures import CHROMIUM, CHROMIUM_ARGS, CHROMIUM_MISSING, running_app

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = playwright_api.expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
    pytest.mark.filterwarnings("ignore:.*no_silent_downcasting"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
HUBEI = "湖北省高技能人才总量有多少？"
BEACON_HOST = "198.51.100.7"  # TEST-NET-2: never routable
TIMEOUT = 15_000


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium instead of a Playwright download (overrides pytest-playwright's fixture)."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="module")
def app(shipped_index: Path, tmp_path_factory: pytest.TempPathFactory):
    data = tmp_path_factory.mktemp("ui-data")
    with running_app(shipped_index, data) as (url, _):
        yield url, data


class Page:
    """A fresh browser context on the app that records every request leaving 127.0.0.1."""

    def __init__(self, browser, url: str, width: int = 1280, height: int = 900) -> None:
        self.url = url
        self.external: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        self.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.js_errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.js_errors.append(str(exc)))
        self.page.on("console", self._console)
        self.page.goto(url)
        self.page.locator("#q textarea").wait_for(timeout=TIMEOUT)

    def _route(self, route) -> None:
        host = urlparse(route.request.url).hostname or ""
        if host in {"127.0.0.1", "localhost"} or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def _console(self, message) -> None:
        if message.type == "error" and "custom JS" in message.text:
            self.js_errors.append(message.text)

    def ask(self, question: str) -> None:
        box = self.page.locator("#q textarea")
        box.fill(question)
        box.press("Enter")

    def bots(self):
        return self.page.locator("#chat [data-testid='bot']")

    def wait_answer(self, count: int) -> None:
        """Wait until the `count`-th question has been answered and streaming has ended."""
        expect(self.page.locator("#chat [data-testid='user']")).to_have_count(count, timeout=TIMEOUT)
        tracker = self.page.locator("#chat [data-testid='status-tracker']").first
        expect(tracker).to_have_class(re.compile(r"\bhide\b"), timeout=TIMEOUT)
        expect(self.page.locator(".generating")).to_have_count(0, timeout=TIMEOUT)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_page(browser, app):
    pages: list[Page] = []

    def opener(url: str | None = None, **kw) -> Page:
        page = Page(browser, url or app[0], **kw)
        pages.append(page)
        return page

    yield opener
    for page in pages:
        page.close()


def test_question_streams_the_answer_and_shows_its_cited_passage(open_page, app) -> None:
    p = open_page()
    expect(p.page.locator("#gy-title")).to_contain_text("职工政策问答")
    expect(p.page.locator("#gy-notice")).to_contain_text("12351")
    expect(p.page.locator("#gy-notice")).to_contain_text("不构成法律意见")
    # Record how the first answer grows, to see it stream.
    p.page.evaluate(
        """() => { window.__lengths = []; const chat = document.querySelector('#chat');
        new MutationObserver(() => { const bot = chat.querySelector("[data-testid='bot'] .message-content");
          if (bot) window.__lengths.push(bot.textContent.length); })
        .observe(chat, {childList: true, subtree: true, characterData: true}); }"""
    )
    started = time.perf_counter()
    p.ask(HUBEI)
    expect(p.bots().first).to_contain_text("截至", timeout=TIMEOUT)
    first_text_s = time.perf_counter() - started
    p.wait_answer(1)
    answer = p.bots().first
    expect(answer).to_contain_text("高技能人才总量达270.5万人")
    lengths = sorted(set(p.page.evaluate("window.__lengths")))
    assert len(lengths) >= 3, f"the answer did not stream: {lengths}"
    assert first_text_s < 3, first_text_s
    # Its cited passage: title, publisher, date, and the cited sentence highlighted.
    title = p.page.locator("#chat .thought-group .title").first
    expect(title).to_contain_text("[1] 《湖北省2020年全省产业工人队伍建设改革暨联络员工作视频会议》")
    expect(title).to_contain_text("长江网")
    expect(title).to_contain_text("2020-12-09")
    expect(p.page.locator("#chat mark").first).to_contain_text("高技能人才總量達270.5萬人")
    # The direct answer leads, in bold; [1] in the answer leads to that passage, in the same tab.
    expect(answer.locator("strong").first).to_contain_text("高技能人才总量达270.5万人。")
    p.page.locator("#chat a[href='#gy-cite-1-1']").first.click()
    target = p.page.locator("#gy-cite-1-1")
    expect(target).to_be_attached()
    assert len(p.context.pages) == 1
    # The copy button copies what the reader sees, not escaped Markdown.
    p.page.locator("#chat .bot-row + .message-buttons button[aria-label='Copy message']").first.click()
    p.page.wait_for_timeout(300)
    copied = p.page.evaluate("navigator.clipboard.readText()")
    assert "高技能人才总量达270.5万人" in copied and "[1] 《湖北省2020年" in copied
    assert "\\" not in copied and "<a id" not in copied and "<mark>" not in copied
    assert p.js_errors == []  # our page script loaded
    # No request left the machine: no fonts, no CDN, no telemetry.
    assert p.external == []


def test_feedback_buttons_store_the_verdict(open_page, app) -> None:
    from app.web.feedback import FeedbackStore

    p = open_page()
    p.ask(HUBEI)
    p.wait_answer(1)
    like = p.page.locator("#chat button[aria-label='赞'], #chat button[aria-label='Like']").first
    like.click()
    store = FeedbackStore(app[1])
    deadline = time.time() + 10
    while time.time() < deadline and not store.records():
        time.sleep(0.1)
    records = store.records()
    assert records and records[-1]["verdict"] == "like"
    assert records[-1]["question"] == HUBEI
    assert records[-1]["citations"][0]["title"].startswith("湖北省2020年")
    assert records[-1]["build"]
    # "Wrong citation" sits under the flag menu.
    p.page.locator("#chat button[aria-label='Feedback']").first.click()
    p.page.locator("#chat button", has_text="引用错误").click()
    deadline = time.time() + 10
    while time.time() < deadline and len(store.records()) < 2:
        time.sleep(0.1)
    time.sleep(0.5)  # the flag menu sends its event twice: stored once
    assert [r["verdict"] for r in store.records()] == ["like", "wrong_citation"]


def test_traditional_switch_changes_the_ui_and_the_answer(open_page) -> None:
    p = open_page()
    p.page.locator("#gy-lang label", has_text="繁體").click()
    expect(p.page.locator("#gy-title")).to_contain_text("職工政策問答")
    expect(p.page.locator("#gy-notice")).to_contain_text("不構成法律意見")
    expect(p.page.locator("#q textarea")).to_have_attribute("placeholder", re.compile("請輸入問題"))
    p.ask(HUBEI)  # asked in simplified script
    p.wait_answer(1)
    expect(p.bots().first).to_contain_text("高技能人才總量達270.5萬人")
    expect(p.page.locator("#chat .thought-group .title").first).to_contain_text("《湖北省2020年全省產業工人")
    p.page.locator("#gy-lang label", has_text="English").click()
    expect(p.page.locator("#gy-title")).to_contain_text("workers' policy Q&A")
    expect(p.page.locator("#gy-notice")).to_contain_text("not legal advice")


def test_follow_up_uses_the_conversation(open_page) -> None:
    p = open_page()
    p.ask(HUBEI)
    p.wait_answer(1)
    p.ask("那云南呢？")
    p.wait_answer(2)
    expect(p.page.locator("#chat")).to_contain_text("155万人")
    expect(p.page.locator("#chat .thought-group .title").last).to_contain_text("云南省")


def test_refusal_example_and_hotline_mode(open_page) -> None:
    p = open_page()
    p.page.locator("#chat button", has_text="产业工人的权益保障有哪些措施").click()  # an example question
    p.wait_answer(1)
    p.ask("年终奖公司可以不发吗？")  # no shipped document or law speaks of 年终奖
    p.wait_answer(2)
    refusal = p.bots().last
    expect(refusal).to_contain_text("12351")
    expect(refusal).to_contain_text("可以换个说法再问")
    assert p.page.locator("[data-testid='toast-body']").count() == 0  # not an error
    # Hotline staff: scores of the top 10 passages, a formal citation to copy, search only.
    p.page.locator("#gy-hotline label").click()
    expect(p.page.locator("#gy-hotline-panel")).to_be_visible()
    p.ask(HUBEI)
    p.wait_answer(3)
    expect(p.page.locator("#gy-passages")).to_contain_text("bm25")
    assert p.page.locator("#gy-passages small").count() == 10
    formal = p.page.locator("#gy-formal textarea")
    expect(formal).to_have_value(re.compile(r"来源：\n\[1\] 《湖北省2020年.*》，长江网，2020-12-09"))
    expect(p.page.locator("#gy-formal button[aria-label*='opy']").first).to_be_visible()
    p.page.locator("#gy-search-only label").click()
    p.ask("技能人才评价制度改革")
    expect(p.page.locator("#chat")).to_contain_text("仅检索", timeout=TIMEOUT)
    assert p.external == []


def test_375px_wide_phone(open_page, app) -> None:
    p = open_page(width=375, height=812)
    p.ask(HUBEI)
    p.wait_answer(1)
    expect(p.page.locator("#chat mark").first).to_be_visible()
    p.page.wait_for_timeout(800)  # let the passage finish sliding open
    assert p.page.evaluate("document.documentElement.scrollWidth") <= 375
    box = p.page.locator("#q textarea").bounding_box()
    assert box and box["y"] + box["height"] <= 812 and box["x"] >= 0  # input on screen, no scrolling
    size = p.page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector(\"#chat [data-testid='bot'] p\")).fontSize)"
    )
    assert size >= 14
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "screenshot-375.png"
    p.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    if os.environ.get("GONGYOU_UPDATE_SCREENSHOT") == "1":  # refresh the README's picture
        shutil.copyfile(shot, ROOT / "docs" / "screenshot-375.png")


MALICIOUS = """技能培训补贴申领办法<img src="http://198.51.100.7/title.png">

第一条 <script>window.__xss=1</script>职工参加职业技能培训，取得证书后可以申领技能培训补贴。
<img src=x onerror="window.__xss_img=1">技能培训补贴按证书等级发放，初级工每人一千元。
![](http://198.51.100.7/beacon.png) 技能培训补贴由就业补助资金支付。
<img src="http://198.51.100.7/x.png"> 申领技能培训补贴需要提交身份证和证书。
<span style="position:fixed;top:0;left:0;width:100%;height:100%;background:red">覆盖</span>
<a href="javascript:window.__xss_link=1">点我领取技能培训补贴</a> $$x^2$$ [链接](http://198.51.100.7/l)
"""


@pytest.fixture(scope="module")
def malicious_app(tmp_path_factory: pytest.TempPathFactory):
    from app.index.build import build

    folder = tmp_path_factory.mktemp("malicious-corpus")
    (folder / "evil.txt").write_text(MALICIOUS, encoding="utf-8")
    index = tmp_path_factory.mktemp("malicious-index")
    build(folder, index, "offline", progress=False)
    with running_app(index, tmp_path_factory.mktemp("malicious-data")) as (url, _):
        yield url


def test_malicious_document_is_shown_as_text(open_page, malicious_app: str) -> None:
    p = open_page(malicious_app)
    p.page.locator("#gy-hotline label").click()  # the hotline panel renders passages too
    p.ask("技能培训补贴怎么申领？")
    p.wait_answer(1)
    chat = p.page.locator("#chat")
    expect(chat).to_contain_text("window.__xss=1")  # shown literally, as text
    expect(chat).to_contain_text("<img src=x onerror=")
    p.page.locator("#gy-search-only label").click()
    p.ask("技能培训补贴")
    expect(chat).to_contain_text("仅检索", timeout=TIMEOUT)
    p.page.locator("#chat .thought-group .title").last.click()  # open a search result
    p.page.wait_for_timeout(500)
    for flag in ("__xss", "__xss_img", "__xss_link"):
        assert p.page.evaluate(f"window.{flag}") is None, flag
    for root in ("#chat", "#gy-passages", "#gy-title"):
        assert (
            p.page.locator(f"{root} script, {root} [onerror], {root} img[src*='{BEACON_HOST}']").count() == 0
        )
        assert p.page.locator(f"{root} [style*='fixed'], {root} a[href^='javascript']").count() == 0
        assert p.page.locator(f"{root} .katex").count() == 0
    assert not [u for u in p.external if BEACON_HOST in u], p.external
    assert p.external == []
    ARTIFACTS.mkdir(exist_ok=True)
    p.page.screenshot(path=str(ARTIFACTS / "malicious-document.png"), full_page=True)


def test_a_full_queue_shows_a_friendly_busy_message(
    open_page, shipped_index: Path, tmp_path: Path, monkeypatch
):
    from gradio_client import Client

    from app.web import api, launch

    monkeypatch.setattr(launch, "QUEUE_MAX_SIZE", 2)
    # Slow streams keep the queue full: 8 pieces 2 s apart hold the one running answer for 14 s.
    monkeypatch.setattr(api, "STREAM_DELAY_S", 2.0)
    monkeypatch.setattr(launch, "chat_streams", lambda: 1)
    monkeypatch.setenv("GONGYOU_CONCURRENCY", "1")
    with running_app(shipped_index, tmp_path) as (url, _):
        p = open_page(url, width=375, height=812)
        clients = [Client(url, verbose=False, analytics_enabled=False) for _ in range(5)]
        jobs = [c.submit(HUBEI, "zh-Hans", False, False, api_name="/chat") for c in clients]
        # One streams, two wait, the other two are turned away at once: wait for those two, not for
        # any job (a slow machine once finished the first stream first, which freed a place).
        deadline = time.time() + 10
        while time.time() < deadline and sum(j.done() for j in jobs) < 2:
            time.sleep(0.05)
        p.ask("技能人才的待遇怎么提高？")
        toast = p.page.locator("[data-testid='toast-body']").first
        expect(toast).to_contain_text("现在使用的人比较多", timeout=TIMEOUT)
        expect(toast).to_contain_text("12351")
        expect(toast).not_to_contain_text("currently busy")
        for job in jobs:
            job.cancel()
