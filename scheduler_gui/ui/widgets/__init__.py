"""Reusable Qt helpers with no knowledge of schedules' editing: icons, theme colours,
background workers, a list table model.
"""
