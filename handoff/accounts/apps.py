from django.apps import AppConfig


class Config(AppConfig):
    name = "handoff.accounts"
    label = "accounts"
