"""PyInstaller entry point for the desktop app."""

import sys

from scheduler_gui.app import main

sys.exit(main())
