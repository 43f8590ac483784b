from django.apps import AppConfig


class Config(AppConfig):
    name = "handoff.tickets"
    label = "tickets"
