"""The load test: 50 unit admins (locust, from a second process on loopback) browsing, searching and saving
drafts for 60 s against gunicorn + the bench database that bench/pages.py fills (generate_data). Prints
requests/s, p95 and errors per request kind and overall. Asserts nothing.

    .venv/bin/python bench/pages.py --db postgres            # once: fills the bench database
    .venv/bin/python bench/load.py --db postgres [--users 50] [--seconds 60] [--workers 3]

locust runs from a virtualenv of its own (var/bench/locust-venv, created from bench/requirements-load.txt on
the first run): it brings gevent and a pytest plugin that the platform's test environment must not load.
"""

import argparse
import csv
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import dataset  # noqa: E402
from bench.pages import free_port, gunicorn  # noqa: E402

VENV = dataset.ROOT / "var" / "bench" / "locust-venv"


def locust() -> Path:
    executable = VENV / "bin" / "locust"
    if not executable.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "--quiet", "-r",
                        str(dataset.ROOT / "bench" / "requirements-load.txt")], check=True)
    return executable


def accounts(n: int) -> tuple[list[str], str]:
    """n unit admins of the generated data, their password hashed by the settings gunicorn runs with."""
    from iodp.accounts.models import User
    from iodp.datagen.generator import PASSWORD, username_of

    names = [username_of(i) for i in range(1, n + 1)]
    users = list(User.objects.filter(username__in=names))
    for user in users:
        user.set_password(PASSWORD)
    User.objects.bulk_update(users, ["password"])
    return [u.username for u in users], PASSWORD


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    url = args.database_url or dataset.database_url(argparse.Namespace(db=args.db, database_url=""))
    dataset.setup_django(url)
    from iodp.organizations.models import Organization

    names, password = accounts(args.users)
    organizations = list(Organization.objects.official().order_by("?").values_list("pk", flat=True)[:500])
    runner = locust()
    out = dataset.ROOT / "var" / "bench" / "load"
    with gunicorn(url, workers=args.workers, port=free_port()) as base:
        env = {**os.environ, "IODP_LOAD_ACCOUNTS": ",".join(names), "IODP_LOAD_PASSWORD": password,
               "IODP_LOAD_ORGANIZATIONS": ",".join(map(str, organizations))}
        subprocess.run([str(runner), "-f", str(dataset.ROOT / "bench" / "locustfile.py"), "--headless",
                        "-u", str(args.users), "-r", str(max(1, args.users // 10)), "-t", f"{args.seconds}s",
                        "--host", base, "--csv", str(out), "--only-summary", "--loglevel", "WARNING"],
                       env=env, check=False, stdout=subprocess.DEVNULL)
    with open(f"{out}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    print(f"\n{args.users} users, {args.seconds} s, gunicorn with {args.workers} workers, {dataset.sizes()}")
    print("\n| request | requests | failures | req/s | median ms | p95 ms |\n|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | {float(row['Requests/s']):.1f} "
              f"| {row['50%']} | {row['95%']} |")


if __name__ == "__main__":
    main()
