"""Pelican settings for production: ``pelican content -s publishconf.py -o output``.

Same as development, plus a clean output folder (built beside it and swapped in).
"""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F401,F403

DELETE_OUTPUT_DIRECTORY = True
