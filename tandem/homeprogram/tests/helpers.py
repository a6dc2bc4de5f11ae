"""Home activities, logs and observations for tests, built through the actions."""

import datetime
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.core.testing.factories import clinic_today
from tandem.homeprogram import actions
from tandem.homeprogram.models import HomeActivity, Observation, PracticeLog
from tandem.plans.models import Goal
from tandem.plans.tests.helpers import make_plan


def today() -> datetime.date:
    return clinic_today()


def goal_of(child: Child, author: Membership) -> Goal:
    """The child's first goal, making an active plan with one goal if there is none."""
    goal = Goal.objects.filter(child=child).order_by("created_at").first()
    if goal is None:
        make_plan(child, author)
        goal = Goal.objects.filter(child=child).order_by("created_at").first()
    assert goal is not None
    return goal


def make_activity(
    child: Child, author: Membership, *, goals: list[Goal] | None = None, **fields: Any
) -> HomeActivity:
    values: dict[str, Any] = {
        "title": "Pinch the pegs",
        "why": "Strong fingers make buttons easier.",
        "steps": "Put ten pegs on a box.\nTake them off one by one.",
        "times_per_week": 3,
        "minutes": 10,
        "materials": "Ten clothes pegs, a shoebox",
        "starts_on": today() - datetime.timedelta(weeks=10),
    } | fields
    if goals is None:
        goals = [goal_of(child, author)]
    return actions.create_activity(author, child, goals=goals, **values)


def log(activity: HomeActivity, guardian: Membership, **fields: Any) -> PracticeLog:
    values: dict[str, Any] = {"outcome": "done", "date": today()} | fields
    return actions.log_practice(guardian, activity, **values)


def observe(child: Child, goal: Goal, by: Membership, **fields: Any) -> Observation:
    values: dict[str, Any] = {
        "setting": "home",
        "independence": "some_help",
        "observed_on": today(),
    } | fields
    return actions.record_observation(by, child, goal, **values)


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "orange").save(buffer, format="JPEG")
    return buffer.getvalue()


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def upload(
    name: str, data: bytes, content_type: str = "application/octet-stream"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)
