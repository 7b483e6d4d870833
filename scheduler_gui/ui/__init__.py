"""The PySide6 desktop editor: thin adapters over the core."""
