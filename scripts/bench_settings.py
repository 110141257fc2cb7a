"""Settings for the benchmark server only: the real settings, with the benchmark URLconf (adds /bench/hello/).

Used by scripts/bench_consultations.py as ``DJANGO_SETTINGS_MODULE=bench_settings`` with ``scripts/`` on the path.
"""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
