"""Schemathesis against the live OpenAPI schema: generated requests sent as every peer
identity, and the checks on each answer (no 5xx, conformance, no cross-identity read or
write). Used by ``test_api_fuzz.py`` and ``test_api_fuzz_signed_out.py``.

Each generated request of an operation is sent as every identity, each with its own path
parameters (its own child's records, its peer's, a mix, another clinic's: ``peers.targets``,
rotated so one example covers every kind), each in a savepoint rolled back after it.
"""

import copy
import json
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from tandem.core.middleware import NUL_REFUSED

from .peers import API_PREFIX, LIST_FIELDS, Identity, Target, record_field, record_id, targets

# Requests generated per operation, each sent as every identity. Small, so the suite stays
# within CI's budget; ``TANDEM_FUZZ_EXAMPLES=20`` for a longer hunt on a quiet machine.
EXAMPLES = int(os.environ.get("TANDEM_FUZZ_EXAMPLES", "2"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
REFUSED = {403, 404}
# The app gzips answers for clients that accept it; the in-process WSGI client does not
# unzip them, so ask for plain bytes.
PLAIN = {"Accept-Encoding": "identity"}
# A web server always says where a request came from (Tandem records it per session).
CLIENT = {"REMOTE_ADDR": "203.0.113.7"}
# Credentials are ours to send: schemathesis makes up no Authorization header.
CONFIG = schemathesis.Config.from_dict({"generation": {"with-security-parameters": False}})


def fuzz_settings(*key: object) -> Any:
    """The same examples on every run (a seed per operation), no shrinking (a failure shows
    the requests as sent) and no example database."""

    def decorate(test: Any) -> Any:
        test = settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )(test)
        return seed(zlib.crc32(repr(key).encode()))(test)

    return decorate


@contextmanager
def served_in_process(django_db_blocker: Any) -> Iterator[Any]:
    """The schema as the running app serves it, calls going to the app in-process (WSGI).

    As Django's test client does, neither the start nor the end of a request closes the
    database connection (the test's transaction lives on it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock():
            schema = schemathesis.openapi.from_wsgi(
                API_PREFIX + "/openapi.json", WSGIHandler(), config=CONFIG
            )
        yield schema
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def cases(operation: Any) -> st.SearchStrategy[Any]:
    """Valid requests mostly, and some the schema forbids (they must be refused with a 4xx)."""
    positive = operation.as_strategy(generation_mode=GenerationMode.POSITIVE)
    negative = operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)
    return st.one_of(positive, positive, negative)


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run one request in a savepoint rolled back after it: no write leaks to the next.

    Marked like Django's TestCase blocks, so the app's durable blocks may nest in it."""
    atomic = transaction.atomic()
    atomic._from_testcase = True  # type: ignore[attr-defined]
    with atomic:
        yield
        transaction.set_rollback(True)


def send(case: Any, headers: dict[str, str], cookies: dict[str, str] | None = None) -> Any:
    with rolled_back():
        return case.call(headers=PLAIN | headers, cookies=cookies or {}, environ_base=CLIENT)


# --- Ids of real records in bodies and queries ------------------------------------


def name_records(world: Any, case: Any, relative: str, draw: Any, identity: Identity) -> list[Any]:
    """Replace some generated ids in the body and query with real records of one's own
    child, the peer's or the third child; return the children those records belong to."""
    named: list[Any] = []
    choices = [identity.own, identity.peer, identity.elsewhere]

    def real(name: str) -> str | None:
        kind = record_field(relative, name)
        if kind is None or not draw(st.booleans()):
            return None
        child = draw(st.sampled_from(choices))
        named.append(child)
        return record_id(world, child, kind)

    if isinstance(case.query, dict):
        for name in list(case.query):
            if (value := real(name)) is not None:
                case.query = {**case.query, name: value}
    if isinstance(case.body, dict):
        body = dict(case.body)
        for name in list(body):
            if name in LIST_FIELDS and isinstance(body[name], list):
                if (value := real(LIST_FIELDS[name])) is not None:
                    body[name] = [value]
            elif (value := real(name)) is not None:
                body[name] = value
        case.body = body
    return named


# --- The checks of our own ---------------------------------------------------------


def answer_text(response: Any) -> str:
    """The answer as text, JSON decoded (names are escaped in it)."""
    try:
        return json.dumps(response.json(), ensure_ascii=False)
    except (ValueError, TypeError):
        return str(response.content.decode("utf-8", "replace"))


def cross_identity_failures(
    identity: Identity, target: Target, named: list[Any], method: str, path: str, response: Any
) -> list[str]:
    """What this answer got wrong about who may see and change what."""
    status = response.status_code
    failures = []
    if 200 <= status < 300:
        text = answer_text(response)
        never = identity.never_shown(method, path)
        if leaked := [secret for secret in never if secret in text]:
            failures.append(f"a {status} answer names what they may not see: {leaked}")
    hidden = [c for c in target.children if c.pk in identity.hidden]
    refused = status in REFUSED or nul_refused(response)
    if target.children and len(hidden) == len(target.children) and not refused:
        failures.append(f"{method} on a child they may not see answered {status}")
    if 200 <= status < 300:
        if target.kind == "mixed":
            failures.append(f"{method} on the peer's record under one's own child: {status}")
        if target.other_org:
            failures.append(f"{method} on another clinic's record: {status}")
        path_child = target.children[0] if target.kind in ("own", "peer", "elsewhere") else None
        # A read filtered by another child's record finds nothing of theirs (the names and
        # ids above); a change naming one must be refused.
        for child in named if method != "GET" else []:
            if child.pk in identity.hidden:
                failures.append(f"{method} naming a hidden child's record answered {status}")
            elif path_child is not None and child.pk != path_child.pk:
                failures.append(f"{method} naming another child's record answered {status}")
    content_type = response.headers.get("content-type", [""])[0]
    if status >= 400 and not content_type.startswith("application/json"):
        failures.append(f"a {status} refusal without a JSON body")
    return failures


def nul_refused(response: Any) -> bool:
    """A query string holding a NUL is refused (400) before anything else, signed in or not:
    the answer is the same whatever the path names, so it tells nothing."""
    if response.status_code != 400:
        return False
    try:
        return bool(response.json().get("detail") == NUL_REFUSED)
    except (ValueError, AttributeError):
        return False


def conformance_failures(case: Any, response: Any) -> list[str]:
    """Schemathesis's checks: no 5xx; status, content type and body as the schema says."""
    try:
        case.validate_response(response, checks=CHECKS)
    except FailureGroup as group:
        return [f"{failure.title}: {failure.message}"[:1500] for failure in group.exceptions]
    return []


def fuzz_operation(schema: Any, world: Any, method: str, relative: str) -> int:
    """Send generated requests for one operation as every identity; fail with every wrong
    answer of the first example that had one. Return how many requests were sent."""
    operation = schema[API_PREFIX + relative][method]
    choices = {identity.name: targets(world, identity, relative) for identity in world.identities}
    sent = [0]

    @fuzz_settings(method, relative)
    @given(case=cases(operation), rotation=st.integers(0, 11), data=st.data())
    def example(case: Any, rotation: int, data: st.DataObject) -> None:
        query, body, generated = copy.deepcopy(case.query), case.body, dict(case.path_parameters)
        failures = []
        for number, identity in enumerate(world.identities):
            options = choices[identity.name]
            target = options[(rotation + number) % len(options)]
            case.path_parameters = generated | target.path_parameters
            case.query, case.body = copy.deepcopy(query), copy.deepcopy(body)
            named = name_records(world, case, relative, data.draw, identity)
            response = send(case, identity.headers, identity.cookies)
            sent[0] += 1
            wrong = conformance_failures(case, response) + cross_identity_failures(
                identity, target, named, method, relative, response
            )
            if wrong:
                failures.append(
                    f"as {identity} ({target!r}): {method} {case.formatted_path} "
                    f"query={case.query!r:.200} body={case.body!r:.300} → "
                    f"{response.status_code} {answer_text(response)[:300]}\n  " + "\n  ".join(wrong)
                )
        assert not failures, "\n".join(failures)

    example()
    return sent[0]
