"""The stylesheet, injected once per screen as an HTML widget.

Voilà serves no static files of ours."""

import ipywidgets as w

from toolkit.ui.a11y import HIDDEN_CSS, SCRIPT_MARKUP

CSS = """
<style>
.audit-app { max-width: 1180px; margin: 0 auto; padding: 0 12px 48px; box-sizing: border-box;
  font-size: 15px; color: #1b1b1b; }
.audit-app .widget-html-content, .audit-app .widget-label { font-size: 15px; line-height: 1.45; }
.app-header { display: flex; justify-content: space-between; align-items: baseline; flex-wrap: wrap;
  border-bottom: 3px solid #1d4f91; padding: 8px 0 6px; margin-bottom: 8px; }
.app-header h1 { font-size: 24px; margin: 0; color: #1d4f91; }
.app-header .who { font-size: 14px; color: #333; }
.demo-banner { background: #fff3bf; border: 2px dashed #b08800; padding: 4px 10px;
  font-weight: bold; }
.msg { padding: 8px 12px; border-radius: 4px; margin: 4px 0; }
.msg-error { background: #fde8e8; border-left: 5px solid #b00020; color: #7a0014; }
.msg-info { background: #e7f1fb; border-left: 5px solid #1d4f91; }
.msg-ok { background: #e6f4ea; border-left: 5px solid #1e7b34; }
.audit-summary { background: #f4f6f9; border: 1px solid #d5dbe3; border-radius: 6px;
  padding: 8px 12px; }
.audit-summary b { color: #1d4f91; }
.state-badge { display: inline-block; padding: 1px 8px; border-radius: 10px; background: #1d4f91;
  color: #fff; font-size: 13px; }
.section-title h2 { font-size: 20px; margin: 14px 0 4px; color: #1d4f91; }
.group-title h3 { font-size: 17px; margin: 14px 0 4px; }
.group-box { border: 1px solid #d5dbe3; border-radius: 6px; padding: 6px 14px 12px; margin: 8px 0;
  background: #fff; }
.guidance { color: #444; font-size: 14px; margin: 2px 0 6px; }
.toolkit-decides { background: #f3f0fa; border-left: 4px solid #5b3f99; padding: 6px 10px;
  margin: 4px 0 8px; font-size: 14px; color: #2d2540; }
.toolkit-decides b { color: #4a2f86; }
.field-label { font-weight: 600; margin-top: 8px; }
.field-statement { background: #eef4fb; border-left: 4px solid #1d4f91; padding: 8px 10px;
  font-style: italic; margin: 8px 0 2px; }
.field-prompt { color: #3d3d3d; font-size: 14px; }
.field-help { color: #555; font-size: 13px; }
.field-status { min-height: 18px; font-size: 13px; }
.status-saved, .status-stored { color: #1e7b34; }
.status-error { color: #b00020; font-weight: 600; }
.status-conflict { color: #8a5300; font-weight: 600; }
.status-changed { color: #1d4f91; font-weight: 600; }
.status-theirs { color: #1e7b34; }
.audit-app textarea { font-size: 15px; font-family: inherit; box-sizing: border-box; }
.audit-field > .widget-textarea, .audit-field > .widget-text { width: auto !important;
  align-self: stretch; }
.scale-input .scale-point button, .scale-input button.scale-point { font-size: 16px; }
.scale-input .scale-point.selected { font-weight: bold; outline: 2px solid #0b2a55; }
.scale-anchors { display: flex; justify-content: space-between; gap: 24px; font-size: 13px;
  color: #333; }
.scale-anchors .scale-low { max-width: 48%; text-align: left; }
.scale-anchors .scale-high { max-width: 48%; text-align: right; }
.scale-state .unanswered { color: #8a5300; font-style: italic; }
.nav-row { flex-wrap: wrap; gap: 4px; }
.section-tab.current, .area-tab.current { font-weight: bold; }
.audit-table { border-collapse: collapse; width: 100%; }
.audit-table th { text-align: left; background: #f4f6f9; border-bottom: 2px solid #d5dbe3;
  padding: 6px; }
.audit-table td { border-bottom: 1px solid #e3e7ee; padding: 6px; }
.home-row { border-bottom: 1px solid #e3e7ee; align-items: center; }
.home-row .widget-html-content { overflow-wrap: anywhere; }
.home-head { font-weight: 600; background: #f4f6f9; border-bottom: 2px solid #d5dbe3; }
.profile-box { background: #f4f6f9; border: 1px solid #d5dbe3; border-radius: 6px;
  padding: 8px 12px; }
.profile-box table td { padding: 2px 10px 2px 0; }
.rubric-level h4 { margin: 8px 0 2px; }
.rubric-level li { font-size: 14px; }
.action-header { display: flex; gap: 6px; font-weight: 600; font-size: 14px; }
.demo-tag { background: #fff3bf; border: 1px solid #b08800; border-radius: 8px; padding: 0 6px;
  font-size: 12px; }
.empty-note { color: #666; font-style: italic; }
.checklist li.missing { color: #8a5300; }
/* after the audit: allocation screen, queues, escalation record */
.allocation-app { max-width: 1180px; margin: 0 auto; padding: 0 12px 48px; box-sizing: border-box;
  font-size: 15px; color: #1b1b1b; }
.queue-row { border-bottom: 1px solid #e3e7ee; padding: 3px 0; font-size: 14px; }
.queue-row .widget-html-content { overflow-wrap: anywhere; line-height: 1.3; }
.overdue-badge { background: #b00020; color: #fff; border-radius: 8px; padding: 0 6px;
  font-size: 12px; }
.problem-table td.warning { color: #8a5300; }
.problem-table td.error { color: #b00020; }
.copy-message { background: #f4f6f9; border: 1px solid #d5dbe3; padding: 8px; white-space: pre-wrap;
  user-select: all; font-size: 13px; }
.download-link { font-weight: 600; color: #1d4f91; text-decoration: underline; }
/* moderation, history and records */
.both-grades { margin-top: 4px; font-weight: 600; color: #1d4f91; }
.history-table { table-layout: fixed; }
.openings-table td, .openings-table th { font-size: 14px; vertical-align: top;
  overflow-wrap: anywhere; }
.opening-refused td { background: #fdf0ef; }
.openings-table .opening-when { white-space: nowrap; }
.refused-badge { background: #b3261e; color: #fff; border-radius: 8px; padding: 0 6px;
  font-size: 12px; font-weight: 600; }
.history-table td, .history-table th { font-size: 14px; vertical-align: top;
  overflow-wrap: anywhere; }
.download-link { font-weight: 600; }
.moderation-audit-pane { border: 1px solid #d5dbe3; border-radius: 6px; padding: 0 10px 10px;
  background: #fbfcfe; }
.moderation-audit-pane .audit-record { font-size: 13px; }
.moderation-scale-title { margin-top: 10px; border-top: 1px solid #e3e7ee; padding-top: 6px; }
.moderation-form-pane .scale-anchors { font-size: 12px; }
.moderation-actions .action-row { flex-wrap: wrap !important; row-gap: 6px; }
.moderation-actions .action-row .action-what { flex: 1 1 100% !important; }
.moderation-actions .action-header { display: none; }
.moderation-actions .action-due::before { content: "When"; align-self: center; margin-right: 6px;
  font-weight: 600; }
/* accessibility (WCAG 2.2 AA): names for inputs kept off screen, text contrast >= 4.5:1,
  focus shown */
.label-hidden > label.widget-label { position: absolute !important; width: 1px !important;
  height: 1px !important; overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%);
  white-space: nowrap; margin: 0; padding: 0; }
.toolkit-app .jupyter-widget-Collapse-header, .toolkit-app .jupyter-widget-Collapse-header > span,
.toolkit-app .lm-TabBar-tab, .toolkit-app .lm-TabBar-tab .lm-TabBar-tabLabel {
  color: #1b1b1b; }
.toolkit-app button:focus-visible, .toolkit-app input:focus-visible,
.toolkit-app textarea:focus-visible, .toolkit-app select:focus-visible,
.toolkit-app .jupyter-widget-Collapse-header:focus-visible {
  outline: 3px solid #1d4f91 !important; outline-offset: 2px; }
.toolkit-app button.mod-info { background-color: #006875; color: #fff; }
.toolkit-app button.mod-primary { background-color: #1d4f91; color: #fff; }
.toolkit-app button.mod-success { background-color: #1e6b30; color: #fff; }
.toolkit-app button.mod-danger { background-color: #b00020; color: #fff; }
.toolkit-app .widget-radio-box label { display: flex; align-items: center; min-height: 30px; }
.toolkit-app .widget-radio-box input[type="radio"] { width: 20px; height: 20px; margin: 0 8px 0 0; }
</style>
"""


