"""Every write to people, organisations, posts, terms, incidents and accountability events."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from accountability.models import (
    OFFER_OUTCOME_KINDS,
    AccountabilityEvent,
    EventKind,
    Incident,
    Organisation,
    Person,
    PersonIdentifier,
    PersonName,
    PersonNameKind,
    Post,
    RecordOrigin,
    ReviewState,
    Term,
)
from accountability.recording import Actor, recording, require_sources, save_validated, unique_slug
from accountability.records import DatePrecision, normalize_name
from claims.models import Source


def system_user_get(*, username: str = "system") -> object:
    """A staff-less account that cannot log in, named as the actor of imports and seed data."""
    user, created = get_user_model().objects.get_or_create(username=username, defaults={"is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def organisation_create(
    *,
    name: str,
    kind: str,
    actor: Actor,
    country_code: str = "",
    parent: Organisation | None = None,
    wikidata_qid: str | None = None,
    slug: str | None = None,
    aliases: Sequence[str] = (),
) -> Organisation:
    with recording(actor, action="organisation_create"):
        organisation = Organisation(
            name=name,
            kind=kind,
            country_code=country_code.upper(),
            parent=parent,
            wikidata_qid=wikidata_qid or None,
            aliases=list(aliases),
            slug=slug or unique_slug(Organisation, name),
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        return save_validated(organisation)


def person_create(
    *,
    name: str,
    actor: Actor,
    variants: Sequence[str] = (),
    description: str = "",
    wikidata_qid: str | None = None,
    slug: str | None = None,
) -> Person:
    """A person with their primary name and any spelling or transliteration variants."""
    with recording(actor, action="person_create"):
        person = save_validated(
            Person(
                name=name,
                description=description,
                slug=slug or unique_slug(Person, name),
                recorded_by=actor if getattr(actor, "pk", None) else None,
            )
        )
        person_name_add(person=person, name=name, kind=PersonNameKind.PRIMARY, actor=actor)
        for variant in variants:
            person_name_add(person=person, name=variant, kind=PersonNameKind.VARIANT, actor=actor)
        if wikidata_qid:
            person_identifier_add(
                person=person, scheme=PersonIdentifier.Scheme.WIKIDATA, value=wikidata_qid, actor=actor
            )
        return person


def person_name_add(
    *, person: Person, name: str, actor: Actor, kind: str = PersonNameKind.VARIANT, language: str = ""
) -> PersonName:
    """Add a way of writing the person's name; adding a spelling already known is a no-op."""
    normalized = normalize_name(name)
    if not normalized:
        raise ValidationError({"name": "A name needs at least one letter or digit."})
    with recording(actor, action="person_name_add"):
        existing = PersonName.objects.filter(person=person, normalized=normalized).first()
        if existing is not None:
            return existing
        return save_validated(
            PersonName(person=person, name=name.strip(), normalized=normalized, kind=kind, language=language)
        )


def person_identifier_add(*, person: Person, scheme: str, value: str, actor: Actor) -> PersonIdentifier:
    with recording(actor, action="person_identifier_add"):
        return save_validated(PersonIdentifier(person=person, scheme=scheme, value=value.strip()))


def post_create(
    *, organisation: Organisation, title: str, actor: Actor, slug: str | None = None, aliases: Sequence[str] = ()
) -> Post:
    with recording(actor, action="post_create"):
        return save_validated(
            Post(
                organisation=organisation,
                title=title,
                aliases=list(aliases),
                slug=slug or unique_slug(Post, f"{title} {organisation.name}"),
                recorded_by=actor if getattr(actor, "pk", None) else None,
            )
        )


def term_record(
    *,
    person: Person,
    post: Post,
    started_on: datetime.date,
    sources: Iterable[Source],
    actor: Actor,
    started_on_precision: str = DatePrecision.DAY,
    ended_on: datetime.date | None = None,
    ended_on_precision: str = "",
    end_reason: str = "",
) -> Term:
    """Record that a person held a post; an end date needs its precision, and a reason may say how it ended."""
    listed_sources = require_sources(sources)
    if ended_on and not ended_on_precision:
        ended_on_precision = DatePrecision.DAY
    with recording(actor, action="term_record"):
        term = save_validated(
            Term(
                person=person,
                post=post,
                started_on=started_on,
                started_on_precision=started_on_precision,
                ended_on=ended_on,
                ended_on_precision=ended_on_precision,
                end_reason=end_reason,
                recorded_by=actor if getattr(actor, "pk", None) else None,
            )
        )
        term.sources.add(*listed_sources)
        return term


def term_end(
    *,
    term: Term,
    ended_on: datetime.date,
    end_reason: str,
    sources: Iterable[Source],
    actor: Actor,
    ended_on_precision: str = DatePrecision.DAY,
) -> Term:
    listed_sources = require_sources(sources)
    with recording(actor, action="term_end"):
        term.ended_on = ended_on
        term.ended_on_precision = ended_on_precision
        term.end_reason = end_reason
        save_validated(term)
        term.sources.add(*listed_sources)
        return term


