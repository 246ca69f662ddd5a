"""Linking benchmark: N realistic articles against a large record (default 100,000 claims, 10,000 people).

    .venv/bin/python bench/linking.py [--claims 100000] [--people 10000] [--articles 300] [--processes 2]
                                      [--batch-size 32]

Stores each article as the intake does, then runs the code a Celery worker runs for each source's linking task, in
arrival order (a task takes the sources still waiting with its own: recognise people and posts, propose events,
retrieve and score claims, store links), and prints articles per second end to end, the time of storing and of
linking per article, the p50/p95 of the tasks that linked a batch, and the process's peak memory. The record lives
in its own database (``<name>_bench``): the dataset of ``manage.py generate_dataset`` when that database holds one
(bench/README.md), otherwise a simpler record generated here once with a fixed seed; later runs reuse it.
The articles and everything they produce are removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
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


SYLLABLES = ["va", "ker", "dro", "mi", "sel", "tov", "ra", "ben", "lu", "gor", "fi", "zan", "hel", "ost", "pe"]


def people_with_unique_names(count: int, rng: random.Random) -> list[str]:
    """Names of ``count`` people nobody else in the record is called (created once, kept): the generated
    record reuses a small pool of names, and a name several people share is rightly left unresolved."""
    from accountability.models import Person, PersonName
    from accountability.records import normalize_name

    named = Person.objects.filter(slug__startswith="bench-named-").order_by("id")
    existing = list(named.values_list("name", flat=True))
    if len(existing) < count:
        new_people = []
        for i in range(len(existing), count):
            # Two random syllables, then the number spelled in syllables: unique, and a word like any surname.
            surname = "".join(rng.choice(SYLLABLES) for _ in range(2)) + "".join(SYLLABLES[int(d)] for d in str(i))
            new_people.append(Person(name=f"{rng.choice(FIRST_NAMES)} {surname.capitalize()}", slug=f"bench-named-{i}"))
        Person.objects.bulk_create(new_people)
        PersonName.objects.bulk_create(
            PersonName(person=p, name=p.name, normalized=normalize_name(p.name), kind="primary") for p in new_people
        )
        existing += [person.name for person in new_people]
    return existing[:count]


def make_articles(count: int, rng: random.Random) -> list[str]:
    from claims.models import Claim

    claim_texts = list(Claim.objects.order_by("?").values_list("text", flat=True)[: count * 3])
    names = people_with_unique_names(count * 3, rng)
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


def link_articles(texts: list[str]) -> tuple[list[float], list[float], list[float], int, int, float, int]:
    """Ingest the texts as the intake does, then run each source's linking task in arrival order, as a worker
    drains its queue (a task links the sources still waiting with its own; a later task finds its source done).

    Returns the seconds of each source's storing, of each linking task and of each task that linked a batch, the
    links and events stored, and the seconds spent computing re-ranking vectors of claims seen for the first time
    and how many such claims."""
    from django.db import transaction

    from accountability.models import AccountabilityEvent
    from claims.linking.batches import source_link_by_id
    from claims.matching.second_encoder import SecondEncoder
    from claims.models import ClaimLink, Source
    from claims.services import source_record

    first_time = {"seconds": 0.0, "claims": 0}
    original_passages = SecondEncoder.passages

    def timed_passages(self: SecondEncoder, passages: list[str]):  # type: ignore[no-untyped-def]
        begin = time.perf_counter()
        try:
            return original_passages(self, passages)
        finally:
            first_time["seconds"] += time.perf_counter() - begin
            first_time["claims"] += len(passages)

    SecondEncoder.passages = timed_passages  # type: ignore[method-assign]
    created: list[int] = []
    storing: list[float] = []
    tasks: list[float] = []
    batches: list[float] = []
    links = events = 0
    try:
        for text in texts:
            begin = time.perf_counter()
            with transaction.atomic():
                source, _ = source_record(actor=None, text=text, language="en")
            storing.append(time.perf_counter() - begin)
            created.append(source.pk)
        for source_id in created:
            begin = time.perf_counter()
            result = source_link_by_id(source_id=source_id)
            tasks.append(time.perf_counter() - begin)
            if result.sentences:  # it linked a batch (a task whose source was done links nothing)
                batches.append(tasks[-1])
        links = ClaimLink.objects.filter(source_id__in=created).count()
        events = AccountabilityEvent.objects.filter(sources__in=created).distinct().count()
    finally:
        AccountabilityEvent.objects.filter(sources__in=created, responds_to__isnull=False).delete()
        AccountabilityEvent.objects.filter(sources__in=created).delete()
        Source.objects.filter(pk__in=created).delete()
        SecondEncoder.passages = original_passages  # type: ignore[method-assign]
    return storing, tasks, batches, links, events, first_time["seconds"], first_time["claims"]


def worker_process(texts: list[str], warm_up: list[str], ready, start, results) -> None:  # type: ignore[no-untyped-def]
    """One linking process (a Celery worker child): load the indexes, warm up, wait for the start, link."""
    import django
    from django.db import connections

    from claims.matching.embedding import THREADS_ENV_VARIABLE

    os.environ[THREADS_ENV_VARIABLE] = "1"  # one encoder thread per process, as in a worker child
    connections.close_all()  # the parent's connection is not shared across fork
    django.setup()
    from claims.linking.claim_index import current_ranker
    from claims.linking.entities import current_name_index

    current_ranker()
    current_name_index()
    link_articles(warm_up)
    ready.release()
    start.wait()
    results.put(link_articles(texts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--processes", type=int, default=1, help="linking processes at once (Celery worker children)")
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument(
        "--batch-size", type=int, default=None, help="sources one linking task may take (MATCHER_LINKING_BATCH_SIZE)"
    )
    options = parser.parse_args()
    if options.batch_size:
        os.environ["MATCHER_LINKING_BATCH_SIZE"] = str(options.batch_size)
    configure_database()
    from django.conf import settings

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

    from claims.linking.claim_index import current_ranker
    from claims.linking.entities import current_name_index

    # The articles first: the people they name are created the first time, and the name index built below must
    # know them (a worker looks for new names at most every MATCHER_INDEX_CHECK_SECONDS).
    articles = make_articles(options.articles + 5 * options.processes, rng)
    started = time.perf_counter()
    ranker = current_ranker()
    current_name_index()
    print(
        f"index ready in {time.perf_counter() - started:.1f} s: {len(ranker.index)} claims, "
        f"embeddings {'on' if ranker.uses_embeddings else 'off'}, "
        f"re-ranking {'on' if ranker.second_stage and ranker.second_stage.uses_encoder else 'off'}",
        flush=True,
    )
    warm_ups = [articles[i * 5 : i * 5 + 5] for i in range(options.processes)]
    articles = articles[5 * options.processes :]
    shares = [articles[i :: options.processes] for i in range(options.processes)]
    if options.processes == 1:
        link_articles(warm_ups[0])
        begin = time.perf_counter()
        outcomes = [link_articles(shares[0])]
    else:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        ready, start, results = context.Semaphore(0), context.Event(), context.Queue()
        workers = [
            context.Process(target=worker_process, args=(share, warm_up, ready, start, results))
            for share, warm_up in zip(shares, warm_ups, strict=True)
        ]
        for worker in workers:
            worker.start()
        for _ in workers:
            ready.acquire()
        begin = time.perf_counter()
        start.set()
        outcomes = [results.get() for _ in workers]
        for worker in workers:
            worker.join()
    wall = time.perf_counter() - begin
    storing = [seconds for outcome in outcomes for seconds in outcome[0]]
    tasks = [seconds for outcome in outcomes for seconds in outcome[1]]
    busy_tasks = [seconds for outcome in outcomes for seconds in outcome[2]]
    links = sum(outcome[3] for outcome in outcomes)
    events = sum(outcome[4] for outcome in outcomes)
    first_time_seconds = sum(outcome[5] for outcome in outcomes)
    first_time_claims = sum(outcome[6] for outcome in outcomes)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    count = len(storing)
    print(
        f"articles: {count} ({len(articles[0].split('. '))} sentences each) in {options.processes} process(es), "
        f"batch size {settings.MATCHER_LINKING_BATCH_SIZE}; links stored {links}, events proposed {events}"
    )
    print(f"articles/second end to end (stored and linked): {count / wall:.1f}")
    print(
        f"storing a source: p50 {percentile(storing, 50) * 1000:.1f} ms, p95 {percentile(storing, 95) * 1000:.1f} ms"
        f" ({sum(storing):.1f} s in all)"
    )
    print(
        f"linking: {sum(tasks):.1f} s in all, {sum(tasks) / count * 1000:.1f} ms per article; {len(busy_tasks)} tasks"
        f" linked a batch (p50 {percentile(busy_tasks, 50) * 1000:.0f} ms, p95 {percentile(busy_tasks, 95) * 1000:.0f}"
        f" ms), {count - len(busy_tasks)} found their source already linked"
    )
    steady = (sum(storing) + sum(tasks) - first_time_seconds) / count
    print(
        f"re-ranking vectors computed for claims met the first time: {first_time_claims} claims, "
        f"{first_time_seconds:.1f} s; without them: {steady * 1000:.1f} ms per article "
        f"({options.processes / steady:.1f} articles/s)"
    )
    print(f"peak memory (RSS) of a linking process: {max(peak_mb, children_peak_mb):.0f} MB")


def percentile(values: list[float], percent: int) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


if __name__ == "__main__":
    main()
