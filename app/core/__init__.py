"""Pages that belong to no one domain: home, health, the patterns page."""
