/* What the page says when its kernel or the server is gone (connection_watch.js tells it):
   within a second or two a banner, every field marked not saved; what is typed from then on is
   kept in this tab's sessionStorage (never the store) to paste back; once the server answers
   again, an offer to reload. After the reload the kept text is shown until it is cleared. */
(function () {
  "use strict";
  var banner = document.getElementById("sos-connection");
  document.body.prepend(banner);  // first on the page: above the app, never over it
  var config = {};
  try { config = JSON.parse(document.getElementById("jupyter-config-data").textContent); }
  catch (e) { /* no kernel on this page: nothing to watch */ }
  var KEY = "sos-unsaved:" + location.pathname + location.search;
  var EVERY = 1000;  // ms between looks at the kernel: "within 2 seconds"
  var kept = [];     // [{label, text}] typed since the connection was lost

  function stored() {
    try { return JSON.parse(sessionStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function keep() {
    try {
      sessionStorage.setItem(KEY, JSON.stringify(kept.map(function (k) {
        return { label: k.label, text: k.text };
      })));
    } catch (e) { /* full: shown only */ }
  }
  function asText(items) {
    return items.map(function (k) { return k.label + ":\n" + k.text; }).join("\n\n");
  }
  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  function labelOf(input) {
    var field = input.closest(".audit-field, .note-field, .widget-box");
    var label = field && field.querySelector(".field-label, .field-statement, .field-prompt");
    return (label && label.textContent.trim()) || input.getAttribute("aria-label") ||
      input.getAttribute("placeholder") || "A field";
  }
  function keptBox(items) {
    var box = el("textarea", asText(items), {
      readonly: "", "aria-label": "What you typed that was not saved", class: "sos-kept"
    });
    return box;
  }
  function copyButton(box) {
    var b = el("button", "Copy what you typed", { type: "button", class: "sos-copy" });
    b.addEventListener("click", function () {
      box.select();
      if (navigator.clipboard) navigator.clipboard.writeText(box.value).catch(function () {});
      else document.execCommand("copy");
    });
    return b;
  }
  function show(parts, back) {
    banner.replaceChildren.apply(banner, parts);
    banner.classList.toggle("sos-back", !!back);
    banner.hidden = false;
  }

  function showLost() {
    var box = keptBox(kept);
    var parts = [
      el("p", "The connection to the server is lost. Nothing you type now is saved."),
      el("p", "What you type is kept in this browser tab, so you can paste it back once the page is reloaded.")
    ];
    if (kept.length) parts.push(box, copyButton(box));
    show(parts, false);
  }
  function showBack() {
    var reload = el("button", "Reload the page", { type: "button", class: "sos-reload" });
    reload.addEventListener("click", function () { location.reload(); });
    var parts = [el("p", "The server is back. Reload the page to carry on: what is saved is there.")];
    if (kept.length) {
      var box = keptBox(kept);
      parts.push(el("p", "What you typed while it was gone was not saved. It is kept below, and after the reload, to paste back."), box, copyButton(box));
    }
    parts.push(reload);
    show(parts, true);
    reload.focus();
  }
  function showKeptAfterReload(items) {
    var box = keptBox(items);
    var clear = el("button", "I have pasted it back: forget it", { type: "button", class: "sos-forget" });
    clear.addEventListener("click", function () {
      sessionStorage.removeItem(KEY);
      banner.hidden = true;
    });
    show([
      el("p", "Typed while the connection was lost, and not saved. Paste it back where it belongs."),
      box, copyButton(box), clear
    ], true);
  }

  var before = stored();
  if (before.length) showKeptAfterReload(before);

  if (!config.kernelId || !window.sosConnection) return;
  var kernelUrl = (config.baseUrl || "/") + "api/kernels/" + config.kernelId;
  var xsrf = (document.cookie.match("\\b_xsrf=([^;]*)\\b") || [])[1];

  function look() {
    /* The kernel's model from the person's own server: the kernel is there (200, its id); the
       server is there without it (jupyter-server's JSON 403 or 404); or no answer from the
       server itself — nothing, a redirect, or a proxy's or the Hub's page instead. */
    var stop = new AbortController();
    var timer = setTimeout(function () { stop.abort(); }, EVERY);
    var none = { server: false, kernel: false };
    return fetch(kernelUrl, {
      cache: "no-store", credentials: "same-origin", redirect: "manual", signal: stop.signal,
      headers: xsrf ? { "X-XSRFToken": xsrf } : {}  // as Voilà's own requests (the Hub asks it)
    }).then(function (r) {
      var json = (r.headers.get("content-type") || "").indexOf("application/json") !== -1;
      if (!json || [200, 403, 404].indexOf(r.status) === -1) return none;
      if (!r.ok) return { server: true, kernel: false };
      return r.json().then(function (model) {
        var gone = model.execution_state === "dead" || model.execution_state === "restarting";
        return { server: true, kernel: model.id === config.kernelId && !gone };
      }, function () { return none; });
    }, function () { return none; }).finally(function () { clearTimeout(timer); });
  }

  function watch() {
    if (window.sosConnection.isLost()) return;
    look().then(function (now) {
      if (!now.kernel) window.sosConnection.lost(now.server ? "kernel" : "server");
      else setTimeout(watch, EVERY);
    });
  }
  function waitForServer() {
    look().then(function (now) {
      if (now.server) showBack(); else setTimeout(waitForServer, EVERY);
    });
  }

  document.addEventListener("input", function (event) {
    if (!window.sosConnection.isLost()) return;
    var input = event.target;
    if (!(input instanceof HTMLTextAreaElement || input instanceof HTMLInputElement)) return;
    if (input.classList.contains("sos-kept")) return;
    var label = labelOf(input), entry = null;
    kept.forEach(function (k) { if (k.input === input) entry = k; });
    if (!entry) { entry = { label: label, text: "", input: input }; kept.push(entry); }
    entry.text = input.value;
    keep();
    var box = banner.querySelector(".sos-kept");
    if (box) box.value = asText(kept); else if (!banner.classList.contains("sos-back")) showLost();
  }, true);

  window.sosConnection.whenLost(function (why) {
    if (why === "leaving") return;
    document.body.classList.add("sos-connection-lost");
    document.body.dataset.sosLost = why;  // what said so: closed, restarting, dead, kernel, server
    showLost();
    setTimeout(waitForServer, EVERY);
  });
  setTimeout(watch, EVERY);
})();
