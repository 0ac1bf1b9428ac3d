"""One screen per kind of supervision session; each renders definitions from ``forms/`` and
keeps its notes through a :class:`~toolkit.apps.supervision.widgets.NoteContext`."""
