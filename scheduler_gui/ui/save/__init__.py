"""Saving: the preview/progress dialog, the conflict dialog, and the flow between them."""
