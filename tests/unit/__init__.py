"""Pure rules, form loading and the tooling: no database, no widgets built."""
