"""``python -m crimeperf``: the same as the ``crimeperf`` command."""

import sys

from crimeperf._cli import main

sys.exit(main())
