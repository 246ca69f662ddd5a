from django.urls import path

from claims import views

app_name = "claims"

urlpatterns = [
    path("claims/<slug:slug>/", views.claim_detail, name="claim"),
    path("embed/claims/<slug:slug>/", views.claim_embed, name="claim-embed"),
    path("sources/<int:pk>/", views.source_detail, name="source"),
]
