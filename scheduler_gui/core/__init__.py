"""The Qt-free, I/O-free domain: item schedules, codecs, validation, diff, shifting."""