def stylesheet() -> w.HTML:
    sheet = w.HTML(SCRIPT_MARKUP + CSS, layout=w.Layout(display="none"))
    sheet.add_class("toolkit-style")
    return sheet


# --- reflective supervision (toolkit/apps/supervision/app.py) -------------------------------------
CSS += """
<style>
.supervision-app { max-width: 1240px; margin: 0 auto; padding: 0 12px 48px; box-sizing: border-box;
  font-size: 15px; color: #1b1b1b; }
.supervision-app .widget-html-content, .supervision-app .widget-label { font-size: 15px;
  line-height: 1.45; }
.supervision-app textarea { font-size: 15px; font-family: inherit; box-sizing: border-box; }
.supervision-app .note-field > .widget-textarea, .supervision-app .note-field > .widget-text {
  width: auto !important; align-self: stretch; }
.supervision-app .widget-html-content { white-space: normal; overflow-wrap: anywhere; }
.step-bar { gap: 4px; margin: 10px 0; }
.step-bar .step-pill { font-size: 15px; border-radius: 16px; }
.step-bar .step-pill.step-current { font-weight: bold; }
.step-bar .step-pill.step-done { background: #e6f4ea; }
.step-arrow { color: #1d4f91; font-size: 20px; padding: 0 4px; }
.step-title h2 { font-size: 20px; color: #1d4f91; margin: 8px 0 0; }
.ears-question { font-size: 20px; background: #eef4fb; border-left: 6px solid #1d4f91;
  padding: 10px 14px; margin: 8px 0; }
.ears-script { display: block; font-size: 13px; color: #555; text-transform: uppercase;
  letter-spacing: .03em; }
.supervision-app button.ears-choice, .supervision-app button.grid-cell { white-space: normal;
  height: auto; text-align: left; line-height: 1.35; padding: 8px 10px; }
.supervision-app button.ears-choice { font-size: 16px; margin-bottom: 6px; }
.ears-prompt { border-bottom: 1px solid #e3e7ee; padding: 6px 0; }
.ears-prompt .prompt-text { font-size: 15px; font-weight: 600; }
.ears-prompt .field-label { display: none; }
.ears-prompt .note-tick { margin-top: 2px; }
.reflective-grid .grid-stage, .reflective-grid .grid-corner { font-weight: bold; color: #fff;
  background: #1d4f91; padding: 6px 8px; border-radius: 4px; height: 100%; box-sizing: border-box; }
.reflective-grid .grid-principle { font-weight: bold; background: #f4f6f9; padding: 6px 8px;
  border-radius: 4px; height: 100%; box-sizing: border-box; }
.supervision-app button.grid-cell { font-size: 12.5px; min-height: 70px; }
.supervision-app button.grid-cell.has-note { background: #e6f4ea; }
.supervision-app button.grid-cell.current { outline: 3px solid #0b2a55; background: #1d4f91;
  color: #fff; }
.cell-question { font-size: 19px; font-weight: 600; margin: 4px 0 8px; }
.cell-prompts li, .cell-tools li { margin: 2px 0; }
.cell-tools { columns: 2; }
.rating-row .scale-clear { display: none; }
.three-columns .field-label { background: #f4f6f9; padding: 4px 6px; }
.list-row { gap: 6px; margin: 4px 0; }
.list-readonly { background: #f4f6f9; padding: 6px; border-radius: 4px; }
.plain-flags { background: #fff8e1; border-left: 4px solid #b08800; padding: 4px 10px;
  margin: 2px 0 8px; font-size: 14px; }
.plain-flags ul { margin: 2px 0; padding-left: 20px; }
.rating-row { border: 1px solid #e3e7ee; border-radius: 6px; padding: 6px 10px; margin: 6px 0; }
.spread-box { background: #f4f6f9; border: 1px solid #d5dbe3; border-radius: 6px; padding: 8px 12px;
  margin: 8px 0; }
.spread-strip { display: grid; grid-template-columns: repeat(11, 1fr); gap: 3px; margin-top: 6px; }
.spread-point { text-align: center; border: 1px solid #d5dbe3; border-radius: 4px;
  background: #fff; }
.spread-point.rated { background: #1d4f91; color: #fff; font-weight: bold; }
.spread-count { min-height: 20px; font-size: 16px; }
.spread-label { font-size: 12px; }
.audit-findings h3 { margin: 4px 0; font-size: 17px; } .audit-findings h4 { margin: 8px 0 2px; }
.projector { background: #0b2a55; color: #fff; border-radius: 8px; padding: 40px 48px;
  min-height: 55vh; box-sizing: border-box; }
.projector-heading { font-size: 24px; color: #cfe0f5; margin-bottom: 18px; }
.projector-text { font-size: 40px; line-height: 1.3; white-space: pre-wrap; }
.projector-position { font-size: 18px; color: #cfe0f5; margin-top: 28px; }
.projector-view button { font-size: 18px; height: 44px; }
.record-download { font-weight: bold; }
</style>
"""
# --- thematic audit and timescale check (toolkit/apps/thematic.py, timescales.py) -------------
CSS = CSS.replace(
    "</style>",
    """
.thematic-item { border-top: 1px solid #e3e7ee; padding: 8px 0 4px; }
.thematic-item .item-text { font-size: 15px; }
.thematic-item .item-kind { font-size: 12px; font-weight: 600; color: #1d4f91;
  text-transform: uppercase; margin-right: 4px; }
.thematic-item .item-source, .source { font-size: 12px; color: #666; }
.thematic-item .where-to-look { font-size: 13px; color: #333; }
.thematic-item .widget-radio-box { flex-direction: row; flex-wrap: wrap; gap: 14px; }
.thematic-item .item-answers { gap: 12px; }
.thematic-item .item-answers > .audit-field { flex: 1 1 0; min-width: 0; }
.bottom-lines { border: 2px solid #8a1c1c; border-radius: 6px; padding: 6px 14px 12px;
  margin: 12px 0; background: #fffafa; }
.bottom-lines .items-heading, .bottom-line-item .item-kind { color: #8a1c1c; }
.thematic-item.flagged { background: #fde8e8; border-left: 6px solid #b00020; padding-left: 8px; }
.item-flag .flag, .thematic-row .flag { color: #b00020; font-weight: 700; }
.flags ul { margin: 4px 0 0 18px; padding: 0; }
.principle-heading { margin: 12px 0 2px; color: #333; font-size: 15px; }
.timescale-table td { vertical-align: top; }
.timescale-table .quote { font-size: 13px; color: #333; font-style: italic; }
.timescale-table .reading { margin-bottom: 6px; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 13px;
  font-weight: 600; }
.badge-met { background: #e6f4ea; color: #1e7b34; }
.badge-not_met, .badge-overdue { background: #fde8e8; color: #b00020; }
.badge-not_yet_due, .badge-no_dates { background: #f4f6f9; color: #555; }
.both-readings { background: #fff3bf; border-left: 5px solid #b08800; padding: 4px 8px;
  margin-bottom: 6px; font-size: 13px; }
.date-label { width: 340px; }
.date-from, .date-to { font-size: 13px; }
</style>""",
)

