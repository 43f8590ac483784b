from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from handoff import views
from handoff.accounts.views import LoginView, login_code
from handoff.desk.password_views import PasswordResetView

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("login/code/", login_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/reset/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="desk/password/done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(template_name="desk/password/confirm.html"),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="desk/password/complete.html"),
        name="password_reset_complete",
    ),
    # The admin's own login form would get round the throttling and the two-factor code:
    # it signs in here too.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("webhooks/inbound/", include("handoff.mailin.webhook_urls")),
    path("start/", views.start, name="start"),
    path("cockpit/", include("handoff.cockpit.urls")),
    path("", include("handoff.desk.urls")),
]
