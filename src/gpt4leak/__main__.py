"""``python -m gpt4leak``: the same as the ``gpt4leak`` command."""

import sys

from .cli import main

sys.exit(main())
