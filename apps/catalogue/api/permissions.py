from rest_framework.permissions import SAFE_METHODS, BasePermission


class ReadAnyoneWriteCatalogueAdmin(BasePermission):
    """Reads are public (published versions only, see the viewsets); writes need the model's change
    permission, and publishing or retiring needs ``catalogue.publish_serviceitem``."""

    write_permission = "catalogue.change_serviceitem"

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        if getattr(view, "action", None) in {"publish", "retire"}:
            return request.user.has_perm("catalogue.publish_serviceitem")
        return request.user.has_perm(getattr(view, "write_permission", self.write_permission))
