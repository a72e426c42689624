"""Issuing and reprinting notices.

Notice numbers are gap-free per kind, centre and year, and read::

    <region code>-<centre id, 4 digits>-<kind code>-<year>-<serial, 5 digits>
    350100-0007-SL-2026-00001

with the kind codes SL 受理, RQ 容缺受理, GZ 一次性告知, BY 不予受理 (pinyin initials, as clerks say
them). The region code tells a reader where the notice comes from; the centre id keeps two centres
of one region apart (each has its own series, so the region alone would repeat numbers).
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.transitions import Conflict
from apps.cases.codes import ApplicationState
from apps.cases.notices.models import Notice, NoticeKind
from apps.cases.notices.rendering import render_notice
from apps.sequences.services import next_value

KIND_CODES = {
    NoticeKind.ACCEPTANCE: "SL",
    NoticeKind.DEFICIENCY: "RQ",
    NoticeKind.COMPLETION: "GZ",
    NoticeKind.REFUSAL: "BY",
}

# The decision a notice documents: a notice never contradicts the filing's state.
STATE_FOR_KIND = {
    NoticeKind.ACCEPTANCE: ApplicationState.ACCEPTED,
    NoticeKind.DEFICIENCY: ApplicationState.ACCEPTED_WITH_DEFICIENCY,
    NoticeKind.COMPLETION: ApplicationState.RETURNED,
    NoticeKind.REFUSAL: ApplicationState.REJECTED,
}


class NoticeTampered(Exception):
    """The stored PDF no longer matches the SHA-256 recorded when the notice was issued."""


def notice_number(centre, kind: str, year: int, serial: int) -> str:
    return f"{centre.region_code}-{centre.pk:04d}-{KIND_CODES[kind]}-{year}-{serial:05d}"


def tracking_url(application, base_url: str) -> str:
    """The public tracking page of a filing, absolute: a QR code cannot carry a relative address."""
    parts = urlsplit(base_url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"base_url must be an absolute http(s) address, not {base_url!r}")
    return base_url.rstrip("/") + reverse("tracking:filing", args=[application.tracking_token])


def issue_notice(application, kind: str, *, base_url: str, actor=None, window=None) -> Notice:
    """Issue the notice of ``kind`` for a decided filing, inside the decision's transaction.

    ``base_url`` is the site's public address (``https://hall.example.gov.cn``), for the QR code.
    The clerk is ``actor`` (else whoever decided the filing); the window is ``window`` (else the
    filing's own). The number is allocated here, so a rolled-back decision leaves no gap; its PDF file
    may remain on disk, unreferenced (storage never overwrites, so a later notice reusing the number
    gets a file of its own).
    """
    kind = NoticeKind(kind)
    url = tracking_url(application, base_url)
    if application.state != STATE_FOR_KIND[kind]:
        raise Conflict(
            _("A %(kind)s cannot be issued for a filing that is %(state)s.")
            % {"kind": kind.label, "state": application.get_state_display()}
        )
    if Notice.objects.filter(application=application, kind=kind).exists():
        raise Conflict(_("This notice has been issued already: reprint it instead."))
    issued_at = timezone.now()
    year = timezone.localdate(issued_at).year
    serial = next_value(f"notice:{kind}:{application.centre_id}:{year}")
    clerk = actor if getattr(actor, "is_authenticated", False) else application.decided_by
    window = window or application.window
    notice = Notice(
        application=application,
        kind=kind,
        number=notice_number(application.centre, kind, year, serial),
        issued_at=issued_at,
        issued_by=clerk,
        window_number=window.number if window else "",
        tracking_url=url,
    )
    data = render_notice(notice)
    notice.sha256 = hashlib.sha256(data).hexdigest()
    # notices/<centre>/<year>/<number>.pdf under MEDIA_ROOT (outside the web root).
    name = f"{application.centre_id}/{year}/{notice.number}.pdf"
    notice.pdf.save(name, ContentFile(data), save=False)
    notice.save()
    return notice


def reprint(notice: Notice) -> bytes:
    """The notice exactly as issued: the stored bytes, checked against the recorded SHA-256."""
    with notice.pdf.storage.open(notice.pdf.name, "rb") as stored:
        data = stored.read()
    if hashlib.sha256(data).hexdigest() != notice.sha256:
        raise NoticeTampered(f"notice {notice.number}: the stored file {notice.pdf.name} was altered")
    return data
