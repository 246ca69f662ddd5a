"""The web entry points answer over real HTTP requests through Django's stack."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_home_page_tells_the_demo_story(client, demo_story, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Jan Jambon" in page
    assert "Koen Geens" in page
    assert "Refused" in page
    assert "Charles Michel" in page
    assert "31 dead, 300 injured" in page


def test_home_page_hides_unpublished_records(client, demo_story):
    from claims.models import Claim

    Claim.objects.filter(slug__startswith="belgium-ignored").update(is_published=False)
    assert "ignored Turkey" not in client.get("/").content.decode()


def test_admin_login_page_answers(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
