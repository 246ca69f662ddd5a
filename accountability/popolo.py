"""The published people, organisations, posts and terms of office as one Popolo document
(https://www.popoloproject.com/specs/): persons, organizations, posts and memberships, ids being the slugs.

Read with a handful of flat queries (values, no model instances), so the export stays cheap at tens of thousands of
people.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from accountability.models import Organisation, Person, PersonIdentifier, PersonName, Post, Term


def _date(value: datetime.date | None, precision: str) -> str | None:
    """Popolo dates are ISO 8601 with the precision known: 2016, 2016-03 or 2016-03-24."""
    if value is None:
        return None
    return {"year": value.strftime("%Y"), "month": value.strftime("%Y-%m")}.get(precision, value.isoformat())


def popolo_export() -> dict[str, Any]:
    people = Person.objects.filter(is_published=True, merged_into__isnull=True)
    organisations = Organisation.objects.filter(is_published=True, merged_into__isnull=True)
    posts = Post.objects.filter(is_published=True, organisation__in=organisations)
    terms = Term.objects.filter(is_published=True, person__in=people, post__in=posts)

    other_names: dict[int, list[dict[str, str]]] = defaultdict(list)
    for person_id, name, kind in (
        PersonName.objects.filter(person__in=people).exclude(kind="primary").values_list("person_id", "name", "kind")
    ):
        other_names[person_id].append({"name": name, "note": kind})
    identifiers: dict[int, list[dict[str, str]]] = defaultdict(list)
    for person_id, scheme, value in PersonIdentifier.objects.filter(person__in=people).values_list(
        "person_id", "scheme", "value"
    ):
        identifiers[person_id].append({"scheme": scheme, "identifier": value})

    organisation_slugs = dict(organisations.values_list("pk", "slug"))
    person_slugs = dict(people.values_list("pk", "slug"))
    post_rows = list(posts.values("pk", "slug", "title", "organisation_id", "aliases"))
    post_slugs = {row["pk"]: row["slug"] for row in post_rows}
    post_organisation = {row["pk"]: row["organisation_id"] for row in post_rows}

    return {
        "persons": [
            {
                "id": row["slug"],
                "name": row["name"],
                **({"summary": row["description"]} if row["description"] else {}),
                "other_names": other_names.get(row["pk"], []),
                "identifiers": identifiers.get(row["pk"], []),
            }
            for row in people.order_by("pk").values("pk", "slug", "name", "description")
        ],
        "organizations": [
            {
                "id": row["slug"],
                "name": row["name"],
                "classification": row["kind"],
                "parent_id": organisation_slugs.get(row["parent_id"]),
                "other_names": [{"name": alias} for alias in row["aliases"]],
                **({"area_id": row["country_code"]} if row["country_code"] else {}),
                **(
                    {"identifiers": [{"scheme": "wikidata", "identifier": row["wikidata_qid"]}]}
                    if row["wikidata_qid"]
                    else {}
                ),
            }
            for row in organisations.order_by("pk").values(
                "pk", "slug", "name", "kind", "parent_id", "aliases", "country_code", "wikidata_qid"
            )
        ],
        "posts": [
            {
                "id": row["slug"],
                "label": row["title"],
                "organization_id": organisation_slugs[row["organisation_id"]],
                "other_label": row["aliases"],
            }
            for row in post_rows
        ],
        "memberships": [
            {
                "id": f"term-{row['pk']}",
                "person_id": person_slugs[row["person_id"]],
                "post_id": post_slugs[row["post_id"]],
                "organization_id": organisation_slugs[post_organisation[row["post_id"]]],
                "start_date": _date(row["started_on"], row["started_on_precision"]),
                **({"end_date": _date(row["ended_on"], row["ended_on_precision"] or "day")} if row["ended_on"] else {}),
                **({"end_reason": row["end_reason"]} if row["end_reason"] else {}),
            }
            for row in terms.order_by("pk").values(
                "pk",
                "person_id",
                "post_id",
                "started_on",
                "started_on_precision",
                "ended_on",
                "ended_on_precision",
                "end_reason",
            )
        ],
    }
