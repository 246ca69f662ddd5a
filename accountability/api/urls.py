from django.urls import path
from rest_framework.routers import SimpleRouter

from accountability.api import views

router = SimpleRouter()
router.register("people", views.PersonViewSet, basename="person")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("posts", views.PostViewSet, basename="post")
router.register("terms", views.TermViewSet, basename="term")
router.register("incidents", views.IncidentViewSet, basename="incident")
router.register("events", views.AccountabilityEventViewSet, basename="event")
router.register("resignation-offers", views.ResignationOfferViewSet, basename="resignation-offer")

urlpatterns = [path("popolo/", views.PopoloExportView.as_view(), name="popolo"), *router.urls]
