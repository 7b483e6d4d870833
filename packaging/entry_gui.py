"""PyInstaller entry point for the desktop app."""

from scheduler_gui.app import run

run()
