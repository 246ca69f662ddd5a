"""``Authorization: Api-Key <key>`` identifies a newsroom; without the header a request is anonymous."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework_api_key.permissions import KeyParser

from claims.api.models import NewsroomKey


class NewsroomKeyAuthentication(BaseAuthentication):
    """Sets ``request.auth`` to the ``NewsroomKey``. A key that is unknown, revoked or expired answers 401 rather
    than silently reading at the anonymous rate, so a newsroom notices a broken key at once."""

    keyword = "Api-Key"

    def authenticate(self, request: Request) -> tuple[AnonymousUser, NewsroomKey] | None:
        key = KeyParser().get(request)
        if not key:
            return None
        try:
            newsroom_key = NewsroomKey.objects.get_from_key(key)
        except NewsroomKey.DoesNotExist:
            raise AuthenticationFailed("Unknown or revoked API key.", code="invalid_api_key") from None
        if newsroom_key.has_expired:
            raise AuthenticationFailed("This API key has expired.", code="expired_api_key")
        return AnonymousUser(), newsroom_key

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class NewsroomKeyScheme(OpenApiAuthenticationExtension):
    """Describes the key header in the OpenAPI schema; reads also work without it (anonymous, lower rate)."""

    target_class = NewsroomKeyAuthentication
    name = "NewsroomKey"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'A newsroom key, sent as "Api-Key <key>". Optional for reads (higher rate limit); '
            "a key with the submit permission is needed to submit sources.",
        }
