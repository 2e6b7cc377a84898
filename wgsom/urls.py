from django.contrib import admin
from django.urls import include, path

from recommendations.views import home

admin.site.site_header = "WGSOM Recommendations Tracker"
admin.site.site_title = "WGSOM Tracker administration"
admin.site.index_title = "Secretariat administration"

urlpatterns = [
    path("", home, name="home"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
