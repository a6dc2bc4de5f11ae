"""``make proof``'s load test, in-process half: the people the load signs in as.

    python -m tandem.bench.load.prepare OUT.json SEED

Runs with the same settings as the gunicorn it prepares for (tandem/bench/proof.py sets
the environment). In the generated clinic of SEED it picks therapists (each with a
session, an API token and the children they lead, one active goal each), guardians
(each with a session and their children, each child with a home activity to practise —
the generator makes none) and adds front-desk members (sessions; the generator makes
none). Staff sessions are marked MFA-confirmed, as after sign-in.
"""

import json
import os
import sys
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
django.setup()

from tandem.accounts.models import Membership, Organization, Role, User  # noqa: E402
from tandem.bench.prepare import api_token, session_for  # noqa: E402
from tandem.children.models import CareTeamMember, GuardianLink  # noqa: E402
from tandem.homeprogram import actions as home_actions  # noqa: E402
from tandem.homeprogram.models import HomeActivity  # noqa: E402
from tandem.plans.models import Goal, GoalStatus  # noqa: E402

THERAPISTS = int(os.environ.get("PROOF_THERAPISTS", "40"))
GUARDIANS = int(os.environ.get("PROOF_GUARDIANS", "60"))
FRONT_DESK = int(os.environ.get("PROOF_FRONT_DESK", "5"))
CHILDREN_PER_THERAPIST = 8


def therapists(org: Organization) -> list[dict[str, Any]]:
    """Therapists who lead children with an active goal, with what the load needs."""
    seats = (
        CareTeamMember.objects.filter(organization=org, role="lead")
        .select_related("therapist__user")
        .order_by("therapist__user__email", "child_id")
    )
    goals: dict[Any, Goal] = {}
    for goal in Goal.objects.filter(organization=org, status=GoalStatus.ACTIVE).order_by("id"):
        goals.setdefault(goal.child_id, goal)
    chosen: dict[Any, dict[str, Any]] = {}
    for seat in seats:
        found = goals.get(seat.child_id)
        if found is None:
            continue
        entry = chosen.setdefault(seat.therapist_id, {"member": seat.therapist, "children": []})
        if len(entry["children"]) < CHILDREN_PER_THERAPIST:
            entry["children"].append(
                {"id": str(seat.child_id), "goal": str(found.id), "kind": found.measurement_type}
            )
    result = []
    for entry in list(chosen.values())[:THERAPISTS]:
        member = entry["member"]
        result.append(
            {
                "email": member.user.email,
                "session": session_for(member),
                "token": api_token(member),
                "children": entry["children"],
            }
        )
    return result


def guardians(org: Organization) -> list[dict[str, Any]]:
    """Guardians with a home activity to practise for each of their children."""
    links = (
        GuardianLink.objects.filter(organization=org)
        .select_related("guardian__user", "child")
        .order_by("guardian__user__email", "child_id")
    )
    chosen: dict[Any, dict[str, Any]] = {}
    for link in links:
        if len(chosen) >= GUARDIANS and link.guardian_id not in chosen:
            continue
        entry = chosen.setdefault(link.guardian_id, {"member": link.guardian, "children": []})
        entry["children"].append(link.child)
    result = []
    for entry in chosen.values():
        children = []
        for child in entry["children"]:
            activity = HomeActivity.objects.filter(organization=org, child=child).first()
            if activity is None:
                lead = CareTeamMember.objects.filter(
                    organization=org, child=child, role="lead"
                ).first()
                if lead is None:
                    continue
                activity = home_actions.create_activity(
                    lead.therapist,
                    child,
                    title="Stack five blocks",
                    why="Steady hands for writing.",
                    steps="Sit at the table.\nStack the blocks.\nCount them together.",
                    times_per_week=5,
                    minutes=10,
                )
            children.append({"id": str(child.id), "activity": str(activity.id)})
        if children:
            member = entry["member"]
            result.append(
                {"email": member.user.email, "session": session_for(member), "children": children}
            )
    return result


def front_desk(org: Organization) -> list[dict[str, Any]]:
    """Front-desk members (made here), with the clinic's children to book for."""
    children = list(
        CareTeamMember.objects.filter(organization=org, role="lead")
        .order_by("child_id")
        .values_list("child_id", "therapist_id")[:200]
    )
    result = []
    for n in range(FRONT_DESK):
        email = f"front-desk-{n}@proof.example"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None)
        member, _created = Membership.objects.get_or_create(
            organization=org, user=user, defaults={"role": Role.FRONT_DESK}
        )
        result.append(
            {
                "email": email,
                "session": session_for(member),
                "children": [
                    {"id": str(child), "therapist": str(therapist)}
                    for child, therapist in children[n::FRONT_DESK]
                ],
            }
        )
    return result


def main() -> None:
    out, seed = sys.argv[1], int(sys.argv[2])
    org = Organization.objects.get(name=f"Bench clinic {seed}")
    result = {
        "therapists": therapists(org),
        "guardians": guardians(org),
        "front_desk": front_desk(org),
    }
    with open(out, "w") as f:
        json.dump(result, f, indent=1)
    print(
        f"prepared {len(result['therapists'])} therapists, {len(result['guardians'])} "
        f"guardians, {len(result['front_desk'])} front desk",
        flush=True,
    )


if __name__ == "__main__":
    main()
