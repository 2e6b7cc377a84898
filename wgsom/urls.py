"""Root URLs: each part of the site is one include, owned by its app."""

from django.contrib import admin
from django.urls import include, path, re_path

from accounts.views import set_language
from compliance.views import LegacyImplementationRedirect
from core.api.errors import not_found as api_not_found
from core.health import healthz
from public.urls import feed_urls, meeting_urls, recommendation_urls, state_urls
from public.views import home

admin.site.site_header = "WGSOM Recommendations Tracker"
admin.site.site_title = "WGSOM Tracker administration"
admin.site.index_title = "Secretariat administration"

urlpatterns = [
    # Public pages: the dashboard, recommendations, themes, search.
    path("", home, name="home"),
    path("", include(recommendation_urls)),
    path("meetings/", include(meeting_urls)),
    path("states/", include(state_urls)),
    path("implementation/", include("compliance.urls")),
    # The implementation pages lived under /compliance/ before they were renamed: old links
    # and bookmarks land on the same page (permanent, query string kept).
    re_path(r"^compliance/(?P<rest>.*)$", LegacyImplementationRedirect.as_view()),
    # Following the Working Group: Atom feeds and e-mail digests.
    path("feeds/", include(feed_urls)),
    path("subscriptions/", include("subscriptions.urls")),
    # Signed-in work: where sign-in lands, accounts, reporting, contact points, report import.
    path("work/", include("compliance.work_urls")),
    path("accounts/", include("accounts.urls")),
    path("reporting/", include("reporting.urls")),
    path("contact-points/", include("states.contact_point_urls")),
    path("staff/import/", include("ingest.urls")),
    path("api/v1/", include("wgsom.api_urls")),
    # Any other /api/ path (an unknown version, say) answers in JSON too.
    re_path(r"^api/", api_not_found),
    path("admin/", admin.site.urls),
    # For load balancers and monitors: JSON, 200 or 503 (core/health.py).
    path("healthz", healthz, name="healthz"),
    # Django's set_language, which also keeps a signed-in user's choice in their profile.
    path("i18n/setlang/", set_language, name="set_language"),
]
