"""The demo clinics' resource libraries, what they share with families, and their
workshops with the families who took a place (the texts: ``data.library``).

Written through the resources app's actions, each at the moment it would have been
(``at=``): the library a week before the home programs began, shares when they were
made, workshops announced ten days ago.
"""

from datetime import date, timedelta
from html import escape

from django.core.files.uploadedfile import SimpleUploadedFile
from weasyprint import HTML

from tandem.accounts.models import Membership, Organization, Role
from tandem.children.models import Child
from tandem.demo.clinical import Catalogue, written
from tandem.demo.data.library import EVENTS, LIBRARIES
from tandem.demo.shapes import LOG_WEEKS, Library
from tandem.homeprogram.models import HomeActivity
from tandem.resources import actions as resources
from tandem.resources.models import ResourceKind


def build_library(
    book: Catalogue,
    organization: Organization,
    members: dict[str, Membership],
    children: dict[str, Child],
    activities: dict[str, dict[str, HomeActivity]],
    today: date,
) -> None:
    """Write the clinic's resources, share them with families, and hold the workshops."""
    for item in LIBRARIES.get(organization.name, ()):
        author = members[item.by]
        resource = resources.create_resource(
            author,
            domains=item.domains,
            upload=handout(item) if item.kind == ResourceKind.HANDOUT else None,
            at=written(book.at(today - timedelta(weeks=LOG_WEEKS + 1), "12:30")),
            title=item.title,
            kind=item.kind,
            summary=item.summary,
            body="" if item.kind == ResourceKind.HANDOUT else item.body,
            url=item.url,
            min_age_months=item.min_age_months,
            max_age_months=item.max_age_months,
            language=item.language,
        )
        for share in item.shares:
            child = children[share.child]
            activity = activities[share.child][share.activity] if share.activity else None
            resources.share_resource(
                author,
                child,
                resource,
                home_activity=activity,
                note=share.note,
                at=written(book.at(today - timedelta(days=share.days_ago), "13:00")),
            )
    guardians = {
        m.user.email: m
        for m in Membership.objects.filter(organization=organization, role=Role.GUARDIAN)
        .select_related("user")
        .order_by("user__email")
    }
    for event in EVENTS.get(organization.name, ()):
        workshop = resources.create_workshop(
            members[event.by],
            at=written(book.at(today - timedelta(days=10), "09:00")),
            title=event.title,
            description=event.description,
            starts_at=book.at(today + timedelta(days=event.days_ahead), event.clock),
            duration_minutes=event.minutes,
            location=event.location,
            capacity=event.capacity,
            language=event.language,
        )
        for index, email in enumerate(event.guests):
            at = written(book.at(today - timedelta(days=9 - index), "20:00"))
            resources.register(guardians[email], workshop, at=at)


def handout(item: Library) -> SimpleUploadedFile:
    """A one-page printable checklist (PDF) made from the lines of ``item.body``."""
    rows = "".join(
        f"<li><span class='box'></span>{escape(line)}</li>" for line in item.body.split("|")
    )
    html = (
        "<style>@page{size:letter;margin:2cm}body{font-family:sans-serif;font-size:20pt}"
        "li{list-style:none;margin:.6em 0}.box{display:inline-block;width:.9em;height:.9em;"
        "border:2px solid #333;margin-right:.6em}</style>"
        f"<h1>{escape(item.title)}</h1><ul>{rows}</ul>"
    )
    return SimpleUploadedFile(
        "backpack-checklist.pdf", HTML(string=html).write_pdf(), content_type="application/pdf"
    )
