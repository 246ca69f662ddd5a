"""factory_boy factories for every model, producing valid rows with sensible defaults."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model

from accountability.models import (
    AccountabilityEvent,
    EventKind,
    Incident,
    Organisation,
    OrganisationKind,
    Person,
    PersonName,
    PersonNameKind,
    Post,
    Term,
)
from accountability.records import normalize_name
from claims.canonical import content_hash
from claims.models import Claim, ClaimLink, FetchState, LinkReviewState, Quote, Source, Stance


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda number: f"editor{number}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    is_staff = True
    password = factory.django.Password("correct horse battery staple")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    url = factory.Sequence(lambda number: f"https://news.example.org/articles/{number}")
    canonical_url = factory.LazyAttribute(lambda source: source.url)
    title = factory.Sequence(lambda number: f"Article {number}")
    text = factory.Sequence(lambda number: f"The text of article number {number}.")
    content_hash = factory.LazyAttribute(lambda source: content_hash(source.text))
    language = "en"
    fetch_state = FetchState.FETCHED
    published_at = factory.LazyFunction(lambda: datetime.datetime(2016, 3, 24, 12, tzinfo=datetime.UTC))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda number: f"Organisation {number}")
    slug = factory.Sequence(lambda number: f"organisation-{number}")
    kind = OrganisationKind.GOVERNMENT
    country_code = "BE"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    name = factory.Sequence(lambda number: f"Person {number}")
    slug = factory.Sequence(lambda number: f"person-{number}")

    @factory.post_generation
    def primary_name(person: Person, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            PersonName.objects.create(
                person=person, name=person.name, normalized=normalize_name(person.name), kind=PersonNameKind.PRIMARY
            )


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    title = factory.Sequence(lambda number: f"Minister {number}")
    slug = factory.Sequence(lambda number: f"minister-{number}")
    organisation = factory.SubFactory(OrganisationFactory)


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    person = factory.SubFactory(PersonFactory)
    post = factory.SubFactory(PostFactory)
    started_on = datetime.date(2014, 10, 11)


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    name = factory.Sequence(lambda number: f"Incident {number}")
    slug = factory.Sequence(lambda number: f"incident-{number}")
    occurred_on = datetime.date(2016, 3, 22)
    country_code = "BE"


class AccountabilityEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountabilityEvent

    kind = EventKind.RESIGNATION_OFFERED
    person = factory.SubFactory(PersonFactory)
    occurred_on = datetime.date(2016, 3, 24)


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    text = factory.Sequence(lambda number: f"Claim number {number} about who was responsible.")
    slug = factory.Sequence(lambda number: f"claim-{number}")
    claimant_organisation = factory.SubFactory(OrganisationFactory)
    first_made_on = datetime.date(2016, 3, 24)


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    text = factory.Sequence(lambda number: f"Words number {number}")
    speaker = factory.SubFactory(PersonFactory)
    source = factory.SubFactory(SourceFactory)


class ClaimLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimLink

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)
    stance = Stance.SUPPORTS
    confidence = 0.7
    origin = "matcher"
    matcher_version = "test"
    review_state = LinkReviewState.SUGGESTED
