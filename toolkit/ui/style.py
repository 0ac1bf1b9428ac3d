"""The stylesheet, injected once per screen as an HTML widget (Voilà serves no static files of ours)."""

import ipywidgets as w

CSS = """
<style>
.audit-app { max-width: 1180px; margin: 0 auto; padding: 0 12px 48px; box-sizing: border-box;
  font-size: 15px; color: #1b1b1b; }
.audit-app .widget-html-content, .audit-app .widget-label { font-size: 15px; line-height: 1.45; }
.app-header { display: flex; justify-content: space-between; align-items: baseline; flex-wrap: wrap;
  border-bottom: 3px solid #1d4f91; padding: 8px 0 6px; margin-bottom: 8px; }
.app-header h1 { font-size: 24px; margin: 0; color: #1d4f91; }
.app-header .who { font-size: 14px; color: #333; }
.demo-banner { background: #fff3bf; border: 2px dashed #b08800; padding: 4px 10px; font-weight: bold; }
.msg { padding: 8px 12px; border-radius: 4px; margin: 4px 0; }
.msg-error { background: #fde8e8; border-left: 5px solid #b00020; color: #7a0014; }
.msg-info { background: #e7f1fb; border-left: 5px solid #1d4f91; }
.msg-ok { background: #e6f4ea; border-left: 5px solid #1e7b34; }
.audit-summary { background: #f4f6f9; border: 1px solid #d5dbe3; border-radius: 6px; padding: 8px 12px; }
.audit-summary b { color: #1d4f91; }
.state-badge { display: inline-block; padding: 1px 8px; border-radius: 10px; background: #1d4f91; color: #fff;
  font-size: 13px; }
.section-title h2 { font-size: 20px; margin: 14px 0 4px; color: #1d4f91; }
.group-title h3 { font-size: 17px; margin: 14px 0 4px; }
.group-box { border: 1px solid #d5dbe3; border-radius: 6px; padding: 6px 14px 12px; margin: 8px 0;
  background: #fff; }
.guidance { color: #444; font-size: 14px; margin: 2px 0 6px; }
.field-label { font-weight: 600; margin-top: 8px; }
.field-statement { background: #eef4fb; border-left: 4px solid #1d4f91; padding: 8px 10px; font-style: italic;
  margin: 8px 0 2px; }
.field-prompt { color: #3d3d3d; font-size: 14px; }
.field-help { color: #555; font-size: 13px; }
.field-status { min-height: 18px; font-size: 13px; }
.status-saved, .status-stored { color: #1e7b34; }
.status-error { color: #b00020; font-weight: 600; }
.status-conflict { color: #8a5300; font-weight: 600; }
.audit-app textarea { font-size: 15px; font-family: inherit; box-sizing: border-box; }
.audit-field > .widget-textarea, .audit-field > .widget-text { width: auto !important; align-self: stretch; }
.scale-input .scale-point button, .scale-input button.scale-point { font-size: 16px; }
.scale-input .scale-point.selected { font-weight: bold; outline: 2px solid #0b2a55; }
.scale-anchors { display: flex; justify-content: space-between; gap: 24px; font-size: 13px; color: #333; }
.scale-anchors .scale-low { max-width: 48%; text-align: left; }
.scale-anchors .scale-high { max-width: 48%; text-align: right; }
.scale-state .unanswered { color: #8a5300; font-style: italic; }
.nav-row { flex-wrap: wrap; gap: 4px; }
.section-tab.current, .area-tab.current { font-weight: bold; }
.audit-table { border-collapse: collapse; width: 100%; }
.audit-table th { text-align: left; background: #f4f6f9; border-bottom: 2px solid #d5dbe3; padding: 6px; }
.audit-table td { border-bottom: 1px solid #e3e7ee; padding: 6px; }
.home-row { border-bottom: 1px solid #e3e7ee; align-items: center; }
.home-row .widget-html-content { overflow-wrap: anywhere; }
.home-head { font-weight: 600; background: #f4f6f9; border-bottom: 2px solid #d5dbe3; }
.profile-box { background: #f4f6f9; border: 1px solid #d5dbe3; border-radius: 6px; padding: 8px 12px; }
.profile-box table td { padding: 2px 10px 2px 0; }
.rubric-level h4 { margin: 8px 0 2px; }
.rubric-level li { font-size: 14px; }
.action-header { display: flex; gap: 6px; font-weight: 600; font-size: 14px; }
.demo-tag { background: #fff3bf; border: 1px solid #b08800; border-radius: 8px; padding: 0 6px; font-size: 12px; }
.empty-note { color: #666; font-style: italic; }
.checklist li.missing { color: #8a5300; }
/* accessibility (WCAG 2.2 AA): names for inputs kept off screen, text contrast >= 4.5:1, focus shown */
.label-hidden > label.widget-label { position: absolute !important; width: 1px !important;
  height: 1px !important; overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%);
  white-space: nowrap; margin: 0; padding: 0; }
.toolkit-app .jupyter-widget-Collapse-header, .toolkit-app .jupyter-widget-Collapse-header > span,
.toolkit-app .lm-TabBar-tab { color: #1b1b1b; }
.toolkit-app button:focus-visible, .toolkit-app input:focus-visible, .toolkit-app textarea:focus-visible,
.toolkit-app select:focus-visible, .toolkit-app .jupyter-widget-Collapse-header:focus-visible {
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
    sheet = w.HTML(CSS, layout=w.Layout(display="none"))
    sheet.add_class("toolkit-style")
    return sheet
