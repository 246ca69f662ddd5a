"""Read endpoints for people, organisations, posts, terms, incidents and accountability events: generic viewsets
over selectors, each with a FilterSet, explicit ``ordering_fields`` and a stable cursor order."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import Model, Q, QuerySet
from django.middleware.http import ConditionalGetMiddleware
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.decorators import decorator_from_middleware
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accountability import removals, selectors
from accountability.api import documents, filters, serializers
from accountability.api.document_sql import DocumentsFromDatabase
from accountability.api.renderers import CSVRenderer
from accountability.api.tombstone_pages import TombstonePageQuery, tombstone_cursor
from accountability.caching import CachedReadMixin
from accountability.models import AccountabilityEvent, EventKind, Incident, Organisation, Person, Post, Term
from accountability.popolo import popolo_export

# An ETag (a hash of the body) on every 200 answer to a GET, and 304 when If-None-Match (or If-Modified-Since
# against a Last-Modified) matches: Django's own middleware, applied to the API views only.
conditional_get = decorator_from_middleware(ConditionalGetMiddleware)

ID_OR_SLUG = OpenApiParameter(
    "id_or_slug",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The record's numeric id or its slug.",
)
# Largest value of a PostgreSQL bigint: a longer run of digits cannot be an id.
MAX_ID_DIGITS = 18


class PublicApiSchema(AutoSchema):
    """Describes the ``format`` parameter drf-spectacular adds for views with several renderers."""

    def _get_format_parameters(self) -> list[dict[str, Any]]:
        parameters = super()._get_format_parameters()
        for parameter in parameters:
            parameter["description"] = "Answer format: json (the default) or csv. `Accept: text/csv` works too."
        return parameters


def record_key(value: str, *, has_slug: bool = True) -> Q | None:
    """``Q`` on the record with the id (a number) or slug given in a URL; None for what can be neither."""
    if value.isascii() and value.isdigit():
        return Q(pk=int(value)) if len(value) <= MAX_ID_DIGITS else None
    return Q(slug=value) if has_slug else None


def merge_survivor(model: type[Model], condition: Q) -> Any:
    """The published record that a record matching ``condition`` was merged into, or None (not merged, or the
    survivor is not public)."""
    if not hasattr(model, "merged_into"):
        return None
    moved = model._default_manager.filter(condition, merged_into__isnull=False).first()
    if moved is None:
        return None
    survivor = selectors.merged_winner(record=moved)
    return survivor if survivor.is_published and survivor.merged_into_id is None else None


class PublicListViewSet(CachedReadMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A public list: JSON or CSV, filters and ordering, cursor pages, ETags, anonymous answers cached."""

    renderer_classes = [JSONRenderer, CSVRenderer]
    schema = PublicApiSchema()
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering = ("-id",)

    @classmethod
    def as_view(cls, actions: dict | None = None, **initkwargs: Any) -> Any:
        return conditional_get(super().as_view(actions, **initkwargs))

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept", "Authorization"])
        return response


