"""The supervision desk's anomalies (电子监察): each rule's findings, counted and linked."""

urlpatterns = []
