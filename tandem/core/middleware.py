"""Response headers every page and API answer carries, and the query strings refused."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBadRequest, HttpResponseBase, JsonResponse
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


NUL = "\x00"
NUL_REFUSED = "A query parameter holds a NUL character."


class RefuseNulMiddleware:
    """A query string holding a NUL character (``%00``) is refused with a 400.

    No page or API operation takes one, PostgreSQL's text cannot hold one (a search for
    ``a%00`` was a 500), and Django's form fields refuse it in what is posted. Checked here
    once, for every parameter a view reads today or will read tomorrow.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        query = request.GET.lists()
        if any(NUL in key or any(NUL in value for value in values) for key, values in query):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": NUL_REFUSED}, status=400)
            return HttpResponseBadRequest(NUL_REFUSED)
        return self.get_response(request)