class PublicReadViewSet(mixins.RetrieveModelMixin, PublicListViewSet):
    """Published records only. Details answer to ``<id>`` or ``<slug>``; a record merged into another answers a
    permanent redirect to the survivor; anything else unknown or unpublished answers 404."""

    lookup_url_kwarg = "id_or_slug"
    lookup_value_regex = r"[^/.]+"
    has_slug: ClassVar[bool] = True
    model: ClassVar[type[Model]]
    # Relations whose removal from the public record takes this list's records with them (a term's person).
    removed_with: ClassVar[tuple[str, ...]] = ()
    removal_only: ClassVar[Q] = Q()

    def lookup_key(self) -> int | str:
        """The id (a number) or slug in the URL; 404 for what can be neither."""
        key = self.kwargs[self.lookup_url_kwarg]
        if key.isascii() and key.isdigit():
            if len(key) > MAX_ID_DIGITS:
                raise self.not_found()
            return int(key)
        if not self.has_slug:
            raise self.not_found()
        return key

    def lookup_condition(self) -> Q:
        condition = record_key(self.kwargs[self.lookup_url_kwarg], has_slug=self.has_slug)
        if condition is None:
            raise self.not_found()
        return condition

    def not_found(self) -> NotFound:
        name = self.model._meta.verbose_name
        return NotFound(f"No published {name} has the id or slug {self.kwargs[self.lookup_url_kwarg]!r}.")

    def find_record(self, condition: Q) -> Model | None:
        """The published record the URL names, or None."""
        return self.get_queryset().filter(condition).first()

    def record_data(self, record: Model) -> Any:
        """What a detail answers for the record."""
        return self.get_serializer(record).data

    def get_object(self) -> Model:
        record = self.get_queryset().filter(self.lookup_condition()).first()
        if record is None:
            raise self.not_found()
        self.check_object_permissions(self.request, record)
        return record

    @extend_schema(parameters=[ID_OR_SLUG])
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        condition = self.lookup_condition()
        record = self.find_record(condition)
        if record is None and (survivor := merge_survivor(self.model, condition)) is not None:
            location = reverse(f"api-v1:{self.basename}-detail", kwargs={self.lookup_url_kwarg: survivor.slug})
            return Response(status=status.HTTP_301_MOVED_PERMANENTLY, headers={"Location": location})
        if record is None:
            raise self.not_found()
        return Response(self.record_data(record))

    def detail_url(self, record: Model) -> str:
        key = getattr(record, "slug", None) if self.has_slug else None
        location = reverse(f"api-v1:{self.basename}-detail", kwargs={self.lookup_url_kwarg: key or record.pk})
        return self.request.build_absolute_uri(location)

    @extend_schema(
        summary="Records that left this list",
        description="Tombstones for incremental sync: the records this list showed once and no longer shows "
        "(unpublished, merged into another record, deleted), oldest first. Ask with the same `updated_since` "
        "as the list; follow `next` until it is null. A merged record names its survivor, and its old address "
        "answers 301 to the survivor's.",
        parameters=[
            OpenApiParameter("updated_since", OpenApiTypes.DATETIME, description=filters.UPDATED_SINCE_HELP),
            OpenApiParameter("cursor", OpenApiTypes.STR, description="The cursor from a previous page's `next`."),
            OpenApiParameter(
                "page_size", OpenApiTypes.INT, description="Tombstones per page: 100 by default, at most 1000."
            ),
        ],
        responses=serializers.TombstonePageSerializer,
        filters=False,
    )
    @action(detail=False, methods=["get"], url_path="tombstones", url_name="tombstones", pagination_class=None)
    def tombstones(self, request: Request) -> Response:
        query = TombstonePageQuery(request.query_params)
        if not query.is_valid():
            raise ValidationError(query.errors)
        scope = removals.RemovalScope(
            model=self.model, public=self.get_queryset(), only=self.removal_only, belongs_to=self.removed_with
        )
        page, more = removals.tombstones(
            scope,
            since=query.cleaned_data["updated_since"],
            after=query.cleaned_data["cursor"],
            limit=query.cleaned_data["page_size"],
        )
        next_url = None
        if more:
            next_url = tombstone_cursor(request, page[-1].position)
        body = serializers.TombstonePageSerializer(
            {"next": next_url, "results": page}, context={"detail_url": self.detail_url}
        ).data
        return Response(body)


@extend_schema_view(
    list=extend_schema(summary="People", description="Published people with name variants, identifiers, terms."),
    retrieve=extend_schema(summary="One person"),
)
class PersonViewSet(DocumentsFromDatabase, PublicReadViewSet):
    """Read as documents built by PostgreSQL in the shape of ``PersonSerializer``."""

    model = Person
    serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonFilter
    ordering_fields = ["id", "name", "updated_at", "published_at"]
    list_document = detail_document = documents.PERSON_DOCUMENT

    def get_queryset(self) -> QuerySet[Person]:
        return selectors.people_api_records()


@extend_schema_view(
    list=extend_schema(summary="Organisations", description="Countries, governments, ministries, parties..."),
    retrieve=extend_schema(summary="One organisation"),
)
class OrganisationViewSet(PublicReadViewSet):
    model = Organisation
    serializer_class = serializers.OrganisationSerializer
    filterset_class = filters.OrganisationFilter
    ordering_fields = ["id", "name", "updated_at", "published_at"]

    def get_queryset(self) -> QuerySet[Organisation]:
        return selectors.organisations_api()


