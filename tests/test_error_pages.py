"""The error pages, as a reader sees them with DEBUG off: in the site's frame, saying what
happened and what to do next (home, search, sign in where signing in may help, the
Secretariat); the server-error page even when the database is what failed."""

from __future__ import annotations

import pytest
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest
from django.test import Client, RequestFactory, override_settings
from django.urls import path, reverse
from django.views.defaults import server_error

from wgsom.urls import urlpatterns as site_urlpatterns


def refused(request: HttpRequest):
    raise PermissionDenied


def malformed(request: HttpRequest):
    raise BadRequest


def broken(request: HttpRequest):
    raise RuntimeError("a bug")


# The site's addresses, and three that fail on purpose.
urlpatterns = [
    *site_urlpatterns,
    path("test-errors/403/", refused),
    path("test-errors/400/", malformed),
    path("test-errors/500/", broken),
]

on_a_live_site = override_settings(DEBUG=False, ROOT_URLCONF=__name__)


def assert_offers_the_way_on(page: str) -> None:
    assert f'href="{reverse("home")}"' in page
    assert f'href="{reverse("recommendations:search")}"' in page
    assert "contact the Secretariat" in page


@on_a_live_site
@pytest.mark.django_db
def test_a_missing_page_says_so_in_the_sites_frame_and_offers_the_way_on(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page
    assert "There is no page at this address." in page
    assert 'class="site-header"' in page
    assert_offers_the_way_on(page)


@on_a_live_site
@pytest.mark.django_db
def test_a_missing_record_gets_the_same_page(client):
    response = client.get(reverse("states:detail", args=["XXX"]))

    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()


@on_a_live_site
@pytest.mark.django_db
def test_a_refused_visitor_who_has_not_signed_in_is_offered_sign_in(client):
    response = client.get("/test-errors/403/")

    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>You cannot open this page</h1>" in page
    assert f'href="{reverse("login")}?next=/test-errors/403/"' in page
    assert_offers_the_way_on(page)


@on_a_live_site
def test_a_signed_in_user_without_access_is_told_why_not_to_sign_in(client, reader):
    client.force_login(reader)

    response = client.get(reverse("report_import:upload"))

    assert response.status_code == 403
    page = response.content.decode()
    assert "Your account does not give access to this page." in page
    assert f'href="{reverse("login")}?next=' not in page
    assert_offers_the_way_on(page)


@on_a_live_site
@pytest.mark.django_db
def test_a_malformed_request_gets_a_page_that_says_what_to_do(client):
    response = client.get("/test-errors/400/")

    assert response.status_code == 400
    page = response.content.decode()
    assert "<h1>The request could not be understood</h1>" in page
    assert_offers_the_way_on(page)


@on_a_live_site
@pytest.mark.django_db
def test_a_form_sent_without_its_security_token_explains_how_to_send_it_again():
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": "x", "password": "y"})

    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>The form has expired</h1>" in page
    assert "reload the page" in page
    assert "CSRF verification failed" not in page
    assert_offers_the_way_on(page)


@on_a_live_site
@pytest.mark.django_db
def test_a_server_error_gets_the_branded_page():
    client = Client(raise_request_exception=False)

    response = client.get("/test-errors/500/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Sorry, something went wrong</h1>" in page
    assert 'class="site-header"' in page
    assert "a bug" not in page
    assert_offers_the_way_on(page)


@on_a_live_site
def test_the_server_error_page_renders_without_the_database_or_a_signed_in_user():
    # No django_db mark: any query here fails the test, as it would with the database down.
    request = RequestFactory().get("/anywhere/")

    response = server_error(request)

    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Sorry, something went wrong</h1>" in page
    assert_offers_the_way_on(page)


@override_settings(DEBUG=False, ROOT_URLCONF=__name__, SECRETARIAT_CONTACT_EMAIL="sec@example.org")
@pytest.mark.django_db
def test_the_error_pages_give_the_secretariats_address_when_one_is_set(client):
    page = client.get("/no-such-page/").content.decode()

    assert '<a href="mailto:sec@example.org">sec@example.org</a>' in page
    assert server_error(RequestFactory().get("/")).content.decode().count("mailto:sec@") == 1
