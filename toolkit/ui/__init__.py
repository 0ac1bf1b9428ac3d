"""ipywidgets components rendered from form definitions. No storage or scoring logic here."""
