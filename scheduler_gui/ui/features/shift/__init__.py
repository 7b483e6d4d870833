"""Course → Shift dates…: move dates by days or to a new start, skipping days off."""
