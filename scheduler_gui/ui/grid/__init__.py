"""The schedule grid: the Qt table model over a core Schedule, its filter proxy,
cell delegates and editors, undo commands, and the editor widget that joins them.
"""
