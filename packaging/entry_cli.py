"""PyInstaller entry point for schedctl."""

import sys

from scheduler_gui.cli import main

sys.exit(main())
