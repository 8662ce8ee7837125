"""gunicorn's threaded worker, answering the requests gunicorn itself refuses (a request line
over its limit: 414; headers over theirs: 431; a malformed request: 400) with the API's JSON
error instead of gunicorn's HTML page.

gunicorn writes those answers through `gunicorn.util.write_error`, looked up at each call;
this worker points it at `write_json_error` in its own process when it starts.
"""

from __future__ import annotations

import json
import socket
from typing import Any

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker

from api.errors import HTTP_CODES

MAX_MESSAGE = 300  # gunicorn's message can quote the whole offending line


def write_json_error(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    detail = f"{reason}: {mesg}" if mesg else reason
    body = json.dumps(
        {
            "error": {
                "code": HTTP_CODES.get(status_int, f"http_{status_int}"),
                "message": detail[:MAX_MESSAGE],
            }
        }
    ).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


class JsonErrorWorker(ThreadWorker):  # type: ignore[misc]
    def init_process(self) -> Any:
        util.write_error = write_json_error
        return super().init_process()
