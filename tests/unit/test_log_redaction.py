"""Websocket access tokens travel in the query string; uvicorn logs that path: the token never reaches a log."""

from __future__ import annotations

import json
import logging

from bootstrap.logs import JsonFormatter


def test_query_tokens_are_masked_in_log_messages() -> None:
    record = logging.LogRecord(
        "uvicorn.error", logging.INFO, __file__, 1, '%s - "WebSocket %s" [accepted]',
        ("127.0.0.1:5000", "/ws/chat/2/?token=eyJhbGciOi.secret.part&x=1"), None,
    )  # fmt: skip
    line = json.loads(JsonFormatter().format(record))
    assert "eyJ" not in line["msg"] and "secret" not in line["msg"]
    assert line["msg"] == '127.0.0.1:5000 - "WebSocket /ws/chat/2/?token=[redacted]&x=1" [accepted]'
