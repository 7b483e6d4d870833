"""File → Export to Excel… / Import from Excel…."""
