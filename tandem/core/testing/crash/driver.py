"""The crash test's side of the wire: the processes it starts and kills, and the people
who write through the API while it does.

Each write is sent until the server answers it (a request cut by a kill is sent again,
with the same ``Idempotency-Key`` where the operation takes one); a write the server
answered with a 2xx is an acknowledgement (``Ack``), kept in the ``Ledger``. A write
based on a version (goal data, the note's text, the signature) whose answer was lost is
checked by reading the note: done already, or sent again on the version read.
"""

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[4]
PATIENCE = 120.0  # seconds a write keeps being resent before the test gives up (no hang)
SIGNED = "signed"
TRIALS = [{"correct": True, "prompt": "independent"}, {"correct": False, "prompt": "verbal"}]


class Processes:
    """Every process the test starts, each in a process group of its own (gunicorn's
    workers with their master), so a kill takes the whole group, as an OOM kill or a
    power cut would; whatever is still running at the end is killed."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.started: list[subprocess.Popen[bytes]] = []

    def start(
        self, name: str, args: list[str], pass_fds: tuple[int, ...] = ()
    ) -> "subprocess.Popen[bytes]":
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(  # noqa: S603 - our own fixed commands
            args,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            pass_fds=pass_fds,
        )
        log.close()
        self.started.append(process)
        return process

    def run(self, args: list[str], env: dict[str, str] | None = None) -> str:
        """Run a command to its end; return its output (fail on a non-zero exit)."""
        done = subprocess.run(  # noqa: S603 - our own fixed commands
            args,
            cwd=ROOT,
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=300,
            start_new_session=True,
        )
        if done.returncode != 0:
            raise AssertionError(f"{args} failed ({done.returncode}):\n{done.stderr[-3000:]}")
        return done.stdout

    def kill(self, process: "subprocess.Popen[bytes]") -> None:
        """SIGKILL the process and everything in its group; wait until it is gone."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)

    def kill_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                self.kill(process)
            else:  # a master that died may leave members of its group behind
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: Any


class Wire:
    """HTTP to the server on the loopback address, as the proxy would send it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.interrupted = 0  # requests cut by a kill (sent again)
        self._lock = threading.Lock()

    def once(
        self, method: str, path: str, headers: dict[str, str], body: bytes | None, timeout: float
    ) -> Answer | None:
        """One attempt; None when the connection was cut before an answer."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        base = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "Connection": "close"}
        try:
            conn.request(method, path, body=body, headers={**base, **headers})
            response = conn.getresponse()
            payload = response.read()
        except (ConnectionError, http.client.HTTPException, TimeoutError, OSError):
            return None
        finally:
            conn.close()
        parsed: Any = None
        if payload and response.getheader("Content-Type", "").startswith("application/json"):
            parsed = json.loads(payload)
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, parsed)

    def send(self, method: str, path: str, headers: dict[str, str], body: bytes | None) -> Answer:
        """Send until answered (the same request, the same idempotency key)."""
        deadline = time.monotonic() + PATIENCE
        while True:
            answer = self.once(method, path, headers, body, timeout=30)
            if answer is not None:
                return answer
            with self._lock:
                self.interrupted += 1
            if time.monotonic() > deadline:
                raise AssertionError(f"{method} {path}: no answer for {PATIENCE:.0f} s")
            time.sleep(0.1)

    def healthy(self, deadline: float = 90.0) -> None:
        """Wait until /healthz answers 200 (a started server is ready)."""
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            answer = self.once("GET", "/healthz", {}, None, timeout=5)
            if answer is not None and answer.status == 200:
                return
            time.sleep(0.2)
        raise AssertionError("the server did not answer /healthz")


@dataclass
class Ack:
    """A write the server acknowledged (2xx), and how to send it again."""

    kind: str  # note, goal_data, text, sign, message, practice_log
    id: str  # the record's id (the note's, for changes to a note)
    tag: str  # the unique text the write carried
    replayed: bool = False  # answered from its idempotency key
    resend: tuple[str, str, dict[str, str], bytes] | None = None  # keyed POSTs only
    goal: str = ""


@dataclass
class Ledger:
    acks: list[Ack] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    condition: threading.Condition = field(default_factory=threading.Condition)

    def add(self, ack: Ack) -> None:
        with self.condition:
            self.acks.append(ack)
            self.condition.notify_all()

    def fail(self, message: str) -> None:
        with self.condition:
            self.errors.append(message)
            self.condition.notify_all()

    def count(self) -> int:
        with self.condition:
            return len(self.acks)

    def snapshot(self) -> list[Ack]:
        with self.condition:
            return list(self.acks)

    def wait_for(self, n: int, done: Callable[[], bool]) -> None:
        with self.condition:
            self.condition.wait_for(lambda: len(self.acks) >= n or done(), timeout=PATIENCE)


