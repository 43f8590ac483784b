from django.apps import AppConfig


class Config(AppConfig):
    name = "handoff.ledger"
    label = "ledger"
