"""Administrators in a real browser (Playwright driving Debian's chromium): with `--auth` on, a worker
asks without signing in; an administrator signs in at /admin, uploads a document in the chat page's
panel, and signs out. Skips with a clear message when /usr/bin/chromium is absent."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_fixtures import CHROMIUM, CHROMIUM_ARGS, CHROMIUM_MISSING, running_app

from app.web.accounts import hash_password

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = playwright_api.expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=CHROMIUM_MISSING),
    pytest.mark.filterwarnings("ignore:.*no_silent_downcasting"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 15_000


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="module")
def admin_app(tmp_path_factory: pytest.TempPathFactory):
    from app.index.build import build

    root = tmp_path_factory.mktemp("admin-browser")
    build(ROOT / "corpus", root / "index", "offline", progress=False)
    with running_app(root / "index", root / "data", auth=[("admin", hash_password("pw-123"))]) as (url, _):
        yield url, root


@pytest.fixture
def page(browser, admin_app):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    external: list[str] = []

    def route(r) -> None:
        if r.request.url.startswith((admin_app[0].rstrip("/"), "data:", "blob:")):
            r.continue_()
        else:
            external.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    yield context.new_page()
    context.close()
    assert external == []


def test_a_worker_asks_without_signing_in(page, admin_app) -> None:
    page.goto(admin_app[0])
    box = page.locator("#q textarea")
    box.fill("湖北省高技能人才总量有多少？")
    box.press("Enter")
    expect(page.locator("#chat [data-testid='bot']").first).to_contain_text("270.5万人", timeout=TIMEOUT)
    expect(page.locator("#gy-upload")).to_be_hidden()
    expect(page.locator("#gy-admin-link")).to_contain_text("管理员登录")


def test_an_administrator_signs_in_uploads_and_signs_out(page, admin_app, tmp_path: Path) -> None:
    url, root = admin_app
    page.goto(url)
    page.locator("#gy-admin-link a").click()
    expect(page).to_have_url(re.compile(r"/admin$"))
    page.fill("#username", "admin")
    page.fill("#password", "wrong")
    page.click("#sign-in")
    expect(page.locator(".msg.error")).to_contain_text("用户名或密码不对")
    page.fill("#username", "admin")
    page.fill("#password", "pw-123")
    page.click("#sign-in")
    expect(page).to_have_url(url)  # back on the chat page
    expect(page.locator("#gy-upload")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#gy-upload-user")).to_contain_text("已登录：admin")
    expect(page.locator("#gy-admin-link")).to_be_hidden()

    doc = tmp_path / "高温津贴发放办法.txt"
    doc.write_text(
        "高温津贴发放办法\n\n第一条 高温津贴标准为每人每月三百元，六月至九月发放。\n", encoding="utf-8"
    )
    page.locator("#gy-upload-file input[type=file]").set_input_files(str(doc))
    expect(page.locator("#gy-upload-status")).to_contain_text("已加入索引", timeout=60_000)
    assert list((root / "data" / "uploads").glob("*/高温津贴发放办法.txt"))

    page.locator("#gy-upload-user a").click()  # "退出登录" → /admin, signed in: a sign-out button
    page.click("#sign-out")
    expect(page.locator("#sign-in")).to_be_visible()
    page.goto(url)
    expect(page.locator("#gy-admin-link")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#gy-upload")).to_be_hidden()
