"""The administrators' area: `/admin`, a sign-in page of its own beside the anonymous chat.

Redirects are relative ("./" is the chat page, "admin" this page), so a reverse proxy's path prefix
is kept. Workers ask without signing in. Administrators (the users of `gongyou serve --auth FILE`) sign in
at /admin; that sets a session cookie (sessions.py) and takes them back to the chat page, where
the upload panel then shows. Failed sign-ins are throttled per client (throttle.py); passwords are
checked against the hashes of the auth file (accounts.py) in a worker thread, so a 50 ms scrypt
check never stalls the server's event loop.

The page is plain HTML built here (app/web/static/admin.html), every value escaped; it is served
by guard.py, which sits in front of Gradio's routes.
"""

from __future__ import annotations

import html
import logging
import math
from dataclasses import dataclass, field
from importlib.resources import files
from string import Template
from urllib.parse import parse_qs, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.web.accounts import Accounts
from app.web.i18n import LANGS, pick_language, t
from app.web.sessions import COOKIE, AdminSessions, token_of
from app.web.throttle import LoginThrottle

log = logging.getLogger("gongyou.ui")

PAGE = Template((files("app.web") / "static" / "admin.html").read_text(encoding="utf-8"))
MAX_FORM_BYTES = 4096  # a user name and a password
HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",  # "no-referrer" makes browsers post "Origin: null"
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
    ),
}


@dataclass
class AdminArea:
    """Who may sign in (None: nobody, uploads are off), the live sessions and the login throttle."""

    accounts: Accounts | None = None
    sessions: AdminSessions = field(default_factory=AdminSessions)
    throttle: LoginThrottle = field(default_factory=LoginThrottle)

    @property
    def enabled(self) -> bool:
        return self.accounts is not None

    def user_of(self, request: object) -> str | None:
        """The signed-in administrator making a request (a gr.Request or a Starlette one), or None."""
        return self.sessions.user(token_of(request)) if self.enabled else None


def _lang(request: Request) -> str:
    wanted = request.query_params.get("lang", "")
    return wanted if wanted in LANGS else pick_language(request.headers.get("accept-language"))


def _page(lang: str, body: str, status: int = 200, extra: dict[str, str] | None = None) -> HTMLResponse:
    html_lang = {"zh-Hans": "zh-CN", "zh-Hant": "zh-TW"}.get(lang, "en")
    page = PAGE.substitute(lang=html_lang, title=html.escape(t(lang, "admin_page_title")), body=body)
    return HTMLResponse(page, status_code=status, headers={**HEADERS, **(extra or {})})


def _message(text: str, kind: str = "") -> str:
    return f'<p class="msg {kind}" role="alert">{html.escape(text)}</p>' if text else ""


def sign_in_form(lang: str, message: str = "") -> str:
    e = html.escape
    return (
        f"<h1>{e(t(lang, 'admin_sign_in'))}</h1>{_message(message, 'error')}"
        '<form method="post" action="">'
        '<input type="hidden" name="action" value="login">'
        f'<label>{e(t(lang, "admin_user"))}<input name="username" id="username" autocomplete="username"'
        " required></label>"
        f'<label>{e(t(lang, "admin_password"))}<input name="password" id="password" type="password"'
        ' autocomplete="current-password" required></label>'
        f'<button type="submit" id="sign-in">{e(t(lang, "admin_submit"))}</button></form>'
        f'<p><a href="./">{e(t(lang, "admin_back"))}</a></p>'
    )


def signed_in_panel(lang: str, user: str) -> str:
    e = html.escape
    return (
        f"<h1>{e(t(lang, 'admin_page_title'))}</h1>"
        f'<p id="signed-in">{e(t(lang, "admin_signed_in", user=user))}</p>'
        f'<p><a href="./" id="go-upload">{e(t(lang, "admin_go_upload"))}</a></p>'
        '<form method="post" action=""><input type="hidden" name="action" value="logout">'
        f'<button type="submit" id="sign-out">{e(t(lang, "admin_sign_out"))}</button></form>'
    )


def _same_origin(request: Request) -> bool:
    """A form posted from another site is refused (the browser names the page's origin)."""
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not sent by every client; the session cookie itself is SameSite=Strict
    return urlsplit(origin).netloc == request.headers.get("host", "")


async def _form(request: Request) -> dict[str, str] | None:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return None
    fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {k: v[0] for k, v in fields.items()}


async def handle(area: AdminArea, request: Request) -> Response:
    """GET shows the sign-in form (or who is signed in); POST signs in or out."""
    lang = _lang(request)
    token = token_of(request)
    user = area.user_of(request)
    if not area.enabled:
        return _page(lang, f"<h1>{html.escape(t(lang, 'admin_page_title'))}</h1>"
                     + _message(t(lang, "admin_off")), status=404)  # fmt: skip
    if request.method == "GET":
        return _page(lang, signed_in_panel(lang, user) if user else sign_in_form(lang))
    if request.method != "POST":
        return Response(status_code=405, headers={"Allow": "GET, POST"})
    if not _same_origin(request):
        return _page(lang, sign_in_form(lang, t(lang, "admin_forbidden")), status=403)
    form = await _form(request)
    if form is None:
        return _page(lang, sign_in_form(lang, t(lang, "admin_wrong")), status=413)
    if form.get("action") == "logout":
        area.sessions.end(token)
        response = RedirectResponse("admin", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response
    client = request.client.host if request.client else "unknown"
    wait = area.throttle.wait_s(client)
    if wait > 0:
        seconds = math.ceil(wait)
        message = t(lang, "admin_wait", s=seconds)
        return _page(lang, sign_in_form(lang, message), status=429, extra={"Retry-After": str(seconds)})
    accounts = area.accounts
    assert accounts is not None
    name = await run_in_threadpool(accounts.check, form.get("username", ""), form.get("password", ""))
    if name is None:
        lockout = area.throttle.failed(client)
        log.warning("failed administrator sign-in from %s (locked out for %.0f s)", client, lockout)
        return _page(lang, sign_in_form(lang, t(lang, "admin_wrong")), status=401)
    area.throttle.succeeded(client)
    log.info("administrator %s signed in from %s", name, client)
    response = RedirectResponse("./", status_code=303)  # the chat page, where uploads now show
    response.set_cookie(  # no max_age: the browser forgets it on exit; the server expires it sooner
        COOKIE,
        area.sessions.start(name),
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response
