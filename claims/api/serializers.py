"""Output shapes for claims and sources, and the input of a source submission: explicit fields, no logic."""

from __future__ import annotations

from django.core.validators import URLValidator
from rest_framework import serializers

from accountability.api.serializers import (
    IncidentRefSerializer,
    OrganisationRefSerializer,
    PersonRefSerializer,
    SourceRefSerializer,
)
from claims.api.models import Webhook, WebhookFollows
from claims.models import Claim, ClaimLink, ClaimStatusChange, FetchState, Quote, Source
from claims.selectors import API_DETAIL_LINKS_PER_STANCE


class QuoteSerializer(serializers.ModelSerializer):
    speaker = PersonRefSerializer(allow_null=True)
    speaker_organisation = OrganisationRefSerializer(allow_null=True)

    class Meta:
        model = Quote
        fields = ["id", "text", "speaker", "speaker_organisation", "said_to", "said_on", "language"]


class ClaimLinkSerializer(serializers.ModelSerializer):
    source = SourceRefSerializer()
    quote = QuoteSerializer(allow_null=True, help_text="The words in the source that bear on the claim, if recorded.")
    reviewed_by = serializers.CharField(
        source="reviewed_by.get_full_name",
        allow_null=True,
        read_only=True,
        help_text="The editor who confirmed the link; null when the matcher confirmed it.",
    )

    class Meta:
        model = ClaimLink
        fields = [
            "id",
            "stance",
            "source",
            "quote",
            "confidence",
            "origin",
            "review_state",
            "reviewed_by",
            "reviewed_at",
        ]


class ClaimStatusChangeSerializer(serializers.ModelSerializer):
    changed_by = serializers.CharField(
        source="changed_by.get_full_name",
        allow_null=True,
        read_only=True,
        help_text="The editor who changed the status; null or empty for the editorial team.",
    )
    evidence = SourceRefSerializer(many=True)

    class Meta:
        model = ClaimStatusChange
        fields = ["from_status", "to_status", "changed_at", "changed_by", "reason", "evidence"]


class LinkCountsSerializer(serializers.Serializer):
    supports = serializers.IntegerField(help_text="Sources that support the claim.")
    contradicts = serializers.IntegerField(help_text="Sources that contradict it.")
    mentions = serializers.IntegerField(help_text="Sources that mention it without taking a side.")
    total = serializers.IntegerField(help_text="All of them.")


class ClaimSerializer(serializers.ModelSerializer):
    """A claim in a list: its links counted by stance, and the address of the list of its links."""

    claimant_person = PersonRefSerializer(allow_null=True)
    claimant_organisation = OrganisationRefSerializer(allow_null=True)
    subject_people = PersonRefSerializer(many=True)
    subject_organisations = OrganisationRefSerializer(many=True)
    incident = IncidentRefSerializer(allow_null=True)
    status_history = ClaimStatusChangeSerializer(
        many=True, source="public_status_history", help_text="Every status change, oldest first."
    )
    link_counts = LinkCountsSerializer(
        read_only=True,
        help_text="Sources supporting, contradicting or mentioning the claim, confirmed by an editor or the matcher.",
    )
    links_url = serializers.HyperlinkedIdentityField(
        view_name="api-v1:claim-link-list",
        lookup_field="slug",
        lookup_url_kwarg="claim_id_or_slug",
        help_text="The claim's links with their sources and quotes, page by page.",
    )

    class Meta:
        model = Claim
        fields = [
            "id",
            "slug",
            "text",
            "headline",
            "language",
            "status",
            "first_made_on",
            "first_made_on_precision",
            "claimant_person",
            "claimant_organisation",
            "subject_people",
            "subject_organisations",
            "incident",
            "status_history",
            "link_counts",
            "links_url",
            "published_at",
            "updated_at",
        ]


class ClaimDetailSerializer(ClaimSerializer):
    """One claim: the list fields and its strongest links of each stance."""

    links = ClaimLinkSerializer(
        many=True,
        source="public_links",
        help_text=f"The strongest links of each stance, at most {API_DETAIL_LINKS_PER_STANCE} of each (highest "
        "confidence first within a stance); `link_counts` says how many there are and `links_url` lists them all.",
    )

    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields[:-2], "links", *ClaimSerializer.Meta.fields[-2:]]


class SourceSerializer(serializers.ModelSerializer):
    publisher = OrganisationRefSerializer(allow_null=True)

    class Meta:
        model = Source
        fields = [
            "id",
            "url",
            "canonical_url",
            "title",
            "author",
            "publisher",
            "publisher_name",
            "language",
            "published_at",
            "fetched_at",
            "duplicate_of",
            "updated_at",
        ]


class SourceDetailSerializer(SourceSerializer):
    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "text"]


class SourceSubmitSerializer(serializers.Serializer):
    """Either ``url`` or ``text`` (the service says so when both are missing)."""

    url = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="The article's address (http or https). It is fetched in the background.",
    )
    text = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, help_text="The article's text, pasted."
    )
    title = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    language = serializers.CharField(
        required=False, allow_blank=True, max_length=8, help_text="BCP 47 code, e.g. en, fr, nl."
    )
    published_at = serializers.DateTimeField(required=False, allow_null=True)
    publisher_name = serializers.CharField(required=False, allow_blank=True, max_length=300)


class SourceSubmissionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The source's id.")
    is_new = serializers.BooleanField(help_text="False when the source was already known (nothing was added).")
    fetch_state = serializers.ChoiceField(choices=FetchState.choices)
    status_url = serializers.URLField(help_text="Poll this address to follow the processing.")


class SourceStatusSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "fetch_state", "fetch_error_code", "fetched_at", "linked_at", "is_published", "duplicate_of"]


class WebhookRegisterSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=2000, help_text="An https address that accepts signed POSTs.")
    follows_kind = serializers.ChoiceField(
        choices=WebhookFollows.choices,
        help_text="What to be told about: one claim, a person, an incident, or every claim status change.",
    )
    follows_id = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="The claim, person or incident; omit for all."
    )


class WebhookSerializer(serializers.ModelSerializer):
    class Meta:
        model = Webhook
        fields = [
            "id",
            "url",
            "follows_kind",
            "follows_id",
            "is_active",
            "consecutive_failures",
            "disabled_at",
            "created_at",
        ]


class WebhookCreatedSerializer(WebhookSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="Signs every delivery (HMAC-SHA256). Shown only now: store it."
    )

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]
