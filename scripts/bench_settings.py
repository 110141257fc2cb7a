"""Settings for the benchmark server only: the real settings, with the benchmark URLconf (adds /bench/hello/).

Used by scripts/bench_consultations.py as ``DJANGO_SETTINGS_MODULE=bench_settings`` with ``scripts/`` on the path.

All benchmark load comes from 127.0.0.1 and one cookie jar, so the comment-submission run would hit the flood control
at once: the benchmark raises ``PORTAL_INTAKE_LIMITS`` here (the rules are still checked and counted on every
request, in the database's flood counters).
"""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
PORTAL_INTAKE_LIMITS = dict.fromkeys(
    ("client_burst", "client", "same_text", "address_burst", "address", "address_text", "lookup"),
    (1_000_000_000, 600),
)
