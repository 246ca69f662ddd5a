"""The review queue, mounted under the admin (``<ADMIN_URL>review/``) and behind the admin's sign-in."""

from django.contrib import admin
from django.urls import path

from claims.review import views

app_name = "review"

urlpatterns = [
    path("", admin.site.admin_view(views.review_queue), name="queue"),
    path("links/<int:link_id>/correct/", admin.site.admin_view(views.link_correct), name="link_correct"),
    path("events/<int:event_id>/correct/", admin.site.admin_view(views.event_correct), name="event_correct"),
]
