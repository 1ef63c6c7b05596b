"""What the bench scripts share: which database they use, filling it with `manage.py generate_data`, and the
generated accounts they log in with.

A bench database is the scripts' own: without --reuse it is dropped and created again, so its name must
contain "bench" (iodp_bench by default on PostgreSQL, var/bench/iodp_bench.sqlite3 on SQLite).
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URLS = {
    "postgres": "postgres://postgres@127.0.0.1:5432/iodp_bench",
    "sqlite": f"sqlite:///{ROOT / 'var' / 'bench' / 'iodp_bench.sqlite3'}",
}
FULL_SCALE = {"organizations": 68_000, "experts": 100_000, "units": 300}


def add_arguments(parser) -> None:
    """The options every bench script takes for its data set."""
    parser.add_argument("--db", choices=sorted(DEFAULT_URLS), default="sqlite")
    parser.add_argument("--database-url", help="a database of its own (its name must contain 'bench'); "
                                               "default: " + ", ".join(f"{k}: {v}" for k, v in DEFAULT_URLS.items()))
    parser.add_argument("--reuse", action="store_true", help="measure the data already in the bench database")
    parser.add_argument("--organizations", type=int, default=FULL_SCALE["organizations"])
    parser.add_argument("--experts", type=int, default=FULL_SCALE["experts"])
    parser.add_argument("--units", type=int, default=FULL_SCALE["units"])
    parser.add_argument("--seed", type=int, default=2026)


def database_url(args) -> str:
    url = args.database_url or DEFAULT_URLS[args.db]
    if "bench" not in url.rsplit("/", 1)[-1]:
        sys.exit(f"refusing {url}: a bench database's name contains 'bench' (it is dropped and recreated)")
    return url


def setup_django(url: str, settings: str = "iodp.settings.local") -> None:
    """Django configured for `url`, with the settings gunicorn runs with (DEBUG off, production storage)."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def recreate_database(url: str) -> None:
    """Drop and create the bench database (before Django connects to it)."""
    import dj_database_url

    config = dj_database_url.parse(url)
    if config["ENGINE"].endswith("sqlite3"):
        path = Path(config["NAME"])
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(host=config["HOST"] or "127.0.0.1", port=config["PORT"] or 5432, user=config["USER"],
                         password=config["PASSWORD"] or None, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{config["NAME"]}"')


def load(args, log=print) -> dict:
    """Fill the bench database (or, with --reuse, check it is filled). Returns what it holds."""
    from django.core.management import call_command

    from iodp.datagen.generator import database_is_empty

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if args.reuse:
        if database_is_empty():
            sys.exit("--reuse: the bench database is empty; run once without --reuse")
    else:
        call_command("generate_data", organizations=args.organizations, experts=args.experts, units=args.units,
                     seed=args.seed, stdout=_Log(log))
        log(f"generated in {time.perf_counter() - started:.0f} s")
    return sizes()


def sizes() -> dict:
    from iodp.experts.models import Expert, Position
    from iodp.organizations.models import Membership, Organization

    return {"organizations": Organization.objects.filter(revision_of__isnull=True).count(),
            "experts": Expert.objects.filter(revision_of__isnull=True).count(),
            "positions": Position.objects.count(), "memberships": Membership.objects.count()}


def accounts() -> tuple[str, str, str]:
    """(platform admin, unit admin, password): the generated accounts, with the password hashed by the settings
    in use (the data may have been generated under other settings, e.g. the tests' fast hasher)."""
    from iodp.accounts.models import User
    from iodp.datagen.generator import PASSWORD, PLATFORM_ADMIN, username_of

    names = (PLATFORM_ADMIN, username_of(1))
    for user in User.objects.filter(username__in=names):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return names[0], names[1], PASSWORD


class _Log:
    """A file-like stdout for call_command that prints through `log`."""

    def __init__(self, log):
        self.log = log

    def write(self, text):
        if text.strip():
            self.log(text.rstrip())

    def flush(self):
        pass
