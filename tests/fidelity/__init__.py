"""Every quoted text checked word for word against the seed documents it cites."""
