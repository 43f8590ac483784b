"""The first-run page: what a fresh desk needs before it can answer (an address, someone
to answer), for the head and the admin, in the browser. A mailbox added here goes through
``handoff config apply``'s own checks (the same file format, the mailbox section alone), so
the page and the file never disagree; like the file, it never takes a secret: the IMAP
password stays in the environment, named by ``secret_env``."""

from __future__ import annotations

from django.contrib import messages as notices
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from handoff.accounts.models import User
from handoff.desk.access import DESK_ROLES, HEADS, person
from handoff.mailin.models import Mailbox
from handoff.routing.config.apply import apply_text
from handoff.routing.config.dump import mailbox_section
from handoff.routing.config.mailboxes import ImapPlan, MailboxPlan, load_mailboxes


def needs_mailbox() -> bool:
    return not Mailbox.objects.filter(active=True, purpose=Mailbox.Purpose.DESK).exists()


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    if person(request).role not in HEADS:
        raise Http404
    errors: list[str] = []
    if request.method == "POST":
        try:
            wanted = _mailbox(request.POST)
        except ValueError as error:
            errors = [str(error)]
        else:
            outcome = apply_text(mailbox_section([*load_mailboxes(), wanted]), timezone.now())
            errors = outcome.errors
            if outcome.ok:
                for warning in outcome.warnings:
                    notices.warning(request, warning)
                notices.success(
                    request, _("The desk answers for %(address)s.") % {"address": wanted.address}
                )
                return redirect("desk:setup")
    return render(
        request,
        "desk/setup.html",
        {
            "mailboxes": Mailbox.objects.order_by("address"),
            "people": User.objects.filter(is_active=True, role__in=DESK_ROLES).count(),
            "errors": errors,
            "form": request.POST if errors else {},
            "securities": Mailbox.Security.choices,
        },
        status=400 if errors else 200,
    )


def _mailbox(form: QueryDict) -> MailboxPlan:
    address = form.get("address", "").strip()
    if not address:
        raise ValueError(_("The address the customers write to, like support@example.com."))
    host = form.get("imap_host", "").strip()
    imap = None
    if host:
        port = form.get("imap_port", "993").strip() or "993"
        if not port.isdigit():
            raise ValueError(_("The IMAP port is a number, like 993."))
        imap = ImapPlan(
            host=host,
            port=int(port),
            security=form.get("imap_security", "tls"),
            user=form.get("imap_user", "").strip(),
            secret_env=form.get("secret_env", "").strip(),
        )
    purpose = "ledger" if form.get("purpose") == "ledger" else "desk"
    return MailboxPlan(
        address=address, name=form.get("name", "").strip(), imap=imap, purpose=purpose
    )
