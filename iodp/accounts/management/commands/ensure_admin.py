import os

from django.core.management.base import BaseCommand

from iodp.accounts.services import platform_admin_ensure


class Command(BaseCommand):
    help = "Make sure a platform admin exists (IODP_ADMIN_USER / IODP_ADMIN_PASSWORD, else a generated password)."

    def handle(self, *args, **options):
        username = os.environ.get("IODP_ADMIN_USER") or "admin"
        user, generated = platform_admin_ensure(username=username, password=os.environ.get("IODP_ADMIN_PASSWORD"))
        if generated:
            self.stdout.write(self.style.WARNING(
                f"Platform admin created: username '{user.username}', password '{generated}' "
                "(shown once; change it after logging in)."
            ))
        else:
            self.stdout.write(f"Platform admin: {user.username}")
