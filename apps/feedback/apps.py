from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    """好差评: ratings of filings and service acts, and the rectification of bad ones to closure.

    Above ``cases`` and ``certificates`` (it reads filings, cases and deliveries); nothing below it
    imports it."""

    name = "apps.feedback"
    verbose_name = "Ratings (好差评)"