class Person:
    """The therapist (a bearer token) or the guardian (a session and its CSRF cookie)."""

    def __init__(self, wire: Wire, ledger: Ledger, headers: dict[str, str]) -> None:
        self.wire = wire
        self.ledger = ledger
        self.headers = headers

    def get(self, path: str) -> Answer:
        return self.wire.send("GET", path, self.headers, None)

    def request(
        self, method: str, path: str, data: dict[str, Any], *, key: str = "", form: bool = False
    ) -> tuple[str, str, dict[str, str], bytes]:
        """The request as sent (JSON, or a form as the messages take), and sent again."""
        headers = dict(self.headers)
        if form:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode(data).encode()
        else:
            headers["Content-Type"] = "application/json"
            body = json.dumps(data).encode()
        if key:
            headers["Idempotency-Key"] = key
        return method, path, headers, body

    def write(self, method: str, path: str, data: dict[str, Any]) -> Answer:
        return self.wire.send(*self.request(method, path, data))

    def create(
        self, kind: str, path: str, data: dict[str, Any], tag: str, form: bool = False
    ) -> dict[str, Any]:
        """A keyed POST, sent until answered: the record it made (201)."""
        sent = self.request("POST", path, data, key=f"crash-{uuid.uuid4().hex}", form=form)
        answer = self.wire.send(*sent)
        if answer.status != 201:
            raise AssertionError(f"POST {path}: {answer.status} {answer.body}")
        replayed = answer.headers.get("idempotent-replayed") == "true"
        self.ledger.add(Ack(kind, str(answer.body["id"]), tag, replayed, sent))
        return dict(answer.body)


def therapist_session(person: Person, world: dict[str, Any], n: int) -> None:
    """Document one session: start the note, record both goals, write it, sign it, tell
    the family."""
    child = world["child"]
    notes = f"/api/v1/children/{child}/notes"
    tag = f"crash-note-{n}"
    hour, minute = 8 + n // 12, (n % 12) * 5
    created = person.create(
        "note",
        notes,
        {
            "date": world["day"],
            "start_time": f"{hour:02d}:{minute:02d}",
            "end_time": f"{hour + 1:02d}:{minute:02d}",
            "goal_ids": world["goals"],
            "subjective": tag,
        },
        tag,
    )
    note, version = f"{notes}/{created['id']}", created["version"]
    for goal in world["goals"]:
        comment = f"{tag}-goal-{goal[:8]}"
        version = ensure(
            person,
            note,
            version,
            Ack("goal_data", created["id"], comment, goal=goal),
            recorded(goal, comment),
            goal_data(note, goal, {"trials": TRIALS, "gas_level": 0, "comment": comment}),
        )
    words = f"{tag}-objective"
    version = ensure(
        person,
        note,
        version,
        Ack("text", created["id"], words),
        lambda state: state["objective"] == words,
        lambda v: ("PATCH", note, {"version": v, "objective": words, "assessment": "Steady."}),
    )
    ensure(
        person,
        note,
        version,
        Ack("sign", created["id"], tag),
        lambda state: state["status"] == SIGNED,
        lambda v: ("POST", f"{note}/sign", {"version": v}),
    )
    said = f"crash-therapist-message-{n}"
    person.create("message", f"/api/v1/children/{child}/messages", {"body": said}, said, form=True)
    person.get(f"/api/v1/children/{child}/messages")  # read: the family's next one tells again


def recorded(goal: str, comment: str) -> Callable[[dict[str, Any]], bool]:
    """Whether the note read shows this goal's data."""

    def done(state: dict[str, Any]) -> bool:
        return any(e["goal_id"] == goal and e["comment"] == comment for e in state["goal_data"])

    return done


def goal_data(
    note: str, goal: str, data: dict[str, Any]
) -> Callable[[int], tuple[str, str, dict[str, Any]]]:
    """The PUT of a goal's data, based on a version of the note."""

    def request(version: int) -> tuple[str, str, dict[str, Any]]:
        return "PUT", f"{note}/goal-data/{goal}", {"version": version, **data}

    return request


def ensure(
    person: Person,
    note: str,
    version: int,
    ack: Ack,
    done: Callable[[dict[str, Any]], bool],
    request: Callable[[int], tuple[str, str, dict[str, Any]]],
) -> int:
    """Make a change based on the note's version: acknowledged, or found already made
    (our own request, cut by a kill, went through); return the note's version after."""
    for _attempt in range(20):
        method, path, data = request(version)
        answer = person.write(method, path, data)
        if 200 <= answer.status < 300:
            person.ledger.add(ack)
            return int(answer.body["version"])
        if answer.status != 409:
            raise AssertionError(f"{method} {path}: {answer.status} {answer.body}")
        state = person.get(note).body
        if done(state):
            return int(state["version"])
        version = state["version"]
    raise AssertionError(f"{ack.kind} of {note}: still refused after 20 attempts")


def family_practice(person: Person, world: dict[str, Any], n: int) -> None:
    """Log a practice, write to the team, read the conversation."""
    child = world["child"]
    tag = f"crash-practice-{n}"
    person.create(
        "practice_log",
        f"/api/v1/children/{child}/practice-logs",
        {"activity_id": world["activity"], "outcome": "done", "note": tag},
        tag,
    )
    said = f"crash-family-message-{n}"
    person.create("message", f"/api/v1/children/{child}/messages", {"body": said}, said, form=True)
    person.get(f"/api/v1/children/{child}/messages")


def free_listener() -> socket.socket:
    """A listening socket on a free loopback port, handed to each gunicorn in turn: the
    port stays the same across restarts, and requests sent while no server runs wait in
    its backlog instead of being refused."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    listener.set_inheritable(True)
    return listener
