from django.urls import path

from handoff.mailout import views

app_name = "mailout"
urlpatterns = [path("c/<int:pk>/reply/", views.reply, name="reply")]
