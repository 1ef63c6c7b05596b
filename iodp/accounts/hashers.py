"""How passwords are stored: Argon2id with OWASP's recommended parameters.

OWASP's Password Storage Cheat Sheet puts Argon2id first, at a minimum of 19 MiB of memory, 2 iterations and a
parallelism of 1. Memory-hard, it costs an attacker's GPU far more per guess than PBKDF2, while one login costs
the server about 25 ms instead of the 230-600 ms of Django's PBKDF2 (1,000,000 iterations): fifty units
logging in at nine in the morning no longer hold both cores for half a minute (bench/load.py). Django's own
Argon2 defaults (100 MiB, parallelism 8) ask for eight threads a login, more than a 2-core server has.

Hashes stored with other parameters or by PBKDF2 (accounts created before) still verify, and Django re-hashes
them with these parameters at the user's next login (`must_update`).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Django's Argon2 hasher (the argon2id variant) at OWASP's parameters; the stored format is Django's."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
