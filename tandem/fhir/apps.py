from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "tandem.fhir"
    label = "fhir"
    verbose_name = "FHIR R4 API"

    def ready(self) -> None:
        # The token page checks a token's FHIR scopes with this app's rule.
        from tandem.accounts.token_views import SCOPE_CHECK

        from .auth import check_token_scopes

        if check_token_scopes not in SCOPE_CHECK:
            SCOPE_CHECK.append(check_token_scopes)
