"""/fhir/R4/: metadata, then read and search of each type served (one named route each,
so the authorization matrix walks every type), then 400/404 for anything else."""

import re

from django.urls import path

from . import extensions, views
from .registry import SPECS, read_roles, search_roles

app_name = "fhir"


def _param(resource_type: str) -> str:
    """``RelatedPerson`` → ``fhir_related_person_id`` (the read route's parameter)."""
    return "fhir_" + re.sub(r"(?<!^)(?=[A-Z])", "_", resource_type).lower() + "_id"


urlpatterns = [path("metadata", views.metadata_view(), name="metadata")]
# Other apps' routes (Bulk Data $export, tandem.bulkdata): before the reads, so
# Patient/$export is no Patient id.
urlpatterns += extensions.PATTERNS
for _type, _spec in SPECS.items():
    _name = _param(_type).removeprefix("fhir_").removesuffix("_id").replace("_", "-")
    urlpatterns.append(
        path(_type, views.search_view(_type, search_roles(_spec)), name=f"{_name}-search")
    )
    if _spec.fixed_ids is not None:  # the same for every clinic: one route each
        urlpatterns += [
            path(
                f"{_type}/{_id}",
                views.fixed_read_view(_type, _id, read_roles(_spec)),
                name=f"{_name}-read-{_id}",
            )
            for _id in _spec.fixed_ids()
        ]
        continue
    urlpatterns.append(
        path(
            f"{_type}/<str:{_param(_type)}>",
            views.read_view(_type, _param(_type), read_roles(_spec)),
            name=f"{_name}-read",
        )
    )
# Types not served, and paths under a type that are no interaction here (400 / 404).
urlpatterns += [
    path("", views.unknown),
    path("<str:resource_type>", views.unknown),
    path("<str:resource_type>/", views.unknown),
    path("<str:resource_type>/<path:rest>", views.unknown),
]
