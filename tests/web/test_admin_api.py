"""Administrators and uploads against a running server (httpx and gradio_client): workers ask without
signing in while `--auth` is on, only administrators signed in at /admin may store files, failed
sign-ins are throttled, and nothing anonymous reaches the disk or makes the server fetch a URL."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import httpx
import pytest
from browser_fixtures import running_app

from app.web.accounts import Accounts, hash_password
from app.web.admin import AdminArea
from app.web.sessions import COOKIE
from app.web.throttle import LoginThrottle

gradio_client = pytest.importorskip("gradio_client")
Client = gradio_client.Client

pytestmark = [
    pytest.mark.filterwarnings("ignore:.*no_silent_downcasting"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]

ROOT = Path(__file__).resolve().parents[2]
HUBEI = "湖北省高技能人才总量有多少?"
PASSWORD = "长城-Great-Wall-2024"
NIGHT_SHIFT = "夜班津贴试行办法\n\n第一条 职工夜班津贴标准为每班次八十元，由用人单位按月发放。\n"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory: pytest.TempPathFactory, clock: FakeClock):
    """A server with one administrator (hashed password) on its own offline index (uploads change it)."""
    from app.index.build import build

    root = tmp_path_factory.mktemp("admin")
    build(ROOT / "corpus", root / "index", "offline", progress=False)
    area = AdminArea(
        Accounts.from_pairs([("admin", hash_password(PASSWORD))]), throttle=LoginThrottle(clock=clock)
    )
    with running_app(root / "index", root / "data", admin=area) as (url, _):
        yield url, root / "data", area


@pytest.fixture(scope="module")
def open_server(shipped_index: Path, tmp_path_factory: pytest.TempPathFactory):
    """A server without --auth: nobody may upload."""
    with running_app(shipped_index, tmp_path_factory.mktemp("open-data")) as (url, _):
        yield url


def sign_in(url: str, password: str = PASSWORD, http: httpx.Client | None = None) -> httpx.Response:
    http = http or httpx.Client()
    return http.post(url + "admin", data={"action": "login", "username": "admin", "password": password})


def admin_client(url: str) -> tuple[Client, str]:
    response = sign_in(url)
    assert response.status_code == 303, response.text
    token = response.cookies[COOKIE]
    client = Client(url, headers={"Cookie": f"{COOKIE}={token}"}, verbose=False, analytics_enabled=False)
    return client, token


def fn_index(url: str, api_name: str) -> int:
    config = httpx.get(url + "config").json()
    return next(d["id"] for d in config["dependencies"] if d.get("api_name") == api_name)


def cached(*names: str) -> list[Path]:
    """Files of these names in Gradio's cache (shared with other processes: look for ours by name)."""
    from gradio.utils import get_upload_folder

    return [p for p in Path(get_upload_folder()).rglob("*") if p.name in names]


# ---- workers ask anonymously while administrators exist ---------------------------------------------


def test_workers_ask_without_signing_in_when_auth_is_on(admin_server) -> None:
    url = admin_server[0]
    assert httpx.get(url + "config", timeout=10).status_code == 200  # was 401: the whole app was closed
    out = Client(url, verbose=False, analytics_enabled=False).predict(HUBEI, api_name="/ask")
    assert "270.5万人" in out["answer"]


def test_admin_page_is_a_sign_in_form_and_escapes_nothing_it_is_given(admin_server) -> None:
    page = httpx.get(admin_server[0] + "admin?lang=en", timeout=10)
    assert page.status_code == 200
    assert 'type="password"' in page.text and "Administrator sign-in" in page.text
    assert (
        page.headers["cache-control"] == "no-store"
        and "frame-ancestors 'none'" in page.headers["content-security-policy"]
    )
    wrong = httpx.post(
        admin_server[0] + "admin", data={"action": "login", "username": "<b>x</b>", "password": "p"}
    )
    assert wrong.status_code == 401 and "<b>x</b>" not in wrong.text


def test_failed_sign_ins_are_throttled_per_client(admin_server, clock: FakeClock) -> None:
    url, _, area = admin_server
    codes = []
    with httpx.Client() as http:
        for i in range(100):
            codes.append(sign_in(url, f"wrong-{i}", http).status_code)
        right = sign_in(url, PASSWORD, http)
    assert codes[:5] == [401] * 5  # five free mistakes
    assert codes.count(429) >= 94  # then locked out: the password is not even checked
    assert right.status_code == 429 and COOKIE not in right.cookies  # was: accepted at once
    wait = int(right.headers["retry-after"])
    assert wait >= 1
    assert "秒后再试" in right.text or "seconds" in right.text
    clock.now += wait
    assert sign_in(url).status_code == 303  # after the wait the right password works
    assert area.throttle.wait_s("127.0.0.1") == 0  # and the record is cleared


def test_sign_in_sets_a_strict_http_only_session_and_sign_out_ends_it(admin_server) -> None:
    url, _, area = admin_server
    response = sign_in(url)
    assert response.status_code == 303 and response.headers["location"] == "./"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    token = response.cookies[COOKIE]
    assert area.sessions.user(token) == "admin"
    page = httpx.get(url + "admin", cookies={COOKIE: token})
    assert "已登录：admin" in page.text or "Signed in as admin" in page.text
    out = httpx.post(url + "admin", data={"action": "logout"}, cookies={COOKIE: token})
    assert out.status_code == 303 and area.sessions.user(token) is None


