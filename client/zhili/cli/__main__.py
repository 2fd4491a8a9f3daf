"""`python -m zhili.cli`."""

import sys

from . import main

sys.exit(main())
