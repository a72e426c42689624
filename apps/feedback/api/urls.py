from apps.feedback.api import figures, pads, ratings, tickets

# Each part of the ratings' API keeps its own routes.
urlpatterns = ratings.urlpatterns + tickets.urlpatterns + pads.urlpatterns + figures.urlpatterns
