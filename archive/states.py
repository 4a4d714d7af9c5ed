"""The states a crawl finds a site in (DESIGN §13, a contract), apart from the archive code so that the CLI can
offer them without importing SQLite's libraries at start-up."""

SITE_STATES = ("ok", "unreachable", "blocked", "parked", "moved", "script-only", "compromised")
