"""Looking after the data: backups and restores (backup), retention (retention), a team's
data exported or deleted (teams); which rows belong to which (graph). Each verb works in
the caller's transaction, except the purge, which commits round by round."""
