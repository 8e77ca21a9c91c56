from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from backend.api.errors import json_not_found
from backend.security.views import security_txt

api_v1 = [
    path("", include("backend.accounts.rest.urls")),
    path("", include("backend.jobs.rest.urls")),
    path("", include("backend.notifications.rest.urls")),
    path("", include("courses.rest.urls")),
    path("", include("courses.h5p.rest.urls")),
    path("", include("courses.scorm.rest.urls")),
    path("", include("assessments.rest.urls")),
    path("", include("certificates.rest.urls")),
    # Anything else under /api/ is a JSON 404, in debug mode too (never an HTML page).
    re_path(r"^.*$", json_not_found),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("_allauth/", include("allauth.headless.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path(".well-known/security.txt", security_txt, name="security-txt"),
    path("", include("certificates.rest.public_urls")),
    path("", include("frontend.urls")),
]

if settings.BENCH_ENDPOINTS:  # baselines for tests/bench only; never in production
    from backend.api import bench

    urlpatterns = [
        path("bench/bare/drf/", bench.BareDrfList.as_view(), name="bench-bare-drf"),
        path("bench/bare/json/", bench.bare_json, name="bench-bare-json"),
        *urlpatterns,
    ]

handler400 = "frontend.views.errors.bad_request"
handler403 = "frontend.views.errors.permission_denied"
handler404 = "frontend.views.errors.not_found"
handler500 = "frontend.views.errors.server_error"
