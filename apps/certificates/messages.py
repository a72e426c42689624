"""What the applicant is told when a filing's documents leave the desk (the ``closed`` message): which
documents, handed to whom or posted how, e-certificates only when a certificate was issued, and the
filing's rating link (好差评)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from apps.cases.rating_links import sms_rating_url
from apps.certificates.models import DocumentKind


def closed_context(filing, delivery) -> dict:
    """The ``closed`` message's context: data, worded by its template (one query: the documents)."""
    documents = list(filing.documents.order_by("pk").values_list("kind", "number", "content__title"))
    with translation.override(settings.LANGUAGE_CODE):  # the outbox renders in the hall's language
        how = str(delivery.get_method_display())
    return {
        "how": how,  # what the first wording printed; an edited template may still use it
        "method": delivery.method,
        "recipient": delivery.recipient_name,
        "recipient_role": delivery.recipient_role,
        "carrier": delivery.carrier,
        "tracking_number": delivery.tracking_number,
        "documents": "、".join(f"{title}（{number}）" for _kind, number, title in documents),
        "certificates": any(kind == DocumentKind.CERTIFICATE for kind, _n, _t in documents),
        # The rating page, marked as reached from this message (its ratings are recorded as by SMS).
        "rating_url": sms_rating_url(filing.pk),
    }
