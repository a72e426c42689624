"""How passwords are stored: Argon2id at the cost the hall's security policy names.

Django's default (PBKDF2-SHA256, 1,000,000 iterations) took 0.3 s of CPU per login on a quiet 2-core
machine and 1–2 s on a busy one, so a hall's shift opening (dozens of clerks logging in at once)
queued for seconds. Argon2id is memory-hard, which is what makes guessing on GPUs expensive. The cost
below is OWASP's Password Storage Cheat Sheet setting for Argon2id (19 MiB, 2 passes, 1 lane): about
25 ms per login on a quiet 2-core machine. A heavier setting was measured and refused: RFC 9106's
3 passes over 64 MiB took 80 ms quiet and 750 ms at load 8, when memory bandwidth is shared, and a
login must stay under half a second at a busy opening hour. Existing PBKDF2 hashes still verify and
are re-encoded with Argon2id at the user's next login (Django upgrades a hash made by a hasher
further down ``PASSWORD_HASHERS``, and one made here at another cost).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class HallArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19456  # KiB: 19 MiB
    parallelism = 1
