"""Why a fetch did not produce a document, as a stable machine-readable reason code and a human message."""

from __future__ import annotations

from accountability.errors import ApplicationError


class FetchError(ApplicationError):
    """Base class: ``reason_code`` is a short stable string, ``message`` names the problem for a human."""

    def __init__(self, reason_code: str, message: str) -> None:
        super().__init__(message, code=reason_code)
        self.reason_code = reason_code

    def __str__(self) -> str:
        return f"{self.reason_code}: {self.message}"


class FetchRefused(FetchError):
    """The URL, an address it resolves to, a redirect or the response broke the fetch policy. Never retry."""


class FetchFailed(FetchError):
    """The network or the remote server failed. ``is_transient`` says whether a later retry may succeed."""

    def __init__(self, reason_code: str, message: str, is_transient: bool, *, status: int | None = None) -> None:
        super().__init__(reason_code, message)
        self.is_transient = is_transient
        self.status = status
