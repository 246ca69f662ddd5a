from rest_framework.routers import SimpleRouter

from claims.api import views

router = SimpleRouter()
router.register("claims", views.ClaimViewSet, basename="claim")
router.register(r"claims/(?P<claim_id_or_slug>[^/.]+)/links", views.ClaimLinkViewSet, basename="claim-link")
router.register("sources", views.SourceViewSet, basename="source")
router.register("webhooks", views.WebhookViewSet, basename="webhook")

urlpatterns = router.urls
