"""Claims and sources: read endpoints over selectors, and source submission (one command: input serializer,
``claims.intake.source_submit``, output serializer); a newsroom's webhooks (register, list, delete)."""

from __future__ import annotations

from typing import Any

import pghistory
from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from accountability import jsonld
from accountability.api.document_sql import DocumentsFromDatabase, absolute_url_parts
from accountability.api.renderers import JSONLDRenderer
from accountability.api.views import PublicListViewSet, PublicReadViewSet, merge_survivor, record_key
from claims import selectors
from claims.api import documents, filters, serializers
from claims.api.models import NewsroomKey
from claims.api.parsers import BoundedJSONParser
from claims.api.permissions import CanSubmitSources
from claims.api.webhooks import webhook_delete, webhook_register, webhooks_of_key
from claims.intake import source_submit
from claims.models import Claim, ClaimLink, Source

SOURCE_ID = OpenApiParameter("id_or_slug", OpenApiTypes.INT, OpenApiParameter.PATH, description="The source's id.")


@extend_schema_view(
    list=extend_schema(
        summary="Claims",
        description="Published claims with claimant, subjects, status history, their confirmed links to sources "
        "counted by stance (`link_counts`) and the address of the list of those links (`links_url`).",
    ),
    retrieve=extend_schema(
        summary="One claim",
        description="The claim as in the list, with its strongest confirmed links of each stance embedded.",
    ),
)
class ClaimViewSet(DocumentsFromDatabase, PublicReadViewSet):
    """Lists and details are read as documents built by PostgreSQL (``claims.api.documents``), in the shape of
    ``ClaimSerializer`` and ``ClaimDetailSerializer``, which describe them in the schema."""

    model = Claim
    filterset_class = filters.ClaimFilter
    ordering_fields = ["id", "updated_at", "published_at"]
    list_document = documents.CLAIM_DOCUMENT
    detail_document = documents.CLAIM_DETAIL_DOCUMENT

    def get_queryset(self) -> QuerySet[Claim]:
        if self.action in ("list", "retrieve", "tombstones"):
            return selectors.claims_api_records()
        return selectors.claims_api()

    def document_settings(self) -> dict[str, str]:
        before, after = absolute_url_parts(self.request, "api-v1:claim-link-list", "claim_id_or_slug")
        return {**super().document_settings(), "links_url_before": before, "links_url_after": after}

    def get_serializer_class(self) -> type[BaseSerializer]:
        if self.action == "retrieve":
            return serializers.ClaimDetailSerializer
        return serializers.ClaimSerializer

    @extend_schema(
        summary="One claim as schema.org ClaimReview (JSON-LD)",
        description="The claim, its claimant, where it first appeared and the current verdict as a ClaimReview, the "
        "same structured data the public claim page carries; for fact-check aggregators and search engines.",
        parameters=[OpenApiParameter("id_or_slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="Id or slug.")],
        responses={(200, "application/ld+json"): OpenApiTypes.OBJECT},
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="claimreview",
        url_name="claimreview",
        pagination_class=None,
        renderer_classes=[JSONLDRenderer],
    )
    def claim_review(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        claim = self.get_object()
        links = list(selectors.claim_public_links(claim=claim))
        return Response(jsonld.claim_review(claim=claim, links=links, request=request))


@extend_schema_view(
    list=extend_schema(
        summary="A claim's links",
        description="The sources supporting, contradicting or mentioning one published claim, confirmed by an "
        "editor or the matcher, each with its source and the quote that bears on the claim; newest first by "
        "default, `ordering=-confidence` for the strongest first. A merged claim's address answers 301 to the "
        "surviving claim's links.",
        parameters=[
            OpenApiParameter(
                "claim_id_or_slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The claim's id or slug."
            )
        ],
    ),
)
class ClaimLinkViewSet(PublicListViewSet):
    serializer_class = serializers.ClaimLinkSerializer
    filterset_class = filters.ClaimLinkFilter
    ordering_fields = ["id", "confidence"]
    claim_id: int

    def get_queryset(self) -> QuerySet[ClaimLink]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator describes the list without a claim
            return ClaimLink.objects.none()
        return selectors.claim_links_api(claim_id=self.claim_id)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = kwargs["claim_id_or_slug"]
        condition = record_key(key)
        claim = selectors.claim_api_find(key=condition) if condition is not None else None
        if claim is None:
            survivor = merge_survivor(Claim, condition) if condition is not None else None
            if survivor is None:
                raise NotFound(f"No published claim has the id or slug {key!r}.")
            location = reverse("api-v1:claim-link-list", kwargs={"claim_id_or_slug": survivor.slug})
            return Response(status=status.HTTP_301_MOVED_PERMANENTLY, headers={"Location": location})
        self.claim_id = claim.pk
        return super().list(request, *args, **kwargs)


@extend_schema_view(
    list=extend_schema(summary="Sources", description="Published articles and documents."),
    retrieve=extend_schema(summary="One source, with its text", parameters=[SOURCE_ID]),
)
class SourceViewSet(PublicReadViewSet):
    model = Source
    has_slug = False
    filterset_class = filters.SourceFilter
    ordering_fields = ["id", "published_at", "updated_at"]
    parser_classes = [BoundedJSONParser]

    def get_queryset(self) -> QuerySet[Source]:
        return selectors.sources_api()

    def get_serializer_class(self) -> type[BaseSerializer]:
        if self.action == "retrieve":
            return serializers.SourceDetailSerializer
        return serializers.SourceSerializer

    def get_permissions(self) -> list[BasePermission]:
        if self.action in ("create", "submission_status"):
            return [CanSubmitSources()]
        return super().get_permissions()

    @extend_schema(
        summary="Submit a source",
        description="Send an article's address (`url`) or its pasted `text`; needs a newsroom key with the "
        "submit permission. A new source answers 202 and is processed in the background: poll `status_url`. "
        "A source already known answers 200 with the existing source's id.",
        request=serializers.SourceSubmitSerializer,
        responses={
            202: serializers.SourceSubmissionSerializer,
            200: serializers.SourceSubmissionSerializer,
            400: OpenApiResponse(description="Invalid fields."),
            401: OpenApiResponse(description="No or unknown API key."),
            403: OpenApiResponse(description="The key may not submit."),
            413: OpenApiResponse(description="Body larger than the limit."),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        submitted = serializers.SourceSubmitSerializer(data=request.data)
        submitted.is_valid(raise_exception=True)
        with pghistory.context(api_key=request.auth.prefix, newsroom=request.auth.name):
            submission = source_submit(actor=None, **submitted.validated_data)
        status_url = request.build_absolute_uri(
            reverse("api-v1:source-submission-status", kwargs={self.lookup_url_kwarg: submission.source.pk})
        )
        body = serializers.SourceSubmissionSerializer(
            {
                "id": submission.source.pk,
                "is_new": submission.is_new,
                "fetch_state": submission.source.fetch_state,
                "status_url": status_url,
            }
        ).data
        answer = status.HTTP_202_ACCEPTED if submission.is_new else status.HTTP_200_OK
        return Response(body, status=answer, headers={"Location": status_url})

    @extend_schema(
        summary="Processing status of a submitted source",
        description="For submitters (a key with the submit permission), published or not yet.",
        parameters=[SOURCE_ID],
        responses=serializers.SourceStatusSerializer,
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path="status", url_name="submission-status", pagination_class=None)
    def submission_status(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        source = selectors.source_submission_get(pk=int(self.lookup_key()))
        if source is None:
            raise NotFound("No source has this id.")
        return Response(serializers.SourceStatusSerializer(source).data)


class IsNewsroom(BasePermission):
    """Any valid newsroom key; no key answers 401."""

    message = "Webhooks belong to a newsroom: send its API key."

    def has_permission(self, request: Request, view: object) -> bool:
        return isinstance(request.auth, NewsroomKey)


WEBHOOK_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The webhook's id.")


@extend_schema_view(
    list=extend_schema(
        summary="Your webhooks",
        description="The webhooks registered with this newsroom key (never their secrets).",
        responses={200: serializers.WebhookSerializer(many=True), 401: OpenApiResponse(description="No API key.")},
    ),
    create=extend_schema(
        summary="Register a webhook",
        description="Signed POSTs are sent to `url` when what it follows changes: a claim (`claim`), a person "
        "(their record and claims by or about them), an incident (its record and claims), or every claim status "
        "change (`all_status_changes`, no `follows_id`). Only published records are announced. The `secret` that "
        "signs deliveries is in this answer only. See docs/api.md, Webhooks.",
        request=serializers.WebhookRegisterSerializer,
        responses={
            201: serializers.WebhookCreatedSerializer,
            400: OpenApiResponse(description="Invalid fields: not https, unknown or unpublished record."),
            401: OpenApiResponse(description="No API key."),
        },
    ),
    destroy=extend_schema(
        summary="Delete a webhook",
        parameters=[WEBHOOK_ID],
        responses={
            204: OpenApiResponse(description="Deleted."),
            401: OpenApiResponse(description="No API key."),
            404: OpenApiResponse(description="This key has no webhook with this id."),
        },
    ),
)
class WebhookViewSet(viewsets.ViewSet):
    permission_classes = [IsNewsroom]
    parser_classes = [BoundedJSONParser]
    lookup_value_regex = r"[0-9]{1,18}"

    def list(self, request: Request) -> Response:
        webhooks = webhooks_of_key(key=request.auth)
        return Response(serializers.WebhookSerializer(webhooks, many=True).data)

    def create(self, request: Request) -> Response:
        submitted = serializers.WebhookRegisterSerializer(data=request.data)
        submitted.is_valid(raise_exception=True)
        webhook, secret = webhook_register(key=request.auth, **submitted.validated_data)
        webhook.secret = secret
        return Response(serializers.WebhookCreatedSerializer(webhook).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, pk: str) -> Response:
        if not webhook_delete(key=request.auth, webhook_id=int(pk)):
            raise NotFound("This key has no webhook with this id.")
        return Response(status=status.HTTP_204_NO_CONTENT)