def test_a_form_posted_from_another_site_is_refused(admin_server) -> None:
    response = httpx.post(
        admin_server[0] + "admin",
        data={"action": "login", "username": "admin", "password": PASSWORD},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403 and COOKIE not in response.cookies


# ---- uploads: administrators only ------------------------------------------------------------------


def test_anonymous_uploads_are_refused_before_anything_is_stored(open_server: str, admin_server) -> None:
    blob = b"x" * (5 * 1024 * 1024)
    names = [f"{uuid.uuid4().hex}.txt" for _ in range(20)]
    for url in (open_server, admin_server[0]):
        codes = [
            httpx.post(url + "gradio_api/upload", files={"files": (name, blob)}, timeout=60).status_code
            for name in names
        ]
        assert codes == [403] * 20  # was: 20 × 5 MB accepted in 0.6 s, kept for a day
    assert cached(*names) == []


def test_files_in_event_calls_are_refused_and_urls_are_never_fetched(
    open_server: str, admin_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gradio.processing_utils
    import gradio.route_utils

    fetched: list[str] = []

    async def no_fetch(url, *args, **kwargs):
        fetched.append(url)
        raise RuntimeError("no network in tests")

    monkeypatch.setattr(gradio.processing_utils, "async_ssrf_protected_download", no_fetch)
    monkeypatch.setattr(gradio.route_utils.safehttpx, "async_validate_url", no_fetch)
    remote = {"path": "https://example.org/big.bin", "meta": {"_type": "gradio.FileData"}}
    local = {"path": "/etc/hostname", "meta": {"_type": "gradio.FileData"}}
    for url in (open_server, admin_server[0]):
        chat = fn_index(url, "chat")  # its first input is the question box: Gradio copies any file in it
        for file in (remote, local):
            body = {"data": [file, "zh-Hans", False, False, None], "fn_index": chat, "session_hash": "s1"}
            assert httpx.post(url + "gradio_api/queue/join", json=body).status_code == 403
        assert httpx.get(url + "gradio_api/file=https://example.org/x.png").status_code == 403
    _, token = admin_client(admin_server[0])
    body = {
        "data": [[remote], "zh-Hans"],
        "fn_index": fn_index(admin_server[0], "upload"),
        "session_hash": "s2",
    }
    signed_in = httpx.post(admin_server[0] + "gradio_api/queue/join", json=body, cookies={COOKIE: token})
    assert signed_in.status_code == 403  # not even administrators: uploads are local files
    assert fetched == []


def test_an_administrator_uploads_and_workers_get_answers_from_it(admin_server, tmp_path: Path) -> None:
    url, data, _ = admin_server
    admin, _ = admin_client(url)
    doc = tmp_path / "夜班津贴试行办法.txt"
    doc.write_text(NIGHT_SHIFT, encoding="utf-8")
    hidden = tmp_path / ".hidden.txt"
    hidden.write_text("秘密", encoding="utf-8")
    status = admin.predict(
        [gradio_client.handle_file(str(doc)), gradio_client.handle_file(str(hidden))],
        "zh-Hans",
        api_name="/upload",
    )
    assert status.startswith("已加入索引") and "Indexed" in status
    assert "未收录 \\.hidden\\.txt" in status
    worker = Client(url, verbose=False, analytics_enabled=False)
    out = worker.predict("夜班津贴标准是多少?", api_name="/ask")
    assert not out["refused"] and "八十元" in out["answer"]
    assert [p.name for p in (data / "uploads").glob("*/*")] == ["夜班津贴试行办法.txt"]
    assert cached(doc.name, hidden.name) == []  # Gradio's temporary copies are gone, the rejected one too


def test_an_upload_where_every_file_is_skipped_says_so_and_keeps_nothing(
    admin_server, tmp_path: Path
) -> None:
    url, data, _ = admin_server
    admin, _ = admin_client(url)
    empty = tmp_path / "空文件.txt"
    empty.write_bytes(b"")
    broken = tmp_path / "损坏.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    kept_before = sorted((data / "uploads").rglob("*")) if (data / "uploads").exists() else []
    status = admin.predict(
        [gradio_client.handle_file(str(empty)), gradio_client.handle_file(str(broken))],
        "zh-Hans",
        api_name="/upload",
    )
    assert status.startswith("没有文件加入索引") and "已加入索引" not in status  # was "已加入索引"
    assert "empty file" in status and "损坏.pdf" in status
    kept_after = sorted((data / "uploads").rglob("*")) if (data / "uploads").exists() else []
    assert kept_after == kept_before  # was: both kept under data/uploads for ever


def test_the_upload_endpoint_refuses_a_request_without_a_session(admin_server, tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text(NIGHT_SHIFT, encoding="utf-8")
    anonymous = Client(admin_server[0], verbose=False, analytics_enabled=False)
    with pytest.raises(Exception, match=r"403|administrator|Forbidden"):
        anonymous.predict([gradio_client.handle_file(str(doc))], "zh-Hans", api_name="/upload")


def test_the_page_shows_the_upload_panel_only_to_a_signed_in_administrator(admin_server) -> None:
    """The load event (what the browser runs first) reports the panel's visibility."""
    url = admin_server[0]
    _, token = admin_client(url)
    config = httpx.get(url + "config").json()
    panel = next(c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == "gy-upload")
    load = next(d for d in config["dependencies"] if d["targets"][0][1] == "load")

    def visible(cookies: dict) -> bool:
        body = {"data": [None], "fn_index": load["id"], "session_hash": "v" + str(len(cookies))}
        out = httpx.post(url + "gradio_api/run/predict", json=body, cookies=cookies).json()
        return bool(out["data"][load["outputs"].index(panel)].get("visible"))

    assert visible({COOKIE: token}) is True
    assert visible({}) is False
    assert visible({COOKIE: "forged"}) is False


def test_set_cookie_never_reaches_workers(open_server: str) -> None:
    for path in ("", "config", "admin"):
        response = httpx.get(open_server + path)
        assert "set-cookie" not in response.headers, path
    assert re.search("not enabled|没有开启", httpx.get(open_server + "admin").text)
