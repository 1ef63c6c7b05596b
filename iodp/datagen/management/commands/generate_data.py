"""`manage.py generate_data`: the national-scale data set the benchmarks (bench/pages.py) measure."""

import datetime

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from iodp.datagen.generator import PASSWORD, PLATFORM_ADMIN, Generator, Sizes, database_is_empty


class Command(BaseCommand):
    help = ("Fill an empty database with a realistic, deterministic data set: units, organizations, memberships, "
            "conferences, experts and their posts, in every workflow state. Same seed, same data.")

    def add_arguments(self, parser):
        parser.add_argument("--organizations", type=int, default=68_000)
        parser.add_argument("--experts", type=int, default=100_000)
        parser.add_argument("--units", type=int, default=300)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None,
                            help="the day dates count from (YYYY-MM-DD; default: today in Asia/Shanghai)")
        parser.add_argument("--force", action="store_true",
                            help="empty the database first (manage.py flush, then the reference data again)")

    def handle(self, *args, **options):
        if options["units"] < 1 or options["organizations"] < 1 or options["experts"] < 0:
            raise CommandError("--units and --organizations must be at least 1, --experts at least 0.")
        if not database_is_empty():
            if not options["force"]:
                raise CommandError("The database already holds units, organizations or experts. Use an empty "
                                   "database, or --force to empty this one first (everything in it is deleted).")
            from iodp.reference.loader import load_reference_data

            if connection.vendor == "postgresql" and connection.in_atomic_block:
                with connection.cursor() as cursor:  # TRUNCATE refuses tables with deferred checks pending
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            call_command("flush", interactive=False, verbosity=0)
            load_reference_data()
        sizes = Sizes(organizations=options["organizations"], experts=options["experts"], units=options["units"])
        self.stdout.write(f"generating {sizes.units} units, {sizes.organizations} organizations, "
                          f"{sizes.experts} experts (seed {options['seed']})")
        counts = Generator(seed=options["seed"], sizes=sizes, today=options["today"],
                           log=self.stdout.write).run()
        for label, count in counts.items():
            self.stdout.write(f"  {label:<48} {count:>9,}")
        self.stdout.write(f"accounts: {PLATFORM_ADMIN} (platform admin) and unit001... (unit admins), "
                          f"password {PASSWORD}")
