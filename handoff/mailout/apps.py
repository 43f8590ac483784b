from django.apps import AppConfig


class Config(AppConfig):
    name = "handoff.mailout"
    label = "mailout"
