"""`python -m uat_explorer` behaves like the `uat-explorer` command."""

import sys

from uat_explorer.cli import main

# Guarded: importing this module (as multiprocessing.spawn does) must not start the app.
if __name__ == "__main__":
    sys.exit(main())
