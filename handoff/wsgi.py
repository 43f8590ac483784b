import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "handoff.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    """What a worker's first request would otherwise pay for (the URLconf and its views
    imported, the busiest templates compiled): done at boot, before gunicorn hands the
    worker any request."""
    from django.template.loader import get_template
    from django.urls import reverse

    reverse("desk:conversation", args=[1])  # imports every view, builds the reverse lookups
    for name in (
        "desk/inbox.html",
        "desk/conversation.html",
        "cockpit/home.html",
        "cockpit/chart.html",
    ):
        get_template(name)


_warm_up()
