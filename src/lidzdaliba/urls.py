from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.static import serve

from lidzdaliba.api import api
from lidzdaliba.core import views as core_views

admin.site.site_header = "Līdzdalība"
admin.site.site_title = "Līdzdalība"
# The admin signs in through allauth (second factor, lockout), never its own form.
admin.site.login = login_required(admin.site.login)

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon),
    path("api/", api.urls),
    path("open311/", include("lidzdaliba.reports.open311_urls")),
    path("admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(
    path("accounts/", include("lidzdaliba.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("reports/", include("lidzdaliba.reports.urls")),
    path("submissions/", include("lidzdaliba.petitions.urls")),
    path("help/", include("lidzdaliba.socialmap.urls")),
    path("budget/", include("lidzdaliba.budgeting.urls")),
    path("", include("lidzdaliba.core.urls")),
    prefix_default_language=False,
)
if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

handler404 = "lidzdaliba.core.views.page_not_found"
handler500 = "lidzdaliba.core.views.server_error"
