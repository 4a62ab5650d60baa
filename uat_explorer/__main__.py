"""`python -m uat_explorer` behaves like the `uat-explorer` command."""

import sys

from uat_explorer.cli import main

# Guarded: the training worker process (multiprocessing "spawn") imports this module.
if __name__ == "__main__":
    sys.exit(main())
