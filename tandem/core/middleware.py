"""Response headers every page and API answer carries."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
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


# Already compressed: compressing them again costs time and saves nothing.
COMPRESSED_TYPES = ("application/pdf", "image/", "application/zip", "video/", "audio/")


class CompressionMiddleware(GZipMiddleware):
    """Pages and API answers are sent gzipped to clients that accept it (a 60 KB page
    travels as ~10 KB to a phone). Django pads each response with random bytes against
    BREACH-style guessing. PDFs, images and archives are sent as they are; static files
    are WhiteNoise's, compressed ahead of time."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.get("Content-Type", "").startswith(COMPRESSED_TYPES):
            return response
        return super().process_response(request, response)
