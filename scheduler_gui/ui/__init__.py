"""The PySide6 desktop editor: thin adapters over the core, grouped by role.

``shell`` (the main window and its chrome) installs the ``features`` (one package each,
through the typed host of ``features/host.py``) over the ``grid``, ``save`` and
``dialogs``, which share the Qt helpers of ``widgets``. Each depends only on those after
it in this list; the contracts in ``pyproject.toml`` check it.
"""
