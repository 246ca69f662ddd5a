"""Linking benchmark: N realistic articles against a large record (default 100,000 claims, 10,000 people).

    .venv/bin/python bench/linking.py [--claims 100000] [--people 10000] [--articles 300]

Runs the code a Celery worker runs for each new source (store the source, recognise people and posts, propose
events, retrieve and score claims, store links) in this process, and prints articles per second, p50/p95 per
article and the process's peak memory. The record lives in its own database (``<name>_bench``): the dataset of
``manage.py generate_dataset`` when that database holds one (bench/README.md), otherwise a simpler record generated
here once with a fixed seed; later runs reuse it. The articles and everything they produce are removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FIRST_NAMES = [
    "Jan",
    "Koen",
    "Charles",
    "Sophie",
    "Marie",
    "Ahmed",
    "Fatima",
    "Pieter",
    "Elke",
    "Luc",
    "Hilde",
    "Jean",
    "Claire",
    "Mohamed",
    "Yasmine",
    "Bart",
    "Annelies",
    "Didier",
    "Laurence",
    "Karim",
    "Nadia",
    "Tom",
    "Sarah",
    "Ibrahim",
    "Olivier",
    "Veerle",
    "Geert",
    "Ines",
    "Hugo",
    "Lotte",
]
LAST_NAMES = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De",
    "Smet",
    "Dubois",
    "Lambert",
    "Dupont",
    "Martin",
    "Simon",
    "Laurent",
    "Leroy",
    "El",
    "Amrani",
    "Benali",
    "Vermeulen",
    "Van",
    "Damme",
    "Desmet",
    "Michiels",
    "Hermans",
    "Lemmens",
    "Cools",
    "Aerts",
    "Bakraoui",
    "Haddad",
    "Tahiri",
]
COUNTRIES = ["Belgium", "France", "Netherlands", "Germany", "Spain", "Italy", "Turkey", "Greece", "Poland", "Sweden"]
POSTS = [
    "Minister of the Interior",
    "Minister of Justice",
    "Prime Minister",
    "Minister of Defence",
    "Minister of Health",
    "Minister of Transport",
    "Minister of Finance",
    "Head of Police",
    "Mayor",
]
TOPICS = [
    "the airport security checks",
    "the prison release",
    "the flood defences",
    "the hospital waiting lists",
    "the train signalling failure",
    "the border controls",
    "the bridge inspection",
    "the pension fund",
    "the intelligence warnings",
    "the vaccine procurement",
    "the tax audit",
    "the arms export licence",
    "the police raid",
    "the water contamination",
    "the election count",
    "the stadium crush",
]
CLAIM_TEMPLATES = [
    "{org} ignored warnings about {topic} months before the {incident}.",
    "{person} knew about {topic} and did nothing before the {incident}.",
    "The {incident} could have been prevented if {org} had acted on {topic}.",
    "{person} misled parliament about {topic} after the {incident}.",
    "{org} cut the budget for {topic} two years before the {incident}.",
    "{person} was warned {number} times about {topic}.",
    "Officials at {org} deleted reports on {topic} after the {incident}.",
    "{number} staff were assigned to {topic} when the {incident} happened.",
]
FILLER = [
    "The government met in emergency session on {day}.",
    "Opposition parties demanded a full explanation in parliament.",
    "Residents described scenes of confusion in the hours that followed.",
    "Security was stepped up at train stations across the country.",
    "A spokesperson declined to comment further on the matter.",
    "The newspaper said it had seen internal documents.",
]


def configure_database() -> None:
    from config import runtime

    runtime.start_embedded_servers()
    base = os.environ.get("DATABASE_URL") or runtime.embedded_postgres().url()
    root, name = base.rsplit("/", 1)
    os.environ["DATABASE_URL"] = f"{root}/{name.split('?')[0]}_bench"
    import psycopg

    admin_url = f"{root}/postgres".replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin_url, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [f"{name}_bench"]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}_bench"')
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["ACCOUNTABILITY_START_EMBEDDED"] = "0"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate_record(*, claims: int, people: int, rng: random.Random) -> None:
    import datetime

    from accountability.models import (
        Incident,
        Organisation,
        OrganisationKind,
        Person,
        PersonName,
        Post,
        Term,
    )
    from accountability.records import normalize_name
    from claims.models import Claim

    if Claim.objects.count() >= claims and Person.objects.count() >= people:
        return
    print(f"generating {claims} claims and {people} people (once; kept in the bench database)...", flush=True)
    started = time.perf_counter()
    countries = [
        Organisation(name=country, slug=f"country-{i}", kind=OrganisationKind.COUNTRY)
        for i, country in enumerate(COUNTRIES)
    ]
    Organisation.objects.bulk_create(countries)
    governments = [
        Organisation(
            name=f"Government of {c.name}",
            slug=f"government-{i}",
            kind=OrganisationKind.GOVERNMENT,
            parent=c,
            aliases=[f"{c.name} government"],
        )
        for i, c in enumerate(countries)
    ]
    Organisation.objects.bulk_create(governments)
    agencies = [
        Organisation(
            name=f"{rng.choice(['National', 'Federal', 'Regional'])} {kind} Agency {i}",
            slug=f"agency-{i}",
            kind=OrganisationKind.AGENCY,
            parent=rng.choice(governments),
        )
        for i, kind in enumerate(rng.choice(["Police", "Health", "Transport", "Water", "Prison"]) for _ in range(400))
    ]
    Organisation.objects.bulk_create(agencies)
    organisations = governments + agencies
    posts = [
        Post(title=title, slug=f"post-{i}-{j}", organisation=government)
        for i, government in enumerate(governments)
        for j, title in enumerate(POSTS)
    ]
    Post.objects.bulk_create(posts)
    person_rows, name_rows = [], []
    for i in range(people):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {i:05d}"
        person_rows.append(Person(name=name, slug=f"person-{i}"))
    Person.objects.bulk_create(person_rows, batch_size=5000)
    for person in person_rows:
        name_rows.append(
            PersonName(person=person, name=person.name, normalized=normalize_name(person.name), kind="primary")
        )
        variant = person.name.replace("ou", "w").replace("ae", "a")
        if normalize_name(variant) != normalize_name(person.name):
            name_rows.append(
                PersonName(person=person, name=variant, normalized=normalize_name(variant), kind="variant")
            )
    PersonName.objects.bulk_create(name_rows, batch_size=5000)
    Term.objects.bulk_create(
        [
            Term(person=person_rows[i], post=post, started_on=datetime.date(2010 + i % 10, 1, 1))
            for i, post in enumerate(posts)
        ]
    )
    incidents = [
        Incident(
            name=f"{rng.choice(['bombing', 'flood', 'crash', 'outbreak', 'collapse'])} of {2000 + i % 25}",
            slug=f"incident-{i}",
            occurred_on=datetime.date(2000 + i % 25, 1 + i % 12, 1 + i % 28),
        )
        for i in range(2000)
    ]
    Incident.objects.bulk_create(incidents)
    claimants = organisations
    rows = []
    for i in range(claims):
        template = rng.choice(CLAIM_TEMPLATES)
        text = template.format(
            org=rng.choice(organisations).name,
            person=rng.choice(person_rows).name,
            topic=rng.choice(TOPICS),
            incident=rng.choice(incidents).name,
            number=rng.randint(2, 40),
        )
        rows.append(
            Claim(
                text=text,
                slug=f"bench-claim-{i}",
                claimant_organisation=rng.choice(claimants),
                incident=rng.choice(incidents),
                first_made_on=datetime.date(2000 + i % 25, 1 + i % 12, 1),
            )
        )
    Claim.objects.bulk_create(rows, batch_size=5000)
    print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)


def make_articles(count: int, rng: random.Random) -> list[str]:
    from accountability.models import Person
    from claims.models import Claim

    claim_texts = list(Claim.objects.order_by("?").values_list("text", flat=True)[: count * 3])
    names = list(Person.objects.order_by("?").values_list("name", flat=True)[: count * 3])
    articles = []
    for i in range(count):
        sentences = []
        for claim_text in claim_texts[i * 3 : i * 3 + 3]:
            sentences.append(f"Critics said that {claim_text[0].lower()}{claim_text[1:]}")
        sentences.append(
            f"{names[i * 3]} offered to resign on Thursday, but the offer was turned down by {names[i * 3 + 1]}."
        )
        sentences.append(f"{names[i * 3 + 2]} accepted political responsibility for the failures.")
        sentences += [rng.choice(FILLER).format(day="Thursday") for _ in range(10)]
        rng.shuffle(sentences)
        articles.append(" ".join(sentences))
    return articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2016)
    options = parser.parse_args()
    configure_database()
    rng = random.Random(options.seed)
    from accountability.datasets.generator import dataset_exists

    if dataset_exists():
        from accountability.models import Person
        from claims.models import Claim

        print(
            f"using the generated dataset (manage.py generate_dataset): {Claim.objects.count():,} claims, "
            f"{Person.objects.count():,} people",
            flush=True,
        )
    else:
        generate_record(claims=options.claims, people=options.people, rng=rng)

    from django.db import transaction

    from accountability.models import AccountabilityEvent
    from claims.linking.claim_index import current_ranker
    from claims.linking.entities import current_name_index
    from claims.linking.service import source_link_by_id
    from claims.models import Source
    from claims.services import source_record

    started = time.perf_counter()
    ranker = current_ranker()
    current_name_index()
    print(
        f"index ready in {time.perf_counter() - started:.1f} s: {len(ranker.index)} claims, "
        f"embeddings {'on' if ranker.uses_embeddings else 'off'}",
        flush=True,
    )
    articles = make_articles(options.articles, rng)
    created: list[int] = []
    timings = []
    links = events = 0
    try:
        warm_up = articles[:5]
        for text in warm_up + articles:
            begin = time.perf_counter()
            with transaction.atomic():
                source, _ = source_record(actor=None, text=text, language="en")
            result = source_link_by_id(source_id=source.pk)
            elapsed = time.perf_counter() - begin
            created.append(source.pk)
            if len(created) > len(warm_up):
                timings.append(elapsed)
                links += result.links_suggested + result.links_auto_confirmed
                events += result.events_proposed
    finally:
        AccountabilityEvent.objects.filter(sources__in=created, responds_to__isnull=False).delete()
        AccountabilityEvent.objects.filter(sources__in=created).delete()
        Source.objects.filter(pk__in=created).delete()
    total = sum(timings)
    quantiles = statistics.quantiles(timings, n=100)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"articles: {len(timings)} ({len(articles[0].split('. '))} sentences each), links stored {links}, "
        f"events proposed {events}"
    )
    print(f"articles/second: {len(timings) / total:.1f}")
    print(f"per article: p50 {quantiles[49] * 1000:.1f} ms, p95 {quantiles[94] * 1000:.1f} ms")
    print(f"peak memory (RSS) of the linking process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
