"""The address of the hall ("/"): a visitor sees the public home page (service guides, tracking a
filing, verifying a certificate, logging in); a logged-in user lands on their own desk, as before."""

from django.shortcuts import render

from apps.desks.views import home as desk_home


def home(request):
    if request.user.is_authenticated:
        return desk_home(request)
    return render(request, "home.html")
