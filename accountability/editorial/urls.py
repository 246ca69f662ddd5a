"""Recording the story by hand, mounted under the admin (``<ADMIN_URL>editorial/``) behind its sign-in."""

from django.contrib import admin
from django.urls import path

from accountability.editorial import views

app_name = "editorial"

urlpatterns = [
    path("sources/add/", admin.site.admin_view(views.source_add), name="source_add"),
    path("sources/<int:source_id>/", admin.site.admin_view(views.source_progress), name="source_progress"),
    path("sources/<int:source_id>/status/", admin.site.admin_view(views.source_status), name="source_status"),
    path(
        "sources/<int:source_id>/claim/", admin.site.admin_view(views.claim_from_sentence), name="claim_from_sentence"
    ),
    path(
        "people/<int:person_id>/resignation-offers/",
        admin.site.admin_view(views.person_resignation_offers),
        name="person_offers",
    ),
    path("offers/<int:offer_id>/outcome/", admin.site.admin_view(views.offer_decide), name="offer_decide"),
]