@extend_schema_view(
    list=extend_schema(summary="Posts", description="Positions in organisations, e.g. Minister of Justice."),
    retrieve=extend_schema(summary="One post"),
)
class PostViewSet(PublicReadViewSet):
    model = Post
    serializer_class = serializers.PostSerializer
    filterset_class = filters.PostFilter
    ordering_fields = ["id", "title", "updated_at", "published_at"]

    def get_queryset(self) -> QuerySet[Post]:
        return selectors.posts_api()


@extend_schema_view(
    list=extend_schema(summary="Terms of office", description="Who held which post from when to when."),
    retrieve=extend_schema(
        summary="One term of office",
        parameters=[OpenApiParameter("id_or_slug", OpenApiTypes.INT, OpenApiParameter.PATH, description="The id.")],
    ),
)
class TermViewSet(PublicReadViewSet):
    model = Term
    has_slug = False
    removed_with = filters.PERSON_CHANGES
    serializer_class = serializers.TermSerializer
    filterset_class = filters.TermFilter
    ordering_fields = ["id", "started_on", "updated_at", "published_at"]

    def get_queryset(self) -> QuerySet[Term]:
        return selectors.terms_api()


@extend_schema_view(
    list=extend_schema(summary="Incidents", description="What happened, where and when, with casualty figures."),
    retrieve=extend_schema(summary="One incident"),
)
class IncidentViewSet(PublicReadViewSet):
    model = Incident
    serializer_class = serializers.IncidentSerializer
    filterset_class = filters.IncidentFilter
    ordering_fields = ["id", "occurred_on", "updated_at", "published_at"]

    def get_queryset(self) -> QuerySet[Incident]:
        return selectors.incidents_api()


@extend_schema_view(
    list=extend_schema(
        summary="Accountability events",
        description="Published events: resignation offers (with their outcome), refusals, resignations, "
        "dismissals, apologies, inquiries... Proposed and rejected events never appear.",
    ),
    retrieve=extend_schema(
        summary="One accountability event",
        parameters=[OpenApiParameter("id_or_slug", OpenApiTypes.INT, OpenApiParameter.PATH, description="The id.")],
    ),
)
class AccountabilityEventViewSet(DocumentsFromDatabase, PublicReadViewSet):
    """Read as documents built by PostgreSQL in the shape of ``AccountabilityEventSerializer``."""

    model = AccountabilityEvent
    has_slug = False
    removed_with = filters.PERSON_CHANGES
    serializer_class = serializers.AccountabilityEventSerializer
    filterset_class = filters.AccountabilityEventFilter
    ordering_fields = ["id", "occurred_on", "updated_at", "published_at"]
    list_document = detail_document = documents.EVENT_DOCUMENT

    def get_queryset(self) -> QuerySet[AccountabilityEvent]:
        return selectors.accountability_events_api_records()


@extend_schema_view(
    list=extend_schema(
        summary="Resignation offers with their outcome",
        description="Each published offer with its outcome, when and by whom it was decided, and whether the "
        "person left the post within 60 days.",
    ),
    retrieve=extend_schema(
        summary="One resignation offer",
        parameters=[OpenApiParameter("id_or_slug", OpenApiTypes.INT, OpenApiParameter.PATH, description="The id.")],
    ),
)
class ResignationOfferViewSet(PublicReadViewSet):
    model = AccountabilityEvent
    has_slug = False
    removed_with = filters.PERSON_CHANGES
    removal_only = Q(kind=EventKind.RESIGNATION_OFFERED)
    serializer_class = serializers.ResignationOfferSerializer
    filterset_class = filters.ResignationOfferFilter
    ordering_fields = ["id", "occurred_on", "updated_at", "published_at"]

    def get_queryset(self) -> QuerySet[AccountabilityEvent]:
        return selectors.resignation_offers_api()


class PopoloExportView(APIView):
    """People, organisations, posts and terms in the Popolo format, for tools built on it."""

    renderer_classes = [JSONRenderer]
    schema = PublicApiSchema()

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        return conditional_get(super().as_view(**initkwargs))

    @extend_schema(
        summary="Popolo export",
        description="Every published person (with other names and identifiers), organisation, post and term of "
        "office (as a membership) in one Popolo JSON document (https://www.popoloproject.com/specs/); ids are "
        "the records' slugs, memberships are `term-<id>`; dates carry their known precision (2016, 2016-03).",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        return Response(popolo_export())
