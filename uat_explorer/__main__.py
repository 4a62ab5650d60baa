"""`python -m uat_explorer` behaves like the `uat-explorer` command."""

import sys

from uat_explorer.cli import main

sys.exit(main())
