"""Generate a synthetic clinic of any size for measuring Tandem (issue 16).

    manage.py generate_clinic --children 300 --therapists 20 --years 2 --seed 1

Bulk inserts a new organization "Bench clinic SEED" (see tandem/bench/generate.py for what
it holds). Deterministic for a seed, sizes and ``--end`` date. Every account's password
is ``bench-password-not-secret``; emails are admin@benchSEED.example,
therapistN@benchSEED.example and guardianN@benchSEED.example.
"""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.accounts.models import Organization
from tandem.bench.generate import generate


class Command(BaseCommand):
    help = "Bulk insert a synthetic clinic (children, plans, signed notes, goal data)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=int, default=300)
        parser.add_argument("--therapists", type=int, default=20)
        parser.add_argument("--years", type=float, default=2.0)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--end", type=date.fromisoformat, default=None, help="last day (default: today)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seed = options["seed"]
        if Organization.objects.filter(name=f"Bench clinic {seed}").exists():
            raise CommandError(f"Bench clinic {seed} exists already: choose another --seed.")
        if options["children"] < 1 or options["therapists"] < 1 or options["years"] <= 0:
            raise CommandError("--children, --therapists and --years must be positive.")
        org, counts = generate(
            children=options["children"],
            therapists=options["therapists"],
            years=options["years"],
            seed=seed,
            end=options["end"],
            out=self.stdout.write,
        )
        self.stdout.write(
            f"Generated {org.name} ({org.id}): {counts.rows:,} rows in {counts.seconds:,.1f} s "
            f"({counts.rows / max(counts.seconds, 1e-9):,.0f} rows/s)"
        )
