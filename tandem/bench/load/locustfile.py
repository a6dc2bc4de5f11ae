"""The load of ``make proof`` (issue 15): a clinic's day, by the people who use it.

Run by tandem/bench/proof.py with ``locust --headless`` against a gunicorn on 127.0.0.1
(nothing else is ever a target). PROOF_PREPARED names the JSON that
``tandem.bench.load.prepare`` wrote: the sessions and tokens of the people below.

- Therapists (weight 5) open their week, their caseload, a child's record and progress,
  and document a session through the API the note editor's offline queue uses: a draft
  (with an idempotency key), a goal's data, a change, the signature.
- Families (weight 4) open their home on the phone, log practice and write to the team
  (the pages' own forms, CSRF token and idempotency key included), and read their
  appointments.
- The front desk (weight 1) opens the schedule and a child's appointments and books a
  session (a time that clashes is refused on the form, as it would be for a person;
  counted apart, not as an error).

Every answer is checked: a page is 200, a form's success is its redirect (302), an API
write its 2xx; anything else is a failure.
"""

import itertools
import json
import os
import random
import uuid
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

from locust import HttpUser, between, task

with open(os.environ["PROOF_PREPARED"]) as _file:
    PREPARED: dict[str, Any] = json.load(_file)
_TURN = {kind: itertools.count() for kind in ("therapists", "guardians", "front_desk")}
ORIGIN = "https://127.0.0.1"
BASE_HEADERS = {
    "Host": "127.0.0.1",
    "X-Forwarded-Proto": "https",  # as the TLS proxy in front of gunicorn says
    "Accept-Encoding": "gzip",
}


def persona(kind: str) -> dict[str, Any]:
    """The next person of this kind (each simulated user is one person)."""
    people = PREPARED[kind]
    return people[next(_TURN[kind]) % len(people)]


class Forms(HTMLParser):
    """The forms of a page: action → {field: value} (hidden inputs and defaults)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((a.get("action", ""), {}))
        elif not self.forms:
            return
        elif tag in ("input", "textarea") and a.get("name"):
            if a.get("type") not in ("submit", "file", "checkbox", "radio"):
                self.forms[-1][1].setdefault(a["name"], a.get("value", ""))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select:
            fields = self.forms[-1][1]
            if self._select not in fields or "selected" in a:
                fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def form_on(html: str, action_part: str, field: str = "") -> tuple[str, dict[str, str]] | None:
    """The first form whose action holds ``action_part`` (and that has ``field``)."""
    parser = Forms()
    parser.feed(html)
    for action, fields in parser.forms:
        if action_part in action and (not field or field in fields):
            return action, fields
    return None


class Person(HttpUser):
    """A signed-in person: their session cookie and the CSRF cookie the pages set."""

    abstract = True
    # People read and type between clicks: 2–8 s between one action and the next.
    wait_time = between(2, 8)
    kind = ""

    def on_start(self) -> None:
        self.me = persona(self.kind)
        self.csrf = ""
        self.client.trust_env = False

    def headers(self) -> dict[str, str]:
        cookie = f"sessionid={self.me['session']}"
        if self.csrf:
            cookie += f"; csrftoken={self.csrf}"
        return {**BASE_HEADERS, "Cookie": cookie}

    def page(self, path: str, name: str) -> str:
        with self.client.get(
            path, headers=self.headers(), name=name, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
                return ""
            token = response.cookies.get("csrftoken")
            if token:
                self.csrf = token
            return response.text

    def submit(self, path: str, name: str, fields: dict[str, str]) -> Any:
        headers = {**self.headers(), "Origin": ORIGIN, "Referer": ORIGIN + path}
        return self.client.post(
            path,
            data=fields,
            headers=headers,
            name=name,
            catch_response=True,
            allow_redirects=False,
        )


class Therapist(Person):
    weight = 5
    kind = "therapists"

    def api(self, method: str, path: str, name: str, body: dict[str, Any]) -> Any:
        headers = {
            **BASE_HEADERS,
            "Authorization": f"Bearer {self.me['token']}",
            "Idempotency-Key": str(uuid.uuid4()),
        }
        with self.client.request(
            method, path, json=body, headers=headers, name=name, catch_response=True
        ) as response:
            if response.status_code not in (200, 201):
                response.failure(f"{response.status_code} {response.text[:200]}")
                return None
            return response.json()

    @task(3)
    def look(self) -> None:
        child = random.choice(self.me["children"])["id"]
        self.page("/appointments/schedule/", "therapist: week schedule")
        self.page("/children/", "therapist: caseload")
        self.page(f"/children/{child}/", "therapist: child record")
        self.page(f"/children/{child}/progress/", "therapist: progress tab")

    @task(2)
    def document(self) -> None:
        """A session documented and signed through the API, as the editor's queue does."""
        child = random.choice(self.me["children"])
        base = f"/api/v1/children/{child['id']}/notes"
        # Yesterday in UTC is never after the clinic's today, whatever its time zone.
        day = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
        hour = random.randint(8, 16)
        note = self.api(
            "POST",
            base,
            "therapist: API note create",
            {
                "date": day,
                "start_time": f"{hour:02}:00",
                "end_time": f"{hour:02}:45",
                "goal_ids": [child["goal"]],
                "subjective": "Came in cheerful; slept well.",
            },
        )
        if note is None:
            return
        recorded = self.api(
            "PUT",
            f"{base}/{note['id']}/goal-data/{child['goal']}",
            "therapist: API goal data",
            {**goal_data(child["kind"]), "version": note["version"]},
        )
        if recorded is None:
            return
        changed = self.api(
            "PATCH",
            f"{base}/{note['id']}",
            "therapist: API note save",
            {
                "version": recorded["version"],
                "objective": "Worked at the table for 20 minutes.",
                "assessment": "Steady progress; fewer prompts than last week.",
            },
        )
        if changed is not None:
            self.api(
                "POST",
                f"{base}/{note['id']}/sign",
                "therapist: API note sign",
                {"version": changed["version"]},
            )


