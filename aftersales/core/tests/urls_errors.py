"""The project's URLs plus a page that fails, to see what a user gets from a server error."""

from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401  (the handlers are read from here)


def broken(request):
    raise RuntimeError("a bug")


def broken_api(request):
    raise RuntimeError("a bug in the API")


urlpatterns = [path("broken/", broken), path("api/v1/broken/", broken_api), *urlpatterns]
