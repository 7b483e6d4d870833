"""Stand-alone dialogs: login, course picker, about, log viewer, documentation."""
