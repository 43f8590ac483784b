from django.apps import AppConfig


class Config(AppConfig):
    name = "handoff.routing"
    label = "routing"
