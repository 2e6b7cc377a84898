"""Atom feeds for followers: newly adopted recommendations (all, by theme, by meeting) and each
State's validated reports. Valid Atom, bounded, stable ids, a fixed number of queries, and
never an unpublished report."""

from __future__ import annotations

import datetime

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Recommendation, Theme
from states.models import State
from tests.factories import (
    DraftReportFactory,
    ImplementationReportFactory,
    MeetingFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.usefixtures("wgsom")


def parse(client, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def entry_links(feed) -> set[str]:
    return {entry.link for entry in feed.entries}


def detail(recommendation: Recommendation) -> str:
    return "http://testserver" + reverse("recommendations:detail", args=[recommendation.pk])


@pytest.fixture
def technology() -> Theme:
    return Theme.objects.get(slug="technology")


def test_the_adopted_recommendations_feed_lists_a_new_adoption_first(client, technology):
    new = RecommendationFactory(themes=[technology], text="Share routes with neighbours.")
    draft = RecommendationFactory(status=Recommendation.Status.DRAFT)

    feed = parse(client, reverse("feeds:recommendations"))

    first = feed.entries[0]
    assert first.link == detail(new)
    assert "Share routes with neighbours." in first.summary
    assert [tag.term for tag in first.tags] == [technology.name]
    assert first.updated_parsed and first.published_parsed
    assert detail(draft) not in entry_links(feed)
    assert feed.feed.link.endswith(reverse("recommendations:list") + "?status=adopted")
    assert feed.feed.author == "WGSOM Recommendations Tracker"
    assert feed.feed.id.endswith(":feeds/recommendations")


def test_feeds_hold_at_most_the_configured_number_of_entries(client, settings):
    settings.FEEDS_MAX_ENTRIES = 5
    assert Recommendation.objects.filter(status="adopted").count() > 5

    feed = parse(client, reverse("feeds:recommendations"))

    assert len(feed.entries) == 5


def test_an_entry_keeps_its_id_when_its_text_is_corrected(client, settings):
    settings.SITE_URL = "https://wgsom.example.org"
    recommendation = RecommendationFactory()
    before = parse(client, reverse("feeds:recommendations")).entries[0]

    recommendation.text = "A corrected text."
    recommendation.save()
    after = parse(client, reverse("feeds:recommendations")).entries[0]

    assert (
        before.id == after.id == f"tag:wgsom.example.org,2012:recommendations/{recommendation.pk}"
    )
    assert after.summary == "A corrected text."
    assert after.updated_parsed >= before.updated_parsed


def test_a_draft_adopted_later_is_new_when_it_is_adopted(client):
    recommendation = RecommendationFactory(status=Recommendation.Status.DRAFT)
    assert detail(recommendation) not in entry_links(
        parse(client, reverse("feeds:recommendations"))
    )

    recommendation.status = Recommendation.Status.ADOPTED
    recommendation.save()

    assert parse(client, reverse("feeds:recommendations")).entries[0].link == detail(recommendation)


def test_a_theme_feed_lists_only_that_themes_adopted_recommendations(client, technology):
    other_theme = Theme.objects.exclude(pk=technology.pk).first()
    on_theme = RecommendationFactory(themes=[technology])
    off_theme = RecommendationFactory(themes=[other_theme])

    feed = parse(client, reverse("feeds:theme", args=["technology"]))

    assert detail(on_theme) in entry_links(feed)
    assert detail(off_theme) not in entry_links(feed)
    assert all(technology.name in [tag.term for tag in entry.tags] for entry in feed.entries)
    assert technology.name in feed.feed.title


def test_a_meeting_feed_lists_that_meetings_adopted_recommendations(client):
    meeting = MeetingFactory()
    adopted = RecommendationFactory(meeting=meeting)
    proposed = RecommendationFactory(
        meeting=meeting, status=Recommendation.Status.PROPOSED, proposer=State.objects.first()
    )
    elsewhere = RecommendationFactory()

    feed = parse(client, reverse("feeds:meeting", args=[meeting.ordinal]))

    assert entry_links(feed) == {detail(adopted)}
    assert detail(proposed) not in entry_links(feed)
    assert detail(elsewhere) not in entry_links(feed)


def test_the_seventh_meetings_feed_holds_its_adopted_recommendations(client):
    feed = parse(client, reverse("feeds:meeting", args=[7]))

    adopted = Recommendation.objects.filter(meeting__ordinal=7, status="adopted")
    assert len(feed.entries) == min(adopted.count(), 50)
    assert entry_links(feed) <= {detail(r) for r in adopted}


def test_a_state_feed_lists_validated_reports_only_and_no_review_comment(client, state_a):
    recommendation = Recommendation.objects.filter(status="adopted").first()
    validated = ImplementationReportFactory(
        state=state_a,
        recommendation=recommendation,
        status="partially_implemented",
        as_of=datetime.date(2025, 3, 14),
        review_comment="Earlier returned: please attach the decree.",
    )
    for review_state in ("draft", "submitted", "returned"):
        DraftReportFactory(
            state=state_a,
            recommendation=recommendation,
            review_state=review_state,
            status="not_implemented",
            review_comment=f"Comment on a {review_state} report",
        )

    response = client.get(reverse("feeds:state", args=[state_a.code]))
    feed = parse(client, reverse("feeds:state", args=[state_a.code]))

    assert len(feed.entries) == 1
    entry = feed.entries[0]
    assert entry.id.endswith(f":implementation-reports/{validated.pk}")
    assert "Partially implemented" in entry.title
    assert str(recommendation) in entry.title
    assert "as of March 14, 2025" in entry.summary
    page = response.content.decode()
    assert "Not implemented" not in page
    assert "Comment on a" not in page
    assert "decree" not in page
    assert state_a.name in feed.feed.title


def test_unknown_themes_meetings_and_states_have_no_feed(client):
    assert client.get(reverse("feeds:theme", args=["nope"])).status_code == 404
    assert client.get(reverse("feeds:meeting", args=[999])).status_code == 404
    assert client.get(reverse("feeds:state", args=["ZZZ"])).status_code == 404


def test_a_lower_case_state_code_finds_the_states_feed(client):
    assert parse(client, reverse("feeds:state", args=["aut"])).feed.title.endswith("Austria")


def test_feeds_cost_the_same_queries_however_much_data(
    client, growth, django_assert_max_num_queries, django_assert_num_queries
):
    growth.add(3)
    urls = {
        # 1 the newest first adoptions in the history, 1 the newest adopted rows without
        # history, 1 those recommendations with their meeting, 1 their themes
        "all": (reverse("feeds:recommendations"), 4),
        # 1 theme, 1 recommendations, 1 their themes
        "theme": (reverse("feeds:theme", args=["technology"]), 3),
        # 1 meeting, 1 recommendations, 1 their themes
        "meeting": (reverse("feeds:meeting", args=[growth.meeting.ordinal]), 3),
        # 1 State, 1 reports with their recommendation and its meeting
        "state": (reverse("feeds:state", args=["AUT"]), 2),
    }
    for url, queries in urls.values():
        with django_assert_num_queries(queries):
            client.get(url)
    growth.add(12)
    for url, queries in urls.values():
        with django_assert_max_num_queries(queries):
            assert client.get(url).status_code == 200


def test_the_followed_pages_announce_their_feed_and_offer_to_follow(client, technology):
    pages = {
        reverse("home"): reverse("feeds:recommendations"),
        reverse("recommendations:list"): reverse("feeds:recommendations"),
        reverse("recommendations:theme_detail", args=["technology"]): reverse(
            "feeds:theme", args=["technology"]
        ),
        reverse("meetings:detail", args=[7]): reverse("feeds:meeting", args=[7]),
        reverse("states:detail", args=["AUT"]): reverse("feeds:state", args=["AUT"]),
    }
    for page_url, feed_url in pages.items():
        page = client.get(page_url).content.decode()
        head = page.split("</head>")[0]
        assert '<link rel="alternate" type="application/atom+xml"' in head and feed_url in head, (
            page_url
        )
        body = page.split("</head>")[1]
        assert 'id="follow-heading"' in body, page_url
        assert f'href="{feed_url}"' in body, page_url

    theme_page = client.get(reverse("recommendations:theme_detail", args=["technology"]))
    assert reverse("subscriptions:subscribe") + "?theme=technology" in theme_page.content.decode()
    state_page = client.get(reverse("states:detail", args=["AUT"])).content.decode()
    assert reverse("subscriptions:subscribe") + "?state=AUT" in state_page
    meeting_page = client.get(reverse("meetings:detail", args=[7])).content.decode()
    assert reverse("subscriptions:subscribe") + "?meeting=7" in meeting_page


def test_entries_are_dated_when_the_tracker_recorded_them(client):
    before = timezone.now().replace(microsecond=0)
    RecommendationFactory()

    entry = parse(client, reverse("feeds:recommendations")).entries[0]

    published = datetime.datetime(*entry.published_parsed[:6], tzinfo=datetime.UTC)
    assert published >= before
