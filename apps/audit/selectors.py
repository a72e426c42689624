from django.contrib.contenttypes.models import ContentType

from apps.audit.models import TransitionLog


def history_of(subject):
    """The transitions of one object, oldest first, with their actors (one query)."""
    return TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(subject, for_concrete_model=True),
        object_id=str(subject.pk),
    ).select_related("actor")
