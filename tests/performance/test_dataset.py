"""The dataset generator: repeatable, realistic shapes, every invariant of the record kept, no editorial history."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F

from accountability.datasets.generator import DatasetGenerator, DatasetSize
from accountability.models import AccountabilityEvent, EventKind, Person, PersonName
from claims.models import Claim, ClaimLink, Source

pytestmark = pytest.mark.django_db

SMALL = 0.01  # 100 claims, 50 people, 1,000 sources, ~5,000 links, 200 events


def generated_texts(seed: int) -> list[str]:
    with transaction.atomic():
        DatasetGenerator(scale=SMALL, seed=seed, progress=False).generate()
        texts = list(Claim.objects.order_by("id").values_list("text", flat=True))
        transaction.set_rollback(True)
    return texts


def test_the_same_seed_gives_the_same_dataset_and_another_seed_another():
    first = generated_texts(1)
    assert first == generated_texts(1)
    assert first != generated_texts(2)


def test_scale_ten_is_the_full_size_of_decades_of_records():
    size = DatasetSize.at_scale(10)
    assert (size.claims, size.people, size.sources, size.events) == (100_000, 50_000, 1_000_000, 200_000)
    assert size.sources * size.links_per_source == 5_000_000


def test_a_generated_dataset_has_the_shapes_of_a_real_record_and_no_history():
    DatasetGenerator(scale=SMALL, seed=3, progress=False).generate()
    assert Claim.objects.count() == 100
    assert Source.objects.count() == 1_000
    assert 4_000 < ClaimLink.objects.count() < 6_000
    assert set(Claim.objects.values_list("language", flat=True)) == {"en", "fr", "nl"}
    assert 0.7 < Claim.objects.filter(is_published=True).count() / 100 < 0.97
    assert PersonName.objects.filter(kind="variant").exists()
    busiest = Person.objects.annotate(n=Count("claims_about")).order_by("-n").values_list("n", flat=True)
    assert busiest[0] >= 5 * max(1, busiest[len(busiest) // 2])  # a long tail: a few people in many claims
    assert not apps.get_model("claims", "ClaimEvent").objects.exists()
    assert not apps.get_model("claims", "ClaimLinkEvent").objects.exists()


def test_most_generated_people_have_a_name_of_their_own_and_a_few_share_one_with_a_namesake():
    DatasetGenerator(scale=0.2, seed=5, progress=False).generate()  # 1,000 people
    names = list(Person.objects.values_list("name", flat=True))
    distinct_share = len(set(names)) / len(names)
    assert 0.95 <= distinct_share < 0.995


def test_every_generated_outcome_answers_an_earlier_offer_by_the_same_person():
    DatasetGenerator(scale=SMALL, seed=4, progress=False).generate()
    outcomes = AccountabilityEvent.objects.filter(responds_to__isnull=False)
    assert outcomes.exists()
    assert not outcomes.exclude(responds_to__kind=EventKind.RESIGNATION_OFFERED).exists()
    assert not outcomes.exclude(responds_to__person=F("person")).exists()
    assert not outcomes.filter(responds_to__occurred_on__gt=F("occurred_on")).exists()


def test_the_command_refuses_a_database_that_already_holds_a_dataset():
    call_command("generate_dataset", "--scale", str(SMALL), "--no-progress", stdout=io.StringIO())
    with pytest.raises(CommandError, match="already holds"):
        call_command("generate_dataset", "--scale", str(SMALL), "--no-progress")
