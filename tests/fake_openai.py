"""A small OpenAI-compatible chat server for tests, on 127.0.0.1, scripted by the test.

POST /v1/chat/completions answers with `FakeOpenAI.reply(messages)` (a callable the test sets),
streamed as server-sent events like the real API when `stream` is true. Every request is kept in
`requests` so tests can check what the assistant sent.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeOpenAI:
    def __init__(self):
        self.requests: list[dict] = []
        self.reply = lambda messages: "Không có câu trả lời."
        self.pause = 0.0    # seconds between streamed pieces (a slow model)
        self.break_after: int | None = None   # pieces sent before the stream breaks (a crashed model server)
        self.disconnected = 0   # replies the client stopped reading before their end
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                try:
                    self.answer()
                except (BrokenPipeError, ConnectionResetError):   # the client closed the stream
                    fake.disconnected += 1

            def answer(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                fake.requests.append(body)
                text = fake.reply(body.get("messages", []))
                created = int(time.time())
                if body.get("stream"):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    pieces = [text[i:i + 12] for i in range(0, len(text), 12)] or [""]
                    for sent, piece in enumerate(pieces):
                        if fake.break_after is not None and sent >= fake.break_after:
                            self.wfile.write(b"data: {broken\n\n")
                            return
                        event = {"id": "c1", "object": "chat.completion.chunk", "created": created,
                                 "model": body.get("model", "m"),
                                 "choices": [{"index": 0, "delta": {"role": "assistant", "content": piece},
                                              "finish_reason": None}]}
                        self.wfile.write(f"data: {json.dumps(event, ensure_ascii=False)}\n\n".encode())
                        self.wfile.flush()
                        time.sleep(fake.pause)
                    done = {"id": "c1", "object": "chat.completion.chunk", "created": created,
                            "model": body.get("model", "m"),
                            "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
                    self.wfile.write(f"data: {json.dumps(done)}\n\ndata: [DONE]\n\n".encode())
                    return
                payload = json.dumps({"id": "c1", "object": "chat.completion", "created": created,
                                      "model": body.get("model", "m"),
                                      "choices": [{"index": 0, "finish_reason": "stop",
                                                   "message": {"role": "assistant", "content": text}}],
                                      "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}},
                                     ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        return Handler
