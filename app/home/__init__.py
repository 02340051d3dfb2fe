"""home: the home page, health checks, the privacy and accessibility notes, patterns."""
