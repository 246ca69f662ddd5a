"""Production logging: one JSON object per line on standard output, each with the request id (``null`` outside a
request or a task it enqueued), for the web server, Celery worker and beat alike."""

from __future__ import annotations

from typing import Any


def json_logging(level: str = "INFO") -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "config.request_id.RequestIdLogFilter"}},
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
                "timestamp": False,
            }
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "pgtrigger": {"level": "WARNING"},
            # Requests are logged once, by config.request_id, with their id; Django's own line would repeat it.
            "django.server": {"level": "WARNING"},
        },
    }
