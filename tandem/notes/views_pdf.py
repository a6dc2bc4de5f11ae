"""A signed note as a PDF: the page asks the worker to print it, then hands it over."""

import uuid

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tandem.access import MemberRequest, not_found
from tandem.access.views import permits
from tandem.exports.pages import pdf_export

from . import note_document
from .access import note_for


@require_GET
@permits(note_document.ACTION)
def note_pdf(request: MemberRequest, child_id: uuid.UUID, note_id: uuid.UUID) -> HttpResponse:
    """Whoever reads the note on its page may have it as a PDF; a draft has none (404)."""
    note = note_for(request, child_id, note_id)
    if not note.is_locked:
        raise not_found()
    params = {"note": str(note.pk)}
    return pdf_export(request, note.child, note_document.KIND, params, title=_("Session note"))