# --- training (toolkit/apps/calibration.py, toolkit/apps/training/views.py) -----------------------
CSS += """
<style>
.calibration-app { max-width: 1240px; margin: 0 auto; padding: 0 12px 48px;
  box-sizing: border-box; }
.case-file { max-width: 78ch; font-size: 15px; line-height: 1.5; }
.case-file .fictional { background: #fff3bf; padding: 4px 8px; font-weight: 600; }
.case-file .case-meta { color: #555; margin-top: -6px; }
.case-section > summary { font-size: 17px; font-weight: 700; color: #1d4f91; margin: 14px 0 4px;
  cursor: pointer; }
.case-dated th { text-align: left; vertical-align: top; white-space: nowrap; padding-right: 10px; }
.case-dated td { vertical-align: top; }
.calibration-table { border-collapse: collapse; width: 100%; }
.calibration-table th { text-align: left; border-bottom: 2px solid #1d4f91; padding: 4px; }
.calibration-table td { border-bottom: 1px solid #e3e7ee; padding: 4px; vertical-align: middle; }
.calibration-table .figures, .calibration-table .model { white-space: nowrap; font-size: 15px; }
.calibration-table .model { font-weight: 700; color: #b3261e; }
.result-row.wide-spread { background: #fff8e1; }
.discussion-prompt { margin-top: 4px; padding: 4px 8px; border-left: 4px solid #b08800;
  font-style: italic; color: #5a4500; }
.grade-spread { display: flex; gap: 18px; list-style: none; padding: 0; }
.grade-spread li { background: #f4f6f9; border-radius: 8px; padding: 4px 10px; }
</style>
"""
CSS = CSS.replace(
    "</style>",
    """
.flashcards-app .card-face { min-height: 360px; margin: 16px 0; padding: 36px 48px;
  border-radius: 14px; display: flex; flex-direction: column; justify-content: center;
  background: #1d4f91; color: #fff; }
.flashcards-app .card-back { background: #fdfdf6; color: #1b1b1b; border: 3px solid #1d4f91; }
.flashcards-app .card-side { font-size: 18px; text-transform: uppercase; opacity: 0.8; }
.flashcards-app .card-text { font-size: 40px; line-height: 1.3; font-weight: 600; }
.flashcards-app .card-back .card-text { font-size: 30px; font-weight: 400; }
.flashcards-app .card-source { font-size: 14px; color: #555; margin-top: 18px; }
.flashcards-app .card-previous, .flashcards-app .card-flip, .flashcards-app .card-next {
  font-size: 18px; height: 44px; }
.card-position { font-size: 18px; margin-left: 16px; }
.model-answer-text { background: #eaf2fb; border-left: 5px solid #1f5fa8; padding: 6px 10px;
  margin: 6px 0; font-size: 15px; }
.training-banner .demo-banner { margin-right: 12px; }
.calibration-table th { white-space: nowrap; }
.model-part-title { font-weight: bold; margin-bottom: 2px; }
.model-answer-text ul, .model-answer-text ol { margin: 4px 0; padding-left: 22px; }
.model-mapping .model-reveal { min-width: 0; }
""",
    1,
)
# --- a completed (or someone else's) thematic audit: a record, not a form -------------------------
CSS = CSS.replace(
    "</style>",
    """
.thematic-screen.read-only .status-stored { display: none; }
.thematic-history { margin: 4px 0; padding-left: 20px; }
""",
    1,
)
# --- the active authority profile: supervision frequencies and each group's next session -------
CSS = CSS.replace(
    "</style>",
    """
.frequency-table, .cycle-table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; }
.frequency-table th, .frequency-table td, .cycle-table th, .cycle-table td {
  padding: 4px 10px 4px 0; border-bottom: 1px solid #e3e7ed; vertical-align: top; }
.source-ref { color: #5a6472; font-size: 90%; }
.cycle-overdue { color: #a4262c; font-weight: bold; }
.cycle-due { color: #8a5a00; font-weight: bold; }
""",
    1,
)
# the blocks above leave the last <style> open (each replace takes one "</style>" away): these
# rules go inside it
CSS += HIDDEN_CSS
