"""Every notebook executed with a real kernel (nbclient)."""
