"""The bundle's entry point (PyInstaller runs this file as __main__): the `uat-explorer`
command, window and all. Helper processes come back through here too: training workers
with `--worker PORT ROLE`, big exports with `--export-job FILE` (a bundle has no
`python -c`)."""

import sys

from uat_explorer.cli import main

if __name__ == "__main__":
    sys.exit(main())
