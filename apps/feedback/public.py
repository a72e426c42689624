"""(stub: being built for issue 17) The public rating page reached by a token (QR code, SMS link)."""

from django.http import Http404


def rate(request, token):
    raise Http404
