"""(stub: being written in issue 18)"""

urlpatterns = []
