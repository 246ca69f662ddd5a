"""python manage.py generate_dataset --scale N: a large synthetic record for benchmarks (see
accountability.datasets.generator for what each scale holds)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accountability.datasets.generator import DatasetGenerator, DatasetSize, dataset_exists


class Command(BaseCommand):
    help = (
        "Generate a synthetic record: scale 10 = 100,000 claims, 50,000 people, 1,000,000 sources, about 5,000,000 "
        "source-claim links, 200,000 accountability events; scale 1 = a tenth of that. Repeatable from --seed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="10 is the full size; fractions are allowed.")
        parser.add_argument("--seed", type=int, default=2016)
        parser.add_argument("--no-progress", action="store_true", help="No progress bars.")

    def handle(self, *args: object, scale: float, seed: int, no_progress: bool, **options: object) -> None:
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        if dataset_exists():
            raise CommandError("This database already holds a generated dataset; use a fresh database.")
        size = DatasetSize.at_scale(scale)
        self.stdout.write(
            f"Generating scale {scale:g} (seed {seed}): {size.claims:,} claims, {size.people:,} people, "
            f"{size.sources:,} sources, ~{int(size.sources * size.links_per_source):,} links, {size.events:,} events."
        )
        started = time.perf_counter()
        counts = DatasetGenerator(scale=scale, seed=seed, progress=not no_progress).generate()
        for label, count in counts.rows.items():
            self.stdout.write(f"  {label}: {count:,}")
        self.stdout.write(self.style.SUCCESS(f"Done in {time.perf_counter() - started:.0f} s."))
