"""Every DRF view of the hall names its permission classes: none is left to the settings' default.

The default (``REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"]``) says nothing about who a view is for; a
view that relies on it was not thought about. Each view states its classes, taken from
``apps.accounts.permissions`` (docs/security.md, "Roles, centres and the data each role sees").
"""

from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView
from rest_framework.viewsets import ViewSet

from apps.accounts import permissions


def _patterns(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def _drf_views():
    """(route, view class, initkwargs) of every DRF view the URL configuration reaches."""
    for route, callback in _patterns(get_resolver()):
        cls = getattr(callback, "cls", None)
        if isinstance(cls, type) and issubclass(cls, APIView):
            yield route, cls, getattr(callback, "initkwargs", {}) or {}


def names_its_permissions(cls, initkwargs) -> bool:
    """Whether the view itself says who it is for: ``permission_classes`` on its own class (or given to
    ``as_view``), not inherited from DRF's ``APIView``, whose value is the settings' default.
    ``@api_view`` copies that default onto its class unless ``@permission_classes`` names others."""
    if "permission_classes" in initkwargs:
        return True
    own = cls.__dict__.get("permission_classes")
    return own is not None and own is not APIView.permission_classes


def _classes(cls, initkwargs):
    return list(initkwargs.get("permission_classes") or cls.permission_classes)


def test_every_api_view_names_its_permission_classes():
    views = list(_drf_views())
    assert len(views) >= 10, "the walk found too few API views: is the URL configuration read?"
    unnamed = sorted(
        f"{route} ({cls.__module__}.{cls.__qualname__})"
        for route, cls, initkwargs in views
        if not names_its_permissions(cls, initkwargs)
    )
    assert not unnamed, "API views without their own permission_classes:\n" + "\n".join(unnamed)


def test_the_classes_come_from_the_permissions_module():
    """One module holds the classes (DRF's own AllowAny and IsAuthenticated re-exported by it)."""
    exported = {getattr(permissions, name) for name in permissions.__all__}
    elsewhere = sorted(
        f"{route}: {klass.__module__}.{klass.__qualname__}"
        for route, cls, initkwargs in _drf_views()
        for klass in _classes(cls, initkwargs)
        if klass not in exported
    )
    assert not elsewhere, "permission classes from outside apps.accounts.permissions:\n" + "\n".join(
        elsewhere
    )


def test_the_check_tells_a_view_that_names_none():
    """The rule can fail: views relying on the default are caught, in each way a view is declared."""

    class Inherits(APIView):
        def get(self, request):
            raise AssertionError

    class Names(APIView):
        permission_classes = [IsAuthenticated]

    class InheritsFromANamingView(Names):
        pass

    @api_view(["GET"])
    def plain(request):
        raise AssertionError

    @api_view(["GET"])
    @permission_classes([IsAuthenticated])
    def decorated(request):
        raise AssertionError

    def view_of(view):
        return view.cls, getattr(view, "initkwargs", {}) or {}

    assert not names_its_permissions(*view_of(Inherits.as_view()))
    assert not names_its_permissions(*view_of(InheritsFromANamingView.as_view()))
    assert not names_its_permissions(*view_of(plain))
    assert not names_its_permissions(*view_of(ViewSet.as_view({"get": "list"})))
    assert names_its_permissions(*view_of(Names.as_view()))
    assert names_its_permissions(*view_of(decorated))
    assert names_its_permissions(*view_of(Inherits.as_view(permission_classes=[IsAuthenticated])))
