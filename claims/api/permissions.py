from __future__ import annotations

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from claims.api.models import NewsroomKey


class CanSubmitSources(BasePermission):
    """A newsroom key flagged ``can_submit``. No key at all answers 401 (with ``WWW-Authenticate: Api-Key``);
    a key without the flag answers 403."""

    message = "This API key may read but not submit sources; ask the editors for a submit key."

    def has_permission(self, request: Request, view: object) -> bool:
        return isinstance(request.auth, NewsroomKey) and request.auth.can_submit
