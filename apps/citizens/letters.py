"""An organisation authorisation's letter, served to its own account (the portal page and the API)."""

from django.http import Http404

from apps.citizens import selectors
from apps.uploads.serving import Disclosure, stored_file_response


def own_authorisation_or_404(user, pk: int):
    """The account's own authorisation; anyone else's is a 404, never a 403 that would confirm it."""
    authorisation = selectors.own_authorisation(user, pk)
    if authorisation is None:
        raise Http404
    return authorisation


def letter_response(request, authorisation):
    """The letter as a download, its disclosure logged; a 404 when none was uploaded."""
    if not authorisation.letter:
        raise Http404
    return stored_file_response(
        request,
        authorisation.letter,
        filename=authorisation.letter_name,
        content_type=authorisation.letter_content_type,
        disclosure=Disclosure(authorisation, "authorisation_letter", owner_id=authorisation.user_id),
    )
