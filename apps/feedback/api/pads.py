"""(stub: being built for issue 17)"""

urlpatterns = []
