"""The main window's frame: the window itself, its actions, menus, toolbar and status bar,
the course loading and draft keeping it drives, the Problems dock, and theme following.
"""
