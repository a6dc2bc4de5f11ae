"""Response headers every page and API answer carries."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Nothing the application answers is kept by a browser's cache or a proxy.

    Pages, API answers, PDFs and files hold children's records; a shared family tablet
    or a clinic's proxy must not keep a copy after the person signs out. Static files
    (CSS, scripts) are served by WhiteNoise before this middleware and stay cacheable.
    A view's own ``Cache-Control`` (``private, max-age=300`` on a photo) is overridden.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if "Cache-Control" in response:
            del response["Cache-Control"]
        add_never_cache_headers(response)
        return response
