"""Issuing notices, and their PDFs.

Notice numbers are gap-free per kind, centre and year, and read::

    <region code>-<centre id, 4 digits>-<kind code>-<year>-<serial, 5 digits>
    350100-0007-SL-2026-00001

with the kind codes SL 受理, RQ 容缺受理, GZ 一次性告知, BY 不予受理 (pinyin initials, as clerks say
them). The region code tells a reader where the notice comes from; the centre id keeps two centres
of one region apart (each has its own series, so the region alone would repeat numbers).

Issuing is part of the decision's transaction and costs two statements (the number, the row); the PDF
is rendered afterwards from the captured content (``render_pending_notices`` runs every few seconds,
and ``notice_pdf`` renders on the spot when the clerk prints first). Rendering takes far longer than
the decision itself, and it holds no lock on the filing while it runs.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.cases.codes import FilingState
from apps.cases.notices.content import FilingFacts, snapshot
from apps.cases.notices.models import Notice, NoticeKind
from apps.cases.notices.rendering import render_notice
from apps.cases.rating_links import rating_url
from apps.core.errors import Conflict
from apps.sequences.services import next_value
from apps.uploads.rendered import StoredFileAltered, render_pending, stored_pdf

KIND_CODES = {
    NoticeKind.ACCEPTANCE: "SL",
    NoticeKind.DEFICIENCY: "RQ",
    NoticeKind.COMPLETION: "GZ",
    NoticeKind.REFUSAL: "BY",
}

# The decision a notice documents: a notice never contradicts the filing's state.
STATE_FOR_KIND = {
    NoticeKind.ACCEPTANCE: FilingState.ACCEPTED,
    NoticeKind.DEFICIENCY: FilingState.ACCEPTED_WITH_DEFICIENCY,
    NoticeKind.COMPLETION: FilingState.RETURNED,
    NoticeKind.REFUSAL: FilingState.REJECTED,
}


# A stored notice PDF no longer matching the SHA-256 recorded when it was rendered.
NoticeTampered = StoredFileAltered


def notice_number(centre, kind: str, year: int, serial: int) -> str:
    return f"{centre.region_code}-{centre.pk:04d}-{KIND_CODES[kind]}-{year}-{serial:05d}"


def tracking_url(filing, base_url: str) -> str:
    """The public tracking page of a filing, absolute: a QR code cannot carry a relative address."""
    parts = urlsplit(base_url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"base_url must be an absolute http(s) address, not {base_url!r}")
    return base_url.rstrip("/") + reverse("tracking:filing", args=[filing.tracking_token])


def issue_notice(
    filing, kind: str, *, base_url: str, actor=None, window=None, facts: FilingFacts | None = None
) -> Notice:
    """Issue the notice of ``kind`` for a decided filing, inside the decision's transaction.

    ``base_url`` is the site's public address (``https://hall.example.gov.cn``), for the QR codes
    (tracking, and rating: 扫码评价).
    The clerk is ``actor`` (else whoever decided the filing); the window is ``window`` (else the
    filing's own). ``facts`` are the filing's items, checklist and clocks as the deciding service
    holds them (read here when not given). The number is allocated here, so a rolled-back decision
    leaves no gap; nothing is written to disk until the decision has committed.
    """
    kind = NoticeKind(kind)
    url = tracking_url(filing, base_url)
    if filing.state != STATE_FOR_KIND[kind]:
        raise Conflict(
            _("A %(kind)s cannot be issued for a filing that is %(state)s.")
            % {"kind": kind.label, "state": filing.get_state_display()}
        )
    issued_at = timezone.now()
    year = timezone.localdate(issued_at).year
    clerk = actor if getattr(actor, "is_authenticated", False) else filing.decided_by
    window = window or filing.window
    notice = Notice(
        filing=filing,
        kind=kind,
        number=notice_number(
            filing.centre, kind, year, next_value(f"notice:{kind}:{filing.centre_id}:{year}")
        ),
        issued_at=issued_at,
        issued_by=clerk,
        window_number=window.number if window else "",
        tracking_url=url,
        rating_url=rating_url(filing.pk, base_url),
        content=snapshot(filing, facts or FilingFacts.load(filing), clerk=clerk),
    )
    try:
        notice.save()
    except IntegrityError:
        # One notice per kind and filing (a database constraint: race-free). The transaction is
        # spoilt now; the Conflict rolls the caller's decision back whole.
        raise Conflict(_("This notice has been issued already: reprint it instead.")) from None
    return notice


def _file_name(notice: Notice) -> str:
    # notices/<centre>/<year>/<number>.pdf under MEDIA_ROOT (outside the web root).
    return f"{notice.filing.centre_id}/{timezone.localdate(notice.issued_at).year}/{notice.number}.pdf"


RENDERING = {"render": render_notice, "name": _file_name}


def notice_pdf(notice: Notice) -> bytes:
    """The notice's PDF, the very same bytes every time: rendered and stored on first use, read back
    and checked against the recorded SHA-256 ever after."""
    return stored_pdf(notice, Notice.objects.select_related("filing"), **RENDERING)


def render_pending_notices(limit: int = 200) -> int:
    """Render notices issued but not rendered yet, oldest first; returns how many this call rendered."""
    return render_pending(
        Notice.objects.select_related("filing"), order_by="issued_at", limit=limit, **RENDERING
    )
