"""Structured (one JSON object per line) logging; a line logged while a request is handled carries its
``request_id`` (``adapters/http/observability.py``). Request bodies are never logged: the app installs no
body-logging middleware, and uvicorn's access log carries method, path and status only."""

from __future__ import annotations

import json
import logging
import logging.config
import re
from datetime import UTC, datetime
from typing import Any

from adapters.http.observability import request_id

__all__ = ("JsonFormatter", "configure_logging")

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime", "taskName", "color_message"
}
_REDACT = {"password", "password1", "password2", "otp", "code", "token", "access", "refresh", "hash",
           "reset_token", "authorization", "secret"}


# uvicorn logs a websocket's path with its query string ("WebSocket /ws/notification/?token=…" [accepted]): the
# websockets' access tokens travel there, so the value of any ``token``/``ticket`` parameter is masked.
_QUERY_SECRET = re.compile(r"([?&](?:token|ticket|access|refresh)=)[^&\s\"']+", re.IGNORECASE)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": _QUERY_SECRET.sub(r"\1[redacted]", record.getMessage()),
        }
        rid = request_id.get()
        if rid is not None:
            data["request_id"] = rid
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                data[key] = "[redacted]" if key.lower() in _REDACT else value
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str)


def configure_logging(level: str = "INFO") -> dict[str, Any]:
    config: dict[str, Any] = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {
            "uvicorn": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
            "uvicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
            "uvicorn.access": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
            "httpx": {"level": "WARNING"},
            "aiosqlite": {"level": "WARNING"},
            "sqlalchemy": {"level": "WARNING"},
        },
    }
    logging.config.dictConfig(config)
    return config