def goal_data(kind: str) -> dict[str, Any]:
    """A goal's data for the session, in the goal's own measure."""
    rng = random.random
    if kind == "percent_trials":
        trials = [{"correct": rng() < 0.7, "prompt": "verbal"} for _ in range(10)]
        return {"trials": trials, "gas_level": 0}
    if kind == "frequency":
        return {"count": random.randint(0, 6), "gas_level": 0}
    if kind == "duration":
        return {"duration_seconds": random.randint(5, 120), "gas_level": 0}
    if kind == "rating":
        return {"rating": random.randint(1, 5), "gas_level": 0}
    return {"steps_total": 10, "steps_done": random.randint(0, 10), "gas_level": 0}


class Family(Person):
    weight = 4
    kind = "guardians"

    @task(3)
    def practise(self) -> None:
        child = random.choice(self.me["children"])
        html = self.page("/children/family/", "family: home")
        found = form_on(html, f"/home/activities/{child['activity']}/log/")
        if found is None:
            html = self.page(f"/children/{child['id']}/home/", "family: home program")
            found = form_on(html, f"/home/activities/{child['activity']}/log/")
        if found is None:
            return
        action, fields = found
        with self.submit(action, "family: log practice", {**fields, "outcome": "done"}) as r:
            if r.status_code != 302:
                r.failure(f"{r.status_code}")

    @task(1)
    def write(self) -> None:
        child = random.choice(self.me["children"])
        html = self.page(f"/children/{child['id']}/messages/", "family: messages")
        found = form_on(html, "/messages/post/")
        if found is None:
            return
        action, fields = found
        body = {**fields, "body": "She tied her shoes by herself this morning!"}
        with self.submit(action, "family: send message", body) as r:
            if r.status_code != 302:
                r.failure(f"{r.status_code}")

    @task(1)
    def appointments(self) -> None:
        self.page("/appointments/family/", "family: appointments")


class FrontDesk(Person):
    weight = 1
    kind = "front_desk"

    @task
    def book(self) -> None:
        child = random.choice(self.me["children"])
        self.page("/appointments/schedule/", "front desk: schedule")
        self.page(f"/appointments/children/{child['id']}/", "front desk: child's appointments")
        path = f"/appointments/children/{child['id']}/new/"
        html = self.page(path, "front desk: booking form")
        found = form_on(html, "", field="duration_minutes")
        if found is None:
            return
        _action, fields = found
        day = datetime.now(UTC).date() + timedelta(days=random.randint(30, 400))
        minute = random.choice((0, 15, 30, 45))
        fields |= {
            "therapist": child["therapist"],
            "date": day.isoformat(),
            "time": f"{random.randint(8, 16):02}:{minute:02}",
            "duration_minutes": "45",
        }
        with self.submit(path, "front desk: book", fields) as r:
            if r.status_code == 302:
                return
            if r.status_code == 200 and "errorlist" in r.text:
                r.success()  # a clash, refused on the form as for a person
                self.environment.events.request.fire(
                    request_type="FORM",
                    name="front desk: book refused (clash)",
                    response_time=0,
                    response_length=0,
                    exception=None,
                    context={},
                )
                return
            r.failure(f"{r.status_code}")
