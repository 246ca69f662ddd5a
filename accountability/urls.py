from django.urls import path

from accountability import feeds, views

app_name = "accountability"

urlpatterns = [
    path("", views.home, name="home"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
    path("embed/people/<slug:slug>/", views.person_embed, name="person-embed"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("incidents/<slug:slug>/", views.incident_detail, name="incident"),
    path("methodology/", views.methodology, name="methodology"),
    path("search/", views.search, name="search"),
    path("feeds/claims/", feeds.LatestClaimsFeed(), name="feed-claims"),
    path("feeds/people/<slug:slug>/", feeds.PersonFeed(), name="feed-person"),
    path("feeds/incidents/<slug:slug>/", feeds.IncidentFeed(), name="feed-incident"),
]
