"""A local stand-in for Kakao's servers: it receives the callback POSTs of
callback-enabled skill requests and the outbound sender's counsellor replies, and records
them for the tests. Kakao's real servers cannot be reached from here."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeKakao:
    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.fail_next: int = 0  # answer the next N POSTs with 503
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                if fake.fail_next > 0:
                    fake.fail_next -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                try:
                    data = json.loads(body)
                except ValueError:
                    data = {"raw": body.decode("utf-8", "replace")}
                fake.received.append({"path": self.path, "body": data, "at": time.monotonic()})
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"taskId":"fake","status":"SUCCESS"}')

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, path: str, seconds: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for r in self.received:
                if r["path"] == path:
                    return r
            time.sleep(0.05)
        raise AssertionError(f"nothing POSTed to {path} in {seconds} s; got {[r['path'] for r in self.received]}")

    def close(self) -> None:
        self.server.shutdown()
