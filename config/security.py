"""Content Security Policy: django-csp with the policy in settings (``CONTENT_SECURITY_POLICY``). Pages that may
be framed by other sites (the embeddable cards, marked ``xframe_options_exempt``) get ``frame-ancestors *``; every
other page keeps ``frame-ancestors 'none'`` beside ``X-Frame-Options: DENY``."""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase

FRAMEABLE_BY_ANY_SITE = {"frame-ancestors": ["*"]}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if getattr(response, "xframe_options_exempt", False):
            parts.replace = {**(parts.replace or {}), **FRAMEABLE_BY_ANY_SITE}
        return parts
