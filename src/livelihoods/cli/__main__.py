"""``python -m livelihoods.cli``: the same as the ``livelihoods`` command."""

import sys

from livelihoods.cli import main

sys.exit(main())
