"""Course → Copy dates from…: take another section's dates, matched by title path."""
