from django.contrib import admin
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from claims.api.models import NewsroomKey

# Newsroom keys replace the library's plain key model, which the API never accepts: keep one place to manage keys.
if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)


@admin.register(NewsroomKey)
class NewsroomKeyAdmin(APIKeyModelAdmin):
    list_display = (*APIKeyModelAdmin.list_display, "can_submit")
    list_filter = (*APIKeyModelAdmin.list_filter, "can_submit", "revoked")
    search_fields = (*APIKeyModelAdmin.search_fields, "contact_email")
