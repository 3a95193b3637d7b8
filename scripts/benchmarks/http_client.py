"""CPU per POST of the HTTP clients kit.client could use: requests against urllib3 (measures only).

    .venv/bin/python scripts/benchmarks/http_client.py [POSTS]

A loopback HTTP/1.1 server on keep-alive answers 3,000 POSTs of a CloudEvent-sized body; the
figure is the client thread's CPU time per POST (time.thread_time), so the server does not count.
"""

import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
import urllib3

HEADERS = {
    "ce-specversion": "1.0",
    "ce-id": "x",
    "ce-source": "/bench",
    "ce-type": "mystore.order.v1.OrderCreated",
    "Content-Type": "application/json",
}
BODY = b'{"a":1}' * 50


class Answer(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


def cpu_ms_per_call(post: Callable[[], object], posts: int) -> float:
    for _ in range(100):
        post()
    started = time.thread_time()
    for _ in range(posts):
        post()
    return 1000 * (time.thread_time() - started) / posts


def main(argv: list[str]) -> int:
    posts = int(argv[0]) if argv else 3000
    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    session = requests.Session()
    pool = urllib3.PoolManager(maxsize=8)
    clients = {
        "requests.Session": lambda: session.post(url, data=BODY, headers=HEADERS, timeout=5),
        "urllib3.PoolManager": lambda: pool.request(
            "POST", url, body=BODY, headers=HEADERS, timeout=5, retries=False
        ),
    }
    for name, post in clients.items():
        print(f"{name:22} {cpu_ms_per_call(post, posts):.2f} ms CPU per POST")
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
