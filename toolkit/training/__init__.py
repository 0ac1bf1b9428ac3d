"""Training: fictional example cases, a demonstration store kept apart from live data,
calibration exercises and glossary practice (issue 6)."""
