"""Output shapes of the public API: explicit fields, no logic (selectors load and annotate everything)."""

from __future__ import annotations

from rest_framework import serializers

from accountability.models import (
    OFFER_OUTCOME_KINDS,
    AccountabilityEvent,
    Incident,
    Organisation,
    Person,
    PersonIdentifier,
    PersonName,
    Post,
    Term,
    TermEndReason,
)
from claims.models import Source

# --- References: the few fields that name a related record. ---


class PersonRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "slug", "name"]


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "slug", "name", "country_code"]


class PostRefSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer()

    class Meta:
        model = Post
        fields = ["id", "slug", "title", "organisation"]


class IncidentRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Incident
        fields = ["id", "slug", "name", "occurred_on"]


class SourceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "title", "url", "publisher_name", "published_at"]


# --- Records. ---


class PersonNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonName
        fields = ["name", "kind", "language"]


class PersonIdentifierSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonIdentifier
        fields = ["scheme", "value"]


class PersonTermSerializer(serializers.ModelSerializer):
    post = PostRefSerializer()

    class Meta:
        model = Term
        fields = [
            "id",
            "post",
            "started_on",
            "started_on_precision",
            "ended_on",
            "ended_on_precision",
            "end_reason",
        ]


class PersonSerializer(serializers.ModelSerializer):
    names = PersonNameSerializer(many=True, help_text="Every known spelling, transliteration and alias.")
    identifiers = PersonIdentifierSerializer(many=True)
    terms = PersonTermSerializer(many=True, source="public_terms", help_text="Posts held, most recent first.")

    class Meta:
        model = Person
        fields = ["id", "slug", "name", "description", "names", "identifiers", "terms", "published_at", "updated_at"]


class OrganisationSerializer(serializers.ModelSerializer):
    parent = OrganisationRefSerializer(allow_null=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "country_code",
            "parent",
            "wikidata_qid",
            "aliases",
            "published_at",
            "updated_at",
        ]


class PostSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer()

    class Meta:
        model = Post
        fields = ["id", "slug", "title", "aliases", "organisation", "published_at", "updated_at"]


class TermSerializer(serializers.ModelSerializer):
    person = PersonRefSerializer()
    post = PostRefSerializer()
    sources = SourceRefSerializer(many=True)

    class Meta:
        model = Term
        fields = [
            "id",
            "person",
            "post",
            "started_on",
            "started_on_precision",
            "ended_on",
            "ended_on_precision",
            "end_reason",
            "sources",
            "published_at",
            "updated_at",
        ]


class IncidentSerializer(serializers.ModelSerializer):
    sources = SourceRefSerializer(many=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "location",
            "country_code",
            "occurred_on",
            "occurred_on_precision",
            "deaths",
            "injuries",
            "sources",
            "published_at",
            "updated_at",
        ]


class OutcomeSerializer(serializers.ModelSerializer):
    decided_by = PersonRefSerializer(allow_null=True)

    class Meta:
        model = AccountabilityEvent
        fields = ["id", "kind", "occurred_on", "decided_by", "summary"]


class AccountabilityEventSerializer(serializers.ModelSerializer):
    person = PersonRefSerializer()
    post = PostRefSerializer(allow_null=True)
    incident = IncidentRefSerializer(allow_null=True)
    decided_by = PersonRefSerializer(allow_null=True)
    outcomes = OutcomeSerializer(
        many=True,
        source="public_outcomes",
        help_text="For a resignation offer: its published outcome (refused, accepted, withdrawn); empty while open.",
    )
    sources = SourceRefSerializer(many=True)

    class Meta:
        model = AccountabilityEvent
        fields = [
            "id",
            "kind",
            "person",
            "post",
            "incident",
            "occurred_on",
            "occurred_on_precision",
            "decided_by",
            "responds_to",
            "outcomes",
            "summary",
            "evidence_sentence",
            "origin",
            "sources",
            "published_at",
            "updated_at",
        ]


class ResignationOfferSerializer(serializers.ModelSerializer):
    """A resignation offer and what came of it, in one object."""

    person = PersonRefSerializer()
    post = PostRefSerializer(allow_null=True)
    incident = IncidentRefSerializer(allow_null=True)
    outcome = serializers.ChoiceField(
        choices=[(kind.value, kind.label) for kind in OFFER_OUTCOME_KINDS],
        allow_null=True,
        read_only=True,
        help_text="The published outcome; null while nobody has answered the offer.",
    )
    outcome_on = serializers.DateField(allow_null=True, read_only=True)
    decided_by_name = serializers.CharField(allow_null=True, read_only=True, help_text="Who decided the outcome.")
    decided_by_slug = serializers.CharField(allow_null=True, read_only=True)
    left_post = serializers.BooleanField(
        read_only=True, help_text="Whether the person's term in the post ended within 60 days of the offer."
    )
    term_ended_on = serializers.DateField(allow_null=True, read_only=True)
    term_end_reason = serializers.ChoiceField(choices=TermEndReason.choices, allow_null=True, read_only=True)
    sources = SourceRefSerializer(many=True)

    class Meta:
        model = AccountabilityEvent
        fields = [
            "id",
            "person",
            "post",
            "incident",
            "occurred_on",
            "occurred_on_precision",
            "summary",
            "outcome",
            "outcome_on",
            "decided_by_name",
            "decided_by_slug",
            "left_post",
            "term_ended_on",
            "term_end_reason",
            "sources",
            "published_at",
            "updated_at",
        ]


# --- Incremental sync: records that left a list. ---


class TombstoneSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The id the record had in the list.")
    slug = serializers.CharField(allow_null=True, help_text="Its slug, for lists whose records have one.")
    reason = serializers.ChoiceField(
        choices=["unpublished", "merged", "deleted"],
        help_text="Unpublished (it may come back), merged into another record, or deleted.",
    )
    merged_into = serializers.SerializerMethodField(help_text="For a merge: the surviving record's id and address.")
    removed_at = serializers.DateTimeField(help_text="When it left the public record.")

    def get_merged_into(self, tombstone: object) -> dict | None:
        survivor = getattr(tombstone, "merged_into", None)
        if survivor is None:
            return None
        return {"id": survivor.pk, "url": self.context["detail_url"](survivor)}


class TombstonePageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next page, or null on the last one.")
    results = TombstoneSerializer(many=True)
