"""What lives on the user's disk: settings, credentials, backups, drafts, logs."""
