"""``python -m toolkit.store.migrations "what changed"``: write the next revision (see
:mod:`toolkit.store.migrations.new_revision`), then print where it is."""

import sys

from toolkit.store.migrations.new_revision import write_revision

if len(sys.argv) != 2 or not sys.argv[1].strip():
    print('usage: python -m toolkit.store.migrations "what changed"', file=sys.stderr)
    sys.exit(2)
print(write_revision(sys.argv[1]))
print("Read it, tidy it (ruff format), and give it a test before committing.")
