"""What every stored upload records about itself (an abstract model: the apps that keep files own
their tables)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckedFile(models.Model):
    """A file checked by ``uploads.stored.checked`` before it was stored: its original name (kept in the
    row, never used as a path), the content type its bytes showed, size, SHA-256, who and when.
    Subclasses add the ``file`` field with their own storage path and what the file belongs to."""

    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name
