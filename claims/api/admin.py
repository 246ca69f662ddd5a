from django.contrib import admin
from django.http import HttpRequest
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from claims.api.models import NewsroomKey, Webhook, WebhookDelivery, WebhookDeliveryAttempt

# Newsroom keys replace the library's plain key model, which the API never accepts: keep one place to manage keys.
if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)


@admin.register(NewsroomKey)
class NewsroomKeyAdmin(APIKeyModelAdmin):
    list_display = (*APIKeyModelAdmin.list_display, "can_submit")
    list_filter = (*APIKeyModelAdmin.list_filter, "can_submit", "revoked")
    search_fields = (*APIKeyModelAdmin.search_fields, "contact_email")


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    """The secret is never shown here: it was shown to the newsroom once, at registration."""

    list_display = ("url", "key", "follows_kind", "follows_id", "is_active", "consecutive_failures", "created_at")
    list_filter = ("is_active", "follows_kind")
    list_select_related = ("key",)
    search_fields = ("url", "key__name")
    fields = (
        "key",
        "url",
        "follows_kind",
        "follows_id",
        "is_active",
        "consecutive_failures",
        "disabled_at",
        "created_at",
    )
    readonly_fields = ("key", "url", "follows_kind", "follows_id", "consecutive_failures", "disabled_at", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class WebhookDeliveryAttemptInline(admin.TabularInline):
    model = WebhookDeliveryAttempt
    fields = ("number", "status_code", "reason_code", "error", "duration_ms", "attempted_at")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("event_type", "webhook", "state", "attempts", "last_status_code", "created_at", "delivered_at")
    list_filter = ("state", "event_type")
    list_select_related = ("webhook",)
    search_fields = ("event_id", "uuid", "webhook__url")
    readonly_fields = (
        "webhook",
        "event_id",
        "uuid",
        "event_type",
        "payload",
        "state",
        "attempts",
        "last_status_code",
        "last_error",
        "delivered_at",
        "created_at",
    )
    inlines = [WebhookDeliveryAttemptInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
