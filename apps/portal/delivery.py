"""delivery pages of the online hall."""

urlpatterns = []
