from django.apps import AppConfig


class Config(AppConfig):
    name = "handoff.cockpit"
    label = "cockpit"
