"""The confirmation before an audit is completed: what still stops it, the practice observation
proposed where the audit is Inadequate, and every unscaled area and missing feedback, each to
answer in its section or skip here with a reason (saved and shown in the audit's record).
The rules are :mod:`toolkit.audit.completion`'s; this only shows them and passes the reasons."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from toolkit.audit import completion
from toolkit.core.html import esc
from toolkit.core.permissions import AuditRecord, Person
from toolkit.store import Store, StoreError
from toolkit.ui.confirm import Confirm
from toolkit.ui.fields import name_for_screen_readers


def _css_name(item: str) -> str:
    return item.replace(":", "-").replace("_", "-")


class ConfirmCompletion(Confirm):
    def __init__(
        self,
        store: Store,
        audit_id: int,
        person: Person,
        done: Callable[[AuditRecord], None],
        cancelled: Callable[[], None],
        actions_changed: Callable[[], None],
    ) -> None:
        self.store, self.audit_id, self.person = store, audit_id, person
        self._done, self._actions_changed = done, actions_changed
        found = completion.checklist(store, audit_id)
        self.reasons: dict[str, w.Text] = {}
        body: list[w.Widget] = []
        if found.problems:
            body.append(
                w.HTML(
                    "<p><b>Still needed before the audit can be completed:</b></p>"
                    '<ul class="checklist confirm-problems">'
                    + "".join(f'<li class="missing">{esc(p)}</li>' for p in found.problems)
                    + "</ul>"
                )
            )
        if found.proposed_action is not None:
            rule, what = found.proposed_action
            add = w.Button(
                description="Add a practice observation as an immediate action",
                layout=w.Layout(width="auto"),
            )
            add.add_class("add-practice-observation")
            add.on_click(lambda _b: self._add_proposed())
            body += [
                w.HTML(
                    '<div class="proposed-action"><p><b>The work is graded Inadequate.</b> '
                    f"The source: “{esc(rule.text)}” ({esc(rule.source.label(found.seed))})</p>"
                    f"<p>Proposed action (the toolkit’s wording): {esc(what)}</p></div>"
                ),
                w.HBox([add]),
            ]
        if found.unanswered:
            body.append(
                w.HTML(
                    f"<p><b>Still unanswered ({len(found.unanswered)}).</b> Answer each in its "
                    "section (Cancel, then come back), or skip it deliberately: write why. "
                    "The reasons are kept in the audit’s record.</p>"
                )
            )
            body.append(self._one_reason_for_all())
            for item in found.unanswered:
                reason = w.Text(placeholder="Why it is skipped", layout=w.Layout(flex="1 1 0"))
                name_for_screen_readers(reason, f"Reason for skipping: {item.label}")
                reason.add_class("skip-reason")
                reason.add_class(f"skip-reason-{_css_name(item.item)}")
                self.reasons[item.item] = reason
                label = w.HTML(
                    f'<span class="skip-item">{esc(item.label)}</span>',
                    layout=w.Layout(flex="1 1 0", min_width="0"),
                )
                row = w.HBox(
                    [label, reason],
                    layout=w.Layout(
                        width="100%",
                        grid_gap="12px",
                        align_items="center",
                        padding="5px 0",
                        border_bottom="1px solid #e5e7eb",
                    ),
                )
                row.add_class("skip-row")
                body.append(row)
        else:
            body.append(w.HTML("<p>Every area is scaled and every kind of feedback recorded.</p>"))
        body.append(
            w.HTML(
                "<p>Completing locks the answers, sets the follow-up 5 working days ahead"
                + (" and escalates the Inadequate grade" if found.inadequate else "")
                + ". It cannot be undone here.</p>"
            )
        )
        super().__init__(
            f"Complete audit #{audit_id}?",
            body,
            "Complete the audit",
            self._confirm,
            cancelled,
            "complete-confirm",
        )
        self.confirm_button.add_class("confirm-complete")
        self.cancel_button.add_class("cancel-complete")
        self.confirm_button.disabled = bool(found.problems)

    def _one_reason_for_all(self) -> w.Widget:
        """One reason typed once, put in every box still empty (each can still be changed)."""
        reason = w.Text(
            placeholder="A reason for every item left empty", layout=w.Layout(flex="1 1 0")
        )
        name_for_screen_readers(reason, "One reason for every item left empty")
        reason.add_class("skip-all-reason")
        apply = w.Button(description="Use it for every empty box", layout=w.Layout(width="auto"))
        apply.add_class("skip-all-apply")

        def fill(_b: w.Button) -> None:
            for box in self.reasons.values():
                if not box.value.strip():
                    box.value = reason.value

        apply.on_click(fill)
        return w.HBox(
            [reason, apply], layout=w.Layout(width="100%", grid_gap="8px", margin="0 0 6px 0")
        )

    def _add_proposed(self) -> None:
        try:
            completion.add_proposed_action(self.store, self.audit_id, self.person)
        except StoreError as exc:
            self.show_error(str(exc))
            return
        self._actions_changed()

    def _confirm(self) -> None:
        skipped = {item: box.value for item, box in self.reasons.items()}
        try:
            audit = completion.complete_audit(
                self.store, self.audit_id, self.person, skipped=skipped
            )
        except StoreError as exc:
            self.show_error(str(exc))
            return
        self._done(audit)
