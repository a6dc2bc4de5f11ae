"""Where a form returns after a post: a ``next`` the browser sent, if it is a page of ours."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def local_next(request: HttpRequest, default: str, *, field: str = "next") -> str:
    """The ``next`` parameter when it is an absolute path on this site, else ``default``.

    Only a path starting with one "/" is taken (``abc`` is not a page: ``redirect()``
    would try it as a view name and fail; ``//host`` and ``https://host`` leave the
    site). The result is always a path, safe to pass to ``redirect()``.
    """
    wanted = (request.POST.get(field) or request.GET.get(field) or "").strip()
    if (
        wanted.startswith("/")
        and not wanted.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return wanted
    return default