def incident_record(
    *,
    name: str,
    occurred_on: datetime.date,
    sources: Iterable[Source],
    actor: Actor,
    description: str = "",
    location: str = "",
    country_code: str = "",
    occurred_on_precision: str = DatePrecision.DAY,
    deaths: int | None = None,
    injuries: int | None = None,
    slug: str | None = None,
) -> Incident:
    listed_sources = require_sources(sources)
    with recording(actor, action="incident_record"):
        incident = save_validated(
            Incident(
                name=name,
                slug=slug or unique_slug(Incident, name),
                description=description,
                location=location,
                country_code=country_code.upper(),
                occurred_on=occurred_on,
                occurred_on_precision=occurred_on_precision,
                deaths=deaths,
                injuries=injuries,
                recorded_by=actor if getattr(actor, "pk", None) else None,
            )
        )
        incident.sources.add(*listed_sources)
        return incident


def accountability_event_record(
    *,
    kind: str,
    person: Person,
    occurred_on: datetime.date,
    sources: Iterable[Source],
    actor: Actor,
    post: Post | None = None,
    incident: Incident | None = None,
    decided_by: Person | None = None,
    responds_to: AccountabilityEvent | None = None,
    summary: str = "",
    occurred_on_precision: str = DatePrecision.DAY,
    origin: str = RecordOrigin.EDITOR,
    review_state: str = ReviewState.CONFIRMED,
    evidence_sentence: str = "",
) -> AccountabilityEvent:
    """Record any accountability event. Offers and their outcomes have their own services below."""
    listed_sources = require_sources(sources)
    if responds_to is not None:
        _check_outcome_answers_offer(offer=responds_to, person=person, occurred_on=occurred_on)
    with recording(actor, action=f"event_record:{kind}"):
        event = save_validated(
            AccountabilityEvent(
                kind=kind,
                person=person,
                post=post,
                incident=incident,
                occurred_on=occurred_on,
                occurred_on_precision=occurred_on_precision,
                decided_by=decided_by,
                responds_to=responds_to,
                summary=summary,
                origin=origin,
                review_state=review_state,
                evidence_sentence=evidence_sentence,
                recorded_by=actor if getattr(actor, "pk", None) else None,
            )
        )
        event.sources.add(*listed_sources)
        return event


def _check_outcome_answers_offer(*, offer: AccountabilityEvent, person: Person, occurred_on: datetime.date) -> None:
    if offer.kind != EventKind.RESIGNATION_OFFERED:
        raise ValidationError({"responds_to": "An outcome must answer a resignation offer."})
    if offer.person_id != person.pk:
        raise ValidationError({"responds_to": "An outcome must answer an offer by the same person."})
    if occurred_on < offer.occurred_on:
        raise ValidationError(
            {"occurred_on": f"The outcome cannot precede the offer it answers (offered on {offer.occurred_on})."}
        )
    live_outcome = offer.outcomes.exclude(review_state=ReviewState.REJECTED).first()
    if live_outcome is not None:
        raise ValidationError(
            {"responds_to": f"This offer already has an outcome: {live_outcome.get_kind_display().lower()}."}
        )


def resignation_offer_record(
    *,
    person: Person,
    occurred_on: datetime.date,
    sources: Iterable[Source],
    actor: Actor,
    post: Post | None = None,
    incident: Incident | None = None,
    summary: str = "",
    occurred_on_precision: str = DatePrecision.DAY,
) -> AccountabilityEvent:
    return accountability_event_record(
        kind=EventKind.RESIGNATION_OFFERED,
        person=person,
        post=post,
        incident=incident,
        occurred_on=occurred_on,
        occurred_on_precision=occurred_on_precision,
        summary=summary,
        sources=sources,
        actor=actor,
    )


def resignation_offer_decide(
    *,
    offer: AccountabilityEvent,
    outcome: str,
    occurred_on: datetime.date,
    sources: Iterable[Source],
    actor: Actor,
    decided_by: Person | None = None,
    summary: str = "",
    occurred_on_precision: str = DatePrecision.DAY,
) -> AccountabilityEvent:
    """Record what became of a resignation offer: refused or accepted by someone, or withdrawn by the person."""
    if outcome not in OFFER_OUTCOME_KINDS:
        raise ValidationError({"outcome": f"Choose one of: {', '.join(str(kind) for kind in OFFER_OUTCOME_KINDS)}."})
    if outcome == EventKind.RESIGNATION_WITHDRAWN:
        decided_by = offer.person
    elif decided_by is None:
        raise ValidationError({"decided_by": "Name who refused or accepted the offer."})
    return accountability_event_record(
        kind=outcome,
        person=offer.person,
        post=offer.post,
        incident=offer.incident,
        occurred_on=occurred_on,
        occurred_on_precision=occurred_on_precision,
        decided_by=decided_by,
        responds_to=offer,
        summary=summary,
        sources=sources,
        actor=actor,
    )


def demo_editor_ensure(*, username: str, password: str) -> object:
    """A staff account with the publisher role (review, edit, publish, merge), for trying the product locally."""
    from accountability.roles import PUBLISHER, role_assign

    user, _ = get_user_model().objects.get_or_create(username=username, defaults={"is_staff": True})
    user.is_staff = True
    user.is_active = True
    user.set_password(password)
    user.save()
    return role_assign(user, PUBLISHER)
