from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from handoff import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("webhooks/inbound/", include("handoff.mailin.webhook_urls")),
    path("start/", views.start, name="start"),
    path("cockpit/", include("handoff.cockpit.urls")),
    path("", include("handoff.desk.urls")),
]
