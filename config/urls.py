from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from aftersales.core.params import BoundedIntConverter
from aftersales.core.views import home
from aftersales.feedback.views import card as feedback_card

# <id:pk> in every app's urls: an id that cannot exist (19+ digits) is a plain 404, never a database overflow.
register_converter(BoundedIntConverter, "id")

urlpatterns = [
    path("", home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("calls/", include("aftersales.servicedesk.urls")),
    path("customers/", include("aftersales.customers.urls")),
    path("notices/", include("aftersales.notifications.urls")),
    path("work-orders/", include("aftersales.workorders.urls")),
    path("m/", include("aftersales.workorders.urls_mobile")),
    path("daily-reports/", include("aftersales.dailyreports.urls")),
    path("parts/", include("aftersales.parts.urls")),
    path("billing/", include("aftersales.billing.urls")),
    path("feedback/", include("aftersales.feedback.urls")),
    path("contracts/", include("aftersales.contracts.urls")),
    path("care/", include("aftersales.care.urls")),
    path("complaints/", include("aftersales.complaints.urls")),
    path("returns/", include("aftersales.returns.urls")),
    path("sanbao/", include("aftersales.sanbao.urls")),
    path("reports/", include("aftersales.reports.urls")),
    path("performance/", include("aftersales.performance.urls")),
    path("settings/", include("aftersales.configuration.urls")),
    path("s/<str:token>/", feedback_card, name="opinion_card"),
    path("", include("aftersales.portal.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("aftersales.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
]

# Friendly pages with a message in the user's language (a 500 with a reference, never a traceback); JSON under /api/.
handler400 = "aftersales.core.errorpages.bad_request"
handler403 = "aftersales.core.errorpages.permission_denied"
handler404 = "aftersales.core.errorpages.page_not_found"
handler500 = "aftersales.core.errorpages.server_error"
