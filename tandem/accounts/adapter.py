"""Tandem's rules for django-allauth: people join by invitation only, and speak their language."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils import translation


class TandemAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def add_message(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        """Write allauth's messages in the person's own language.

        "Signed in as …" is written in the request that signs the person in, which began
        in the browser's language (nobody was signed in yet): write it in theirs.
        """
        user = getattr(request, "user", None)
        language = getattr(user, "language", None) if user and user.is_authenticated else None
        with translation.override(language or translation.get_language()):
            super().add_message(request, *args, **kwargs)
