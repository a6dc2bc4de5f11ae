"""Tandem's rules for django-allauth: people join by invitation only."""

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class TandemAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
