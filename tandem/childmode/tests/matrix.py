"""What the authorization matrix needs to know about child mode's routes.

The child's own pages (home, choose, picture, exit) and ``enter`` carry no ids in
their URLs: the child comes from the locked session (or, for ``enter``, the form).
The matrix's clients post empty forms, so ``enter`` never locks their sessions —
an empty form names no child and is sent back (302) without starting child mode.
"""

from tandem.accounts.models import Role

WRITE_RULES: dict[str, str] = {}

# The "the child chose…" page is for the staff who may see the child.
READ_RULES = {"childmode:choices": "staff"}

FILLERS: dict = {}


def populate(world) -> None:  # type: ignore[no-untyped-def]
    """One recorded pick for each child the matrix visits, so the lists are not empty."""
    from tandem.childmode.models import ChildChoice, ChoiceSource

    for child, adult in (
        (world.child, world.guardian),
        (world.other_child, world.other_guardian),
        (world.foreign_child, world.foreign_guardian),
    ):
        ChildChoice.objects.create(
            organization=child.organization,
            child=child,
            label="Trains",
            source=ChoiceSource.INTEREST,
            during_session_of=adult,
        )


API_READ_RULES = {("GET", "/children/{child_id}/child-mode/choices"): "staff"}

API_COLLECTION_RULES = {
    ("POST", "/child-mode/choices"): {Role.ADMIN, Role.THERAPIST, Role.GUARDIAN},
}
