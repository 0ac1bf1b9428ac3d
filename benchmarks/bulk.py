"""Fill a store quickly with many fictional audits (for benchmarks at 10,000 and 100,000)."""

from __future__ import annotations

import datetime as dt
import json
import random

from sqlalchemy import insert

from toolkit.forms.loader import registry
from toolkit.store import Store, schema


def fill(store: Store, audits: int, seed: int = 7) -> tuple[int, int]:
    """Insert ``audits`` audits with their scales and some text.

    Returns (auditor_id, practitioner_id)."""
    rng = random.Random(seed)
    form = registry().latest("collaborative_case_audit")
    auditor = store.add_person("Bench Auditor", ["auditor"], team="North")
    practitioner = store.add_person("Bench Practitioner", ["practitioner"], team="South")
    scale_keys = form.scale_keys("area_scale")
    text_keys = [
        k
        for k, (_, _, f) in form.fields().items()
        if f.kind.value == "long_text" and "rationale" in k
    ]
    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    batch = 2000
    with store.engine.begin() as conn:
        first = conn.execute(
            insert(schema.audits).values(
                form_id=form.id,
                form_version=form.version,
                child_id="LL-0",
                auditor_id=auditor.id,
                practitioner_id=practitioner.id,
                state="complete",
                demo=False,
                created_at=stamp,
                updated_at=stamp,
            )
        ).inserted_primary_key[0]
    for start in range(1, audits, batch):
        ids = range(start, min(audits, start + batch))
        with store.engine.begin() as conn:
            conn.execute(
                insert(schema.audits),
                [
                    {
                        "form_id": form.id,
                        "form_version": form.version,
                        "child_id": f"LL-{i}",
                        "auditor_id": auditor.id,
                        "practitioner_id": practitioner.id,
                        "state": "complete",
                        "demo": False,
                        "created_at": stamp,
                        "updated_at": stamp,
                    }
                    for i in ids
                ],
            )
    with store.engine.begin() as conn:
        audit_ids = [first + i for i in range(audits)]
        for start in range(0, audits, batch):
            rows = []
            for audit_id in audit_ids[start : start + batch]:
                for key in scale_keys:
                    rows.append(
                        {
                            "audit_id": audit_id,
                            "field_key": key,
                            "value": json.dumps(rng.randint(0, 10)),
                            "revision": 1,
                            "updated_by": auditor.id,
                            "updated_at": stamp,
                        }
                    )
                for key in text_keys:
                    rows.append(
                        {
                            "audit_id": audit_id,
                            "field_key": key,
                            "value": json.dumps("Evidence seen on file, direct work uploaded."),
                            "revision": 1,
                            "updated_by": auditor.id,
                            "updated_at": stamp,
                        }
                    )
            conn.execute(insert(schema.answers), rows)
    return auditor.id, practitioner.id
