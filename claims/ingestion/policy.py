"""What a fetch is allowed to do, with defaults read from Django settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

DEFAULT_ALLOWED_PORTS = (80, 443)
DEFAULT_MAX_REDIRECTS = 5
DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024
DEFAULT_TOTAL_TIMEOUT = 20.0
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 10.0
DEFAULT_USER_AGENT = "AccountabilityTracker-Ingestion/1.0 (+newsroom article fetcher)"
DEFAULT_CONTENT_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "text/plain",
        "application/rss+xml",
        "application/atom+xml",
        "application/xml",
        "text/xml",
    }
)


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for one fetch. ``FetchPolicy.from_settings()`` is what ``fetch_url`` uses when given none.

    ``allow_loopback`` admits 127.0.0.0/8 and ::1 only, never private ranges: it is a test-only escape hatch.
    ``ca_certs`` replaces the trust store (tests use it to trust a self-signed certificate).
    """

    allowed_schemes: frozenset[str] = frozenset({"http", "https"})
    allowed_ports: frozenset[int] = frozenset(DEFAULT_ALLOWED_PORTS)
    allow_loopback: bool = False
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    total_timeout: float = DEFAULT_TOTAL_TIMEOUT
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    allowed_content_types: frozenset[str] = field(default=DEFAULT_CONTENT_TYPES)
    user_agent: str = DEFAULT_USER_AGENT
    ca_certs: str | None = None

    @classmethod
    def from_settings(cls) -> FetchPolicy:
        return cls(
            allowed_ports=frozenset(
                int(port) for port in getattr(settings, "INGESTION_ALLOWED_PORTS", DEFAULT_ALLOWED_PORTS)
            ),
            allow_loopback=bool(getattr(settings, "INGESTION_ALLOW_LOOPBACK", False)),
            max_redirects=int(getattr(settings, "INGESTION_MAX_REDIRECTS", DEFAULT_MAX_REDIRECTS)),
            max_body_bytes=int(getattr(settings, "INGESTION_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES)),
            total_timeout=float(getattr(settings, "INGESTION_TOTAL_TIMEOUT", DEFAULT_TOTAL_TIMEOUT)),
            connect_timeout=float(getattr(settings, "INGESTION_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT)),
            read_timeout=float(getattr(settings, "INGESTION_READ_TIMEOUT", DEFAULT_READ_TIMEOUT)),
            user_agent=str(getattr(settings, "INGESTION_USER_AGENT", DEFAULT_USER_AGENT)),
        )
