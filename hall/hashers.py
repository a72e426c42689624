"""How passwords are stored: Argon2id at the cost the hall's security policy names.

Django's default (PBKDF2-SHA256, 1,000,000 iterations) took 0.3 s of CPU per login on a quiet 2-core
machine and 1–2 s on a busy one, so a hall's shift opening (dozens of clerks logging in at once)
queued for seconds. Argon2id is memory-hard, which is what makes guessing on GPUs expensive; the
cost below is RFC 9106's second recommended setting (3 passes over 64 MiB), with two lanes for a
two-core server: about 80 ms per login here. Existing PBKDF2 hashes still verify and are re-encoded
with Argon2id at the user's next login (Django upgrades a hash made by a hasher further down
``PASSWORD_HASHERS``).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class HallArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 3
    memory_cost = 65536  # KiB: 64 MiB
    parallelism = 2
