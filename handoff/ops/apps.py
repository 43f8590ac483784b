from django.apps import AppConfig


class Config(AppConfig):
    name = "handoff.ops"
    label = "ops"
