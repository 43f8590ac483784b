from django.apps import AppConfig


class Config(AppConfig):
    name = "handoff.ops"
    label = "ops"

    def ready(self) -> None:
        # Imported here: the receiver uses models, which are loaded only by now.
        from anymail.signals import inbound

        from handoff.ops.inbound import receive

        inbound.connect(receive, dispatch_uid="handoff.ops.inbound.receive")
