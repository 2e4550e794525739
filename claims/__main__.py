"""Run the command line: ``python -m claims``."""
import sys

from claims.cli import main

sys.exit(main())
