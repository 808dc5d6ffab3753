"""Settings of the load benchmark's own server only: the project's settings with a URLconf that adds a bare view.

Production never loads this module; scripts/load_public_pages.py starts gunicorn with it (--pythonpath scripts/bench).
"""

from config.settings import *  # noqa: F403 (the very settings production runs, plus one line)

ROOT_URLCONF = "bench_urls"
