"""Reflective supervision: EARS appreciative inquiry, the practice framework reflective tool,
group case mapping, quality clinics, practice intensives and learning reviews."""
