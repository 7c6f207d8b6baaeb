"""With a login configured, every route needs it: Gradio's own checks cover the page's data and the
API, but not every route it serves (its FastAPI schema, the session token and user routes, run
history, heartbeat and stream routes, the web manifest, its scripts…). This middleware answers 401
to any request without a logged-in session, except the login itself: `/` shows a small Vietnamese
login form of our own (Gradio's form cannot be translated before login), which posts to Gradio's
`/login`; and `startup-events`, which Gradio asks of itself at start-up.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

OPEN = {"/login", "/login/", "/gradio_api/startup-events"}
LOGIN_PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Đăng nhập</title>
<style>body{font-family:system-ui,sans-serif;display:flex;justify-content:center;margin-top:12vh;
background:#f7f7f8;color:#1f1f1f}form{background:#fff;padding:24px 28px;border-radius:10px;min-width:280px;
box-shadow:0 1px 4px #0002}label{display:block;margin:10px 0 4px}input{width:100%;padding:8px;box-sizing:border-box;
font-size:1em}button{margin-top:16px;width:100%;padding:9px;font-size:1em;background:#4f46e5;color:#fff;border:0;
border-radius:6px}#err{color:#b00020;min-height:1.2em;margin-top:8px}
@media (prefers-color-scheme: dark){body{background:#111;color:#eee}form{background:#1e1e24}
input{background:#2a2a33;color:#eee;border:1px solid #555}}</style></head><body>
<form id="login"><h2>Trợ lý chương trình phối hợp</h2><p>Đăng nhập để dùng trợ lý chương trình phối hợp.</p>
<label for="u">Tên đăng nhập</label><input id="u" name="username" autocomplete="username" required>
<label for="p">Mật khẩu</label><input id="p" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Đăng nhập</button><div id="err" role="alert"></div></form>
<script>document.getElementById("login").addEventListener("submit", async (e) => {
  e.preventDefault();
  const r = await fetch("login", {method: "POST", body: new URLSearchParams(new FormData(e.target))});
  if (r.ok) location.reload(); else document.getElementById("err").textContent =
    "Sai tên đăng nhập hoặc mật khẩu.";
});</script></body></html>"""


def logged_in(request: Request) -> bool:
    """Does the request carry the cookie of a session Gradio logged in?"""
    app = request.app
    cookie_id = getattr(app, "cookie_id", "")
    token = (request.cookies.get(f"access-token-{cookie_id}")
             or request.cookies.get(f"access-token-unsecure-{cookie_id}"))
    return token is not None and getattr(app, "tokens", {}).get(token) is not None


class LoginGate(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        path = request.url.path
        if path in OPEN or getattr(request.app, "auth", None) is None or logged_in(request):
            return await call_next(request)
        if path == "/" and request.method in ("GET", "HEAD"):
            return HTMLResponse(LOGIN_PAGE, status_code=401)
        return JSONResponse({"detail": "Cần đăng nhập."}, status_code=401)
