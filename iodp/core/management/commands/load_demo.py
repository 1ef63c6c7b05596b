import os

from django.core.management.base import BaseCommand

from iodp.accounts.services import platform_admin_ensure
from iodp.core.db import analyze
from iodp.core.demo import DEMO_PASSWORD, DEMO_UNITS, load_demo


class Command(BaseCommand):
    help = "Load the demo units, users and records once (skipped when IODP_DEMO=0 or already loaded)."

    def handle(self, *args, **options):
        if os.environ.get("IODP_DEMO", "1") == "0":
            self.stdout.write("IODP_DEMO=0: demo data skipped.")
            return
        admin, generated = platform_admin_ensure(
            username=os.environ.get("IODP_ADMIN_USER") or "admin", password=os.environ.get("IODP_ADMIN_PASSWORD")
        )
        if generated:
            self.stdout.write(self.style.WARNING(
                f"Platform admin created: username '{admin.username}', password '{generated}' "
                "(shown once; change it after logging in)."
            ))
        if load_demo(admin):
            analyze()
            users = ", ".join(u[0] for u in DEMO_UNITS)
            self.stdout.write(f"Demo data loaded: users {users}, password {DEMO_PASSWORD}")
        else:
            self.stdout.write("Demo data already present.")
