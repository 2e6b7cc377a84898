"""The home page: the headline figures and the way into the Secretariat's admin."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.usefixtures("wgsom")
def test_home_page_shows_the_loaded_figures_and_links_to_the_admin(
    client, django_assert_num_queries
):
    # recommendations by status, States by Protocol status, meetings, themes
    with django_assert_num_queries(4):
        response = client.get(reverse("home"))
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("admin:index") in page
    figures = response.context["figures"]
    assert (figures["adopted"], figures["draft"], figures["proposed"]) == (22, 16, 9)
    assert (figures["meetings"], figures["themes"]) == (9, 9)
