"""Looking after the data: backups, retention, a team's data whole (export and delete)."""
