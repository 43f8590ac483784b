from django.apps import AppConfig


class Config(AppConfig):
    name = "handoff.mailin"
    label = "mailin"
