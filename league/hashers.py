"""Password hashing: Argon2id at OWASP's recommended minimum (19 MiB of memory, 2 passes, 1 lane).

Django's default PBKDF2-SHA256 (1,000,000 iterations in Django 5.2) costs ~0.35–0.6 s of CPU per login on
this kind of machine: at month end, when tens of thousands of secretaries log in within hours, password
checks alone would need more than the server's cores (docs/benchmarks.md). OWASP's Password Storage Cheat
Sheet lists Argon2id with m=19 MiB, t=2, p=1 first, as the equal of PBKDF2-SHA256 at 600,000 iterations;
being memory-hard it resists GPU guessing better than PBKDF2 does, at ~25–40 ms per check. Online guessing
is stopped by django-axes' lockouts either way.

Existing PBKDF2 hashes stay valid (the next hashers in settings.PASSWORD_HASHERS) and are rehashed to
Argon2id at the user's next successful login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
