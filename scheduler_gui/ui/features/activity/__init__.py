"""The Activity dock, the item preview with its time-on-task clock, and
"Open in LearningStudio".
"""
