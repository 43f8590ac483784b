from django.apps import AppConfig


class Config(AppConfig):
    name = "handoff.desk"
    label = "desk"
