"""Documents the hall renders once and hands out ever after: notices, certificates, decisions.

Such a row has a ``pdf`` file field and a ``sha256``, both empty until it is rendered. Rendering
happens after the issuing transaction has committed (a job, or the first download, whichever comes
first), holding the row so that it is stored exactly once; afterwards every download reads the
stored bytes back and checks them against the recorded SHA-256, so a file altered on disk is
refused rather than handed out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import models, transaction


class StoredFileAltered(Exception):
    """The stored file no longer matches the SHA-256 recorded when it was rendered."""


def read_checked(instance) -> bytes:
    with instance.pdf.storage.open(instance.pdf.name, "rb") as stored:
        data = stored.read()
    if hashlib.sha256(data).hexdigest() != instance.sha256:
        raise StoredFileAltered(
            f"{instance._meta.label} {instance}: the stored file {instance.pdf.name} was altered"
        )
    return data


@dataclass
class Rendering:
    instance: models.Model
    data: bytes
    fresh: bool  # rendered by this call (not found rendered by another process)


def render_and_store(
    queryset: models.QuerySet,
    pk: int,
    *,
    render: Callable[[models.Model], bytes],
    name: Callable[[models.Model], str],
    skip_locked: bool = False,
) -> Rendering | None:
    """Render the row ``pk`` of ``queryset`` if it is not rendered yet, and store its file; None when
    the row is gone or another process holds it (``skip_locked``)."""
    with transaction.atomic():
        instance = queryset.select_for_update(skip_locked=skip_locked, of=("self",)).filter(pk=pk).first()
        if instance is None:
            return None
        if instance.sha256:  # rendered meanwhile, by whoever held the row before us
            return Rendering(instance, read_checked(instance), fresh=False)
        data = render(instance)
        instance.sha256 = hashlib.sha256(data).hexdigest()
        # Storage never overwrites: if this transaction fails after the save, the file stays
        # unreferenced and the next attempt gets a name of its own.
        instance.pdf.save(name(instance), ContentFile(data), save=False)
        instance.save(update_fields=["pdf", "sha256"])
        return Rendering(instance, data, fresh=True)


def stored_pdf(instance, queryset: models.QuerySet, **how) -> bytes:
    """The row's PDF, the very same bytes every time: rendered and stored on first use, read back
    and checked ever after."""
    if instance.sha256:
        return read_checked(instance)
    rendering = render_and_store(queryset, instance.pk, **how)
    instance.pdf, instance.sha256 = rendering.instance.pdf, rendering.instance.sha256
    return rendering.data


def render_pending(queryset: models.QuerySet, *, order_by: str, limit: int, **how) -> int:
    """Render rows not rendered yet, oldest first, each in its own short transaction (rows another
    worker is rendering are skipped). Returns how many this call rendered."""
    pending = list(queryset.filter(sha256="").order_by(order_by).values_list("pk", flat=True)[:limit])
    rendered = 0
    for pk in pending:
        rendering = render_and_store(queryset, pk, skip_locked=True, **how)
        rendered += bool(rendering and rendering.fresh)
    return rendered
