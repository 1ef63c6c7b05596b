from django.core.management.base import BaseCommand

from iodp.core.db import analyze
from iodp.reference.loader import load_reference_data


class Command(BaseCommand):
    help = "Load or refresh GB/T 13745 disciplines, GB/T 2260 provinces and ISO 3166 countries."

    def handle(self, *args, **options):
        changed = load_reference_data()
        analyze()
        self.stdout.write(", ".join(f"{name}: {count} changed" for name, count in changed.items()))
