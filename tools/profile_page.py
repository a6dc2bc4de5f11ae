"""CPU per request of ``make bench``'s endpoints, in-process, with a profile (issue 16).

Throughput on a shared machine is noise; the CPU one request costs is not (much). This
signs in the bench personas (tandem/bench/prepare.py: the therapist with the most notes,
their child with the most notes, that child's guardian, an API token) against a clinic
made by ``generate_clinic``, warms each endpoint up, then times N requests with
``time.process_time`` through django.test.Client — the production middleware, DEBUG
off, gzip asked for as the bench's driver does — and can profile them with cProfile.

    . env with DATABASE_URL of a generated clinic (DEBUG unset; static files collected)
    python tools/profile_page.py                       # every endpoint, CPU ms/request
    python tools/profile_page.py -e progress -p 30     # profile one, top 30 lines
    python tools/profile_page.py --pdf clinical -p 30  # the worker's print of a PDF

Nothing here asserts a time.
"""

import argparse
import cProfile
import gzip
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tandem.accounts.models import Organization  # noqa: E402
from tandem.bench import prepare  # noqa: E402
from tandem.core.testing.signin import session_for  # noqa: E402

EXTRA = [  # pages the bench does not drive but issue 16 names
    {"name": "today (day)", "as": "therapist", "path": "/appointments/schedule/?view=day"},
]


def clients(p: dict[str, Any]) -> dict[str, Client]:
    result = {}
    for role in ("therapist", "guardian"):
        client = Client(HTTP_ACCEPT_ENCODING="gzip")
        client.cookies[settings.SESSION_COOKIE_NAME] = session_for(p[role])
        result[role] = client
    token = prepare.api_token(p["therapist"])
    result["token"] = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_ENCODING="gzip")
    return result


COLD = False  # --cold: forget the Progress tab's rendered parts before each request


def request(client: Client, endpoint: dict[str, Any]) -> Any:
    if COLD:
        from tandem.progress import fragments

        fragments.clear()
    if endpoint.get("method") == "PATCH":
        response = client.patch(endpoint["path"], endpoint["body"], content_type="application/json")
        if response.status_code == 200:  # the next save carries the new version
            body = response.content
            if response.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            endpoint["body"] = endpoint["body"] | {"version": json.loads(body)["version"]}
    else:
        response = client.get(endpoint["path"])
    assert response.status_code == 200, (endpoint["name"], response.status_code)
    return response


def measure(
    client: Client,
    endpoint: dict[str, Any],
    n: int,
    warm: int,
    top: int,
    sort: str,
    callers: str = "",
) -> dict[str, Any]:
    for _ in range(warm):
        response = request(client, endpoint)
    times = []
    profile = cProfile.Profile() if top else None
    for _ in range(n):
        started = time.process_time()
        if profile:
            profile.enable()
        response = request(client, endpoint)
        if profile:
            profile.disable()
        times.append((time.process_time() - started) * 1000)
    if profile:
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.strip_dirs().sort_stats(sort).print_stats(top)
        if callers:
            stats.print_callers(callers)
        print(f"--- {endpoint['name']} (profiled: times include cProfile's overhead)")
        print(out.getvalue())
    with CaptureQueriesContext(connection) as queries:  # one more, untimed
        request(client, endpoint)
    return {
        "name": endpoint["name"],
        "queries": len(queries),
        "median": statistics.median(times),
        "min": min(times),
        "bytes": len(response.content),
    }


def profile_pdf(p: dict[str, Any], register: str, n: int, top: int, sort: str) -> None:
    """The worker's print of the progress report (the task run in-process)."""
    from tandem.exports.models import Export
    from tandem.exports.tasks import make_export

    client = clients(p)["therapist"]
    url = f"/children/{p['child'].id}/progress/report.pdf?register={register}"
    for i in range(n + 1):
        assert client.get(url).status_code == 200
        export = Export.objects.filter(requested_by=p["therapist"]).latest("created_at")
        profile = cProfile.Profile() if top and i == n else None
        started, wall = time.process_time(), time.perf_counter()
        if profile:
            profile.enable()
        assert make_export.call(str(export.pk)) == "ready"
        if profile:
            profile.disable()
        cpu, elapsed = time.process_time() - started, time.perf_counter() - wall
        label = "warm-up" if i == 0 else f"run {i}"
        print(f"{register} PDF {label}: {cpu * 1000:.0f} ms CPU, {elapsed * 1000:.0f} ms wall")
        if profile:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).strip_dirs().sort_stats(sort).print_stats(top)
            print(out.getvalue())


def kept_draft(p: dict[str, Any]) -> dict[str, Any] | None:
    """The draft an earlier run opened, if any: each new draft books a session of its own,
    so a draft per run would fill the therapist's schedule run by run."""
    from tandem.notes.models import NoteStatus, SessionNote

    note = (
        SessionNote.objects.filter(
            organization=p["therapist"].organization,
            author=p["therapist"],
            child=p["child"],
            status=NoteStatus.DRAFT,
            date=prepare.drafts_date(p["therapist"]),
        )
        .order_by("created_at")
        .first()
    )
    return {"id": str(note.id), "version": note.version} if note else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-e", "--endpoint", action="append", help="name contains (repeatable)")
    parser.add_argument("-n", type=int, default=20, help="timed requests per endpoint")
    parser.add_argument("-w", "--warm", type=int, default=3)
    parser.add_argument("-p", "--profile", type=int, default=0, help="profile: top N lines")
    parser.add_argument("-s", "--sort", default="cumulative", help="cumulative or tottime")
    parser.add_argument("-c", "--callers", default="", help="also print who calls these")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pdf", choices=("family", "clinical"))
    parser.add_argument("--cold", action="store_true", help="no kept Progress-tab parts")
    args = parser.parse_args()
    global COLD
    COLD = args.cold

    org = Organization.objects.get(name=f"Bench clinic {args.seed}")
    p = prepare.personas(org)
    if args.pdf:
        profile_pdf(p, args.pdf, args.n, args.profile, args.sort)
        return
    chosen = prepare.endpoints(p, {"id": "", "version": 0}) + EXTRA
    if args.endpoint:
        wanted = [w.lower() for w in args.endpoint]
        chosen = [e for e in chosen if any(w in e["name"].lower() for w in wanted)]
    if any(e.get("method") == "PATCH" for e in chosen):  # a draft of its own to save
        note = kept_draft(p) or prepare.drafts(p["therapist"], p["child"], 1)[0]
        by_name = {e["name"]: e for e in prepare.endpoints(p, note)}
        chosen = [by_name.get(e["name"], e) for e in chosen]
    by_role = clients(p)
    print(f"child {p['child'].id} ({p['child'].n} notes); {args.n} requests after {args.warm}")
    for endpoint in chosen:
        row = measure(
            by_role[endpoint["as"]],
            endpoint,
            args.n,
            args.warm,
            args.profile,
            args.sort,
            args.callers,
        )
        print(
            f"{row['name']:<24} median {row['median']:6.1f} ms CPU  "
            f"min {row['min']:6.1f}  {row['bytes']:>7} bytes  {row['queries']:>3} queries"
        )


if __name__ == "__main__":
    main()
