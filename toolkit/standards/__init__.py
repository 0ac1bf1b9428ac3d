"""Practice standards (expectations and bottom lines), thematic audits, timescale checks."""
