import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from iodp.accounts.services import platform_admin_ensure, platform_admin_find, platform_admin_password_set


class Command(BaseCommand):
    help = (
        "Make sure a platform admin exists (IODP_ADMIN_USER, else 'admin'). With IODP_ADMIN_PASSWORD the admin "
        "gets that password, also when it already exists (how an operator recovers access); without it a new "
        "admin gets a generated password and an existing one is left alone."
    )

    def handle(self, *args, **options):
        username = os.environ.get("IODP_ADMIN_USER") or "admin"
        password = os.environ.get("IODP_ADMIN_PASSWORD") or None
        existing = platform_admin_find(username)
        try:
            if existing is None:
                self._create(username, password)
            elif password:
                if platform_admin_password_set(user=existing, password=password,
                                               how="manage.py ensure_admin, IODP_ADMIN_PASSWORD"):
                    self.stdout.write(self.style.SUCCESS(
                        f"Platform admin '{existing.username}': password set from IODP_ADMIN_PASSWORD "
                        "(login lockouts cleared; logged in the change log)."
                    ))
                else:
                    self.stdout.write(f"Platform admin '{existing.username}': password unchanged "
                                      "(already the one in IODP_ADMIN_PASSWORD).")
            else:
                self.stdout.write(f"Platform admin '{existing.username}' exists; password unchanged "
                                  "(set IODP_ADMIN_PASSWORD to reset it).")
        except ValidationError as error:
            raise CommandError("IODP_ADMIN_PASSWORD refused: " + " ".join(error.messages)) from error

    def _create(self, username: str, password: str | None) -> None:
        user, generated = platform_admin_ensure(username=username, password=password)
        if generated:
            self.stdout.write(self.style.WARNING(
                f"Platform admin created: username '{user.username}', password '{generated}' "
                "(shown once; change it after logging in)."
            ))
        else:
            self.stdout.write(self.style.SUCCESS(
                f"Platform admin created: username '{user.username}', password from IODP_ADMIN_PASSWORD."
            ))
