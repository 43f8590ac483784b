from django.apps import AppConfig


class Config(AppConfig):
    name = "handoff.triage"
    label = "triage"
