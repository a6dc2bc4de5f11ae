"""Who may do what with session notes.

- ``notes.view`` — the Sessions tab, a note, the notes API: clinic admins and the child's
  care team in any seat (every note); the child's guardians (signed notes, in plain
  language). Collaborators read signed notes on their shared page (the consent app) while
  a consent shares session notes; the front desk and billing never see notes.
- ``notes.write`` — start a note, open the editor: admins and lead/treating therapists on
  the care team (assistants included).
- ``notes.edit_draft`` / ``notes.sign`` — change or sign a draft: its author, while still
  an editor of the child. A signed note never changes (409): corrections are addenda.
- ``notes.touch`` — any write on a note at all (co-signing, sending back, answering, an
  addendum): an editor of the child, the note's author or the author's supervising
  therapist, all clinical staff. They are told the note's state (a note not waiting for a
  co-signature: 409); everyone else who sees the note is refused (403).
- ``notes.addendum`` — the same people, on a signed note.
- ``notes.cosign`` / ``notes.send_back`` — the supervising therapist of the note's author
  (an assistant's note waiting for their co-signature).
- ``notes.resubmit`` — the note's author, answering a send-back with an addendum.
- ``notes.cosign_queue`` — therapists: their assistants' notes waiting, of children whose
  care team they are on (``access.cosign_queue``).

Every write refuses with 403, not 404, those who read the notes (``readers_told``): they
see the record and are told they may not change it. Everyone else finds nothing (404).
"""

from tandem.access import (
    AUTHOR,
    CLINICAL_STAFF,
    EDITOR,
    GUARDIAN,
    SUPERVISOR_OF_AUTHOR,
    TEAM,
    Rule,
    register,
    role,
)
from tandem.accounts.models import Role

VIEW = TEAM | GUARDIAN


def readers_told(rule: Rule, readers: Rule = VIEW) -> Rule:
    """``rule``, refusing the roles of ``readers`` with a 403 instead of a 404.

    The kernel answers 404 to a role the rule never admits; the roles that read a child's
    notes see the record, so a write refused to them is a 403 (pages and API alike).
    """
    return Rule(rule.name, rule, rule.roles | readers.roles)


INVOLVED = (EDITOR | AUTHOR | SUPERVISOR_OF_AUTHOR) & CLINICAL_STAFF

register("notes.view", VIEW)
register("notes.write", readers_told(EDITOR))
register("notes.edit_draft", readers_told(EDITOR & AUTHOR))
register("notes.sign", readers_told(EDITOR & AUTHOR))
register("notes.touch", readers_told(INVOLVED))
register("notes.addendum", readers_told(INVOLVED))
register("notes.cosign", readers_told(SUPERVISOR_OF_AUTHOR))
register("notes.send_back", readers_told(SUPERVISOR_OF_AUTHOR))
register("notes.resubmit", readers_told(AUTHOR))
register("notes.cosign_queue", role(Role.THERAPIST))
