from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from apps.catalogue import selectors


class ReadAnyoneWriteCatalogueAdmin(BasePermission):
    """Reads are public (published versions only, see the viewsets); writes need the model's change
    permission, and publishing or retiring needs ``catalogue.publish_serviceitem``. The role holds at
    a centre: an item or bundle is changed only by a catalogue admin of its centre (base items and the
    shared dictionary by any catalogue admin, ``selectors.maintains``)."""

    write_permission = "catalogue.change_serviceitem"
    message = _("Only a catalogue admin of its service centre may change this.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        if getattr(view, "action", None) in {"publish", "retire"}:
            return request.user.has_perm("catalogue.publish_serviceitem")
        return request.user.has_perm(getattr(view, "write_permission", self.write_permission))

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or selectors.maintains(request.user, obj)
