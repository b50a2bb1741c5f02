"""``python -m copydesk`` runs the command line."""

import sys

from copydesk.cli import main

sys.exit(main())
