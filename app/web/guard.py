"""The guard in front of Gradio's routes (ASGI middleware, given to the FastAPI app at launch).

Gradio's `auth=` can only close the whole app; Gongyou keeps asking anonymous and closes only
what writes to the server's disk or makes it fetch from elsewhere:

- `/admin` is served here (admin.py): the administrators' sign-in page.
- `POST /gradio_api/upload` and `/gradio_api/process_recording` store files: they need a signed-in
  administrator and are refused (403) before a byte of the body is read, so an anonymous client
  cannot fill the disk. With no `--auth` nobody may upload.
- Event calls (`/gradio_api/queue/join`, `/run/…`, `/call/…`) that carry a file object are
  refused unless an administrator makes them: no input a worker uses takes a file, and Gradio would
  copy a file given by URL into its cache. Files given by URL are refused for everyone.
- `GET /gradio_api/file=http…` is refused: Gradio would fetch any public URL for whoever asks.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse

from app.web import admin

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

API = "/gradio_api/"  # gradio.route_utils.API_PREFIX
STORING_ROUTES = ("upload", "process_recording")
MAX_EVENT_BODY = 2 * 1024 * 1024  # a question, a verdict with its answer: a few kilobytes
FILE_DATA = "gradio.FileData"


def _route(scope: Scope) -> str:
    """The path below the app's root (a reverse proxy's prefix removed)."""
    path = scope.get("path", "")
    root = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def _files_in(value: Any) -> list[dict]:
    """Every Gradio file object in a JSON value."""
    found: list[dict] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            meta = item.get("meta")
            if isinstance(meta, dict) and meta.get("_type") == FILE_DATA:
                found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _is_url(path: object) -> bool:
    return isinstance(path, str) and path.strip().lower().startswith(("http:", "https:", "//"))


def refusal(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail, "error": detail}, status_code=status)


class Guard:
    def __init__(self, app: Callable, area: admin.AdminArea | None = None) -> None:
        self.app = app
        self.area = area or admin.AdminArea()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        route, method = _route(scope), scope.get("method", "GET")
        if route == "/admin":
            await (await admin.handle(self.area, Request(scope, receive)))(scope, receive, send)
            return
        if route == "/admin/":
            await RedirectResponse("../admin", status_code=308)(scope, receive, send)
            return
        if not route.startswith(API):
            await self.app(scope, receive, send)
            return
        below = route[len(API) :]
        if method == "POST" and below.rstrip("/") in STORING_ROUTES:
            if self.area.user_of(Request(scope)) is None:
                detail = "Only signed-in administrators may upload files (sign in at /admin)."
                await refusal(403, detail)(scope, receive, send)
                return
        elif method in ("GET", "HEAD") and below.startswith("file=") and _is_url(below[5:]):
            await refusal(403, "This server does not fetch other sites' files.")(scope, receive, send)
            return
        elif method == "POST":
            await self._event(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _event(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Read an event call's body (small), refuse file objects, then pass the body on."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > MAX_EVENT_BODY:
                await refusal(413, "Request too large.")(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        try:
            files = _files_in(json.loads(body)) if body else []
        except ValueError:
            files = []  # not JSON: Gradio refuses it itself
        if files:
            if any(_is_url(f.get("path")) for f in files):  # ("url" is where the browser reads it back)
                await refusal(403, "Files given by URL are not accepted.")(scope, receive, send)
                return
            if self.area.user_of(Request(scope)) is None:
                detail = "Only signed-in administrators may send files (sign in at /admin)."
                await refusal(403, detail)(scope, receive, send)
                return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
