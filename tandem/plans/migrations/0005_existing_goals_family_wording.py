"""Goals written before family wordings existed get the draft a new goal gets (the bank
entry's wording, else the plain sentence for the goal's area), so a family reads a plain
goal from the first day rather than "Your therapist is writing this goal in plain words."
Therapists see the draft on the goal card ("What the family reads") and change it there.

In its own transaction after 0004's column changes, in batches of 500 with one UPDATE per
batch; the drafts are data fills, not edits, so no history rows are written.
"""

from django.db import migrations

BATCH = 500
FIELDS = ("family_wording_en", "family_wording_es", "child_wording_en", "child_wording_es")


def fill_existing_goals(apps, schema_editor):
    from tandem.plans.wording import drafts  # the drafts as of this release

    Goal = apps.get_model("plans", "Goal")
    pending = (
        Goal._base_manager.filter(family_wording_en="", family_wording_es="")
        .select_related("child", "bank_entry")
        .order_by("pk")
    )
    batch = []
    for goal in pending.iterator(chunk_size=BATCH):
        for name, text in drafts(goal.child, goal.domain, goal.bank_entry).items():
            if not (getattr(goal, name) or "").strip():
                setattr(goal, name, text)
        batch.append(goal)
        if len(batch) == BATCH:
            Goal._base_manager.bulk_update(batch, FIELDS)
            batch = []
    if batch:
        Goal._base_manager.bulk_update(batch, FIELDS)


class Migration(migrations.Migration):
    atomic = True

    dependencies = [
        ("plans", "0004_goal_family_wording"),
    ]

    operations = [
        migrations.RunPython(fill_existing_goals, migrations.RunPython.noop, elidable=True),
    ]
