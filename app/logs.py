"""Structured logs: one JSON object per line, with the request id on every line."""

from __future__ import annotations

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")

# Paths that carry a secret: an invitation link and a calendar address work for whoever holds
# them, so a log line shows them with the token replaced. A test walks app.routes: every
# route with a token in its path must be covered here.
SECRET_PATHS = (
    (re.compile(r"/invite/[^\s/?#]+"), "/invite/<token>"),
    (re.compile(r"/calendar/[^\s/?#]+\.ics"), "/calendar/<token>.ics"),
)


def redact(text: str) -> str:
    """`text` with the token of every secret path replaced."""
    for pattern, replacement in SECRET_PATHS:
        text = pattern.sub(replacement, text)
    return text


class RedactTokens(logging.Filter):
    """On every handler: whatever the formatter, no log line holds a token."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        path = getattr(record, "path", None)
        if isinstance(path, str):
            record.path = redact(path)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        RedactTokens().filter(record)
        entry = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "request_id": request_id_var.get(),
            "message": record.getMessage(),
        }
        for key in ("method", "path", "status", "ms"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class ReadableFormatter(logging.Formatter):
    """Development: one short line a person can read ("21:04:05 GET /teams/1 200 12 ms");
    production keeps JSON lines for the log collector."""

    def format(self, record: logging.LogRecord) -> str:
        RedactTokens().filter(record)
        at = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        level = "" if record.levelno == logging.INFO else f"{record.levelname} "
        if hasattr(record, "status"):
            line = f"{at} {level}{record.method} {record.path} {record.status} {record.ms:.0f} ms"
        else:
            line = f"{at} {level}{record.getMessage()}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def setup_logging(level: str = "info", *, readable: bool = False) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(ReadableFormatter() if readable else JsonFormatter())
    handler.addFilter(RedactTokens())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    # our middleware logs each request with its id; uvicorn's access log would repeat it
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)


def uvicorn_log_config(level: str = "info", *, readable: bool = False) -> dict:
    formatter = "app.logs.ReadableFormatter" if readable else "app.logs.JsonFormatter"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": formatter}},
        "filters": {"tokens": {"()": "app.logs.RedactTokens"}},
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["tokens"],
            }
        },
        "root": {"handlers": ["default"], "level": level.upper()},
        "loggers": {
            "uvicorn": {"level": level.upper()},
            "uvicorn.access": {"level": "WARNING"},
            "alembic": {"level": "WARNING"},  # its plugin set-up lines say nothing to us
        },
    }
