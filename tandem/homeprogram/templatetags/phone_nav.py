"""The bottom tab bar of the family's and the collaborators' pages (base.html).

Guardians: Home (the family's home), Practice (the child's home program), Messages,
Progress and More (appointments, reports, resources, sharing, notifications, settings,
signing out). Collaborators (a teacher, a pediatrician …): Home (the children shared with
them), Observe and Progress when the family's consent shares those parts, and More
(session notes when shared, notifications, settings, signing out). Staff: no bar.

The child the tabs lead to is the page's own (``child`` in the context), else the first of
the family's children (``children`` on the family's pages, else one query) or of the
children shared with the collaborator (``shared`` on their home, else one query).
"""

from dataclasses import dataclass, field
from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tandem.access import visible_children
from tandem.accounts.models import Role
from tandem.children.models import Child
from tandem.consent.access import shared_with

register = template.Library()
LAST_CHILD = "tandem_tab_child"


@dataclass
class Tab:
    key: str
    label: str
    url: str
    current: bool = False


@dataclass
class TabChild:
    """The child the tabs lead to: their id and the name the header shows."""

    id: str
    name: str


@dataclass
class PhoneNav:
    tabs: list[Tab]
    more: list[Tab] = field(default_factory=list)
    child: TabChild | None = None  # the child the tabs lead to (named in the header)

    @property
    def more_current(self) -> bool:
        return any(t.current for t in self.more)


def _where(context: Any) -> tuple[str, str]:
    match = getattr(context.get("request"), "resolver_match", None)
    return (getattr(match, "app_name", "") or "", getattr(match, "url_name", "") or "")


def _remember(context: Any, child: Child) -> TabChild:
    """Keep the child in the session (written only when it changes) and return it."""
    kept = TabChild(str(child.pk), child.preferred_name or child.first_name)
    session = getattr(context.get("request"), "session", None)
    value = [str(context["membership"].pk), kept.id, kept.name]
    if session is not None and session.get(LAST_CHILD) != value:
        session[LAST_CHILD] = value
    return kept


def _kept(context: Any) -> TabChild | None:
    session = getattr(context.get("request"), "session", None)
    value = session.get(LAST_CHILD) if session is not None else None
    if isinstance(value, list) and len(value) == 3 and value[0] == str(context["membership"].pk):
        return TabChild(str(value[1]), str(value[2]))
    return None


def _guardian_child(context: Any) -> TabChild | None:
    """The child the tabs lead to: the page's, else the one whose page was open last (kept
    in the session: a page about no child costs no query), else the first of the family's
    children (from the page's ``children``, else one query)."""
    child = context.get("child")
    if isinstance(child, Child):
        return _remember(context, child)
    kept = _kept(context)
    children = context.get("children")
    if isinstance(children, list | tuple) and all(isinstance(c, Child) for c in children):
        chosen = next((c for c in children if kept and str(c.pk) == kept.id), None)
        chosen = chosen or (children[0] if children else None)
        return _remember(context, chosen) if chosen is not None else None
    if kept is not None:
        return kept
    first = visible_children(context["membership"]).active().first()
    return _remember(context, first) if first is not None else None


def guardian_nav(context: Any) -> PhoneNav:
    app, name = _where(context)
    child = _guardian_child(context)
    tabs = [Tab("home", pgettext("navigation", "Home"), reverse("homeprogram:family_home"))]
    tabs[0].current = name == "family_home" or app == "children"
    if child is not None:
        tabs += [
            Tab("practice", _("Practice"), reverse("homeprogram:index", args=[child.id])),
            Tab("messages", _("Messages"), reverse("messaging:index", args=[child.id])),
            Tab("progress", _("Progress"), reverse("progress:index", args=[child.id])),
        ]
        tabs[1].current = app == "homeprogram" and name != "family_home"
        tabs[2].current = app == "messaging"
        tabs[3].current = app in ("progress", "assessments") and name != "reports"
    more = [Tab("appointments", _("Appointments"), reverse("appointments:family"))]
    more[0].current = app == "appointments"
    if child is not None:
        more += [
            Tab("reports", _("Reports"), reverse("progress:reports", args=[child.id])),
            Tab("sharing", _("Sharing"), reverse("consent:index", args=[child.id])),
        ]
        more[1].current = name == "reports"
        more[2].current = app == "consent"
    more.append(Tab("resources", _("Resources"), reverse("resources:index")))
    more[-1].current = app == "resources"
    return PhoneNav(tabs=tabs, more=more, child=child)


def collaborator_nav(context: Any) -> PhoneNav:
    app, name = _where(context)
    consent = context.get("consent")
    page_child = context.get("child") if isinstance(context.get("child"), Child) else None
    if consent is None and page_child is None:
        shared = context.get("shared")
        if shared is None:
            shared = shared_with(context["membership"])
        consent = next(iter(shared), None)  # evaluates (and keeps) the home's own list
    home = pgettext("navigation", "Home")
    tabs = [Tab("home", home, reverse("home"), current=name == "home")]
    more = []
    if consent is not None:
        child_id = consent.child_id
        if consent.can_post_observations:
            url = reverse("collaborators:observe", args=[child_id])
            tabs.append(Tab("observe", _("Observe"), url, current=name == "observe"))
        if consent.can_see_summary:
            url = reverse("collaborators:child", args=[child_id])
            tabs.append(Tab("progress", _("Progress"), url, current=name == "child"))
        if consent.can_read_notes:
            url = reverse("collaborators:notes", args=[child_id])
            more.append(Tab("notes", _("Session notes"), url, current=name == "notes"))
    del app
    child = page_child or (consent.child if consent else None)
    shown = TabChild(str(child.pk), child.preferred_name or child.first_name) if child else None
    return PhoneNav(tabs=tabs, more=more, child=shown)


@register.simple_tag(takes_context=True)
def phone_nav(context: Any) -> PhoneNav | None:
    """The tabs of a guardian's or a collaborator's pages; None for everyone else."""
    membership = context.get("membership")
    if membership is None:
        return None
    if membership.role == Role.GUARDIAN:
        return guardian_nav(context)
    if membership.role == Role.COLLABORATOR:
        return collaborator_nav(context)
    return None
