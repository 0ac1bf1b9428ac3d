/* The page's link to its kernel, watched (runs before Voilà's own scripts, so the kernel's
   websocket is made through it). Anything that says the kernel is gone — the websocket closing,
   the kernel reported restarting or dead — calls window.sosConnection.lost(why); the banner
   (connection_banner.js) does the rest. */
(function () {
  "use strict";
  var Native = window.WebSocket;
  var waiting = [];
  var told = null;
  var connection = {
    lost: function (why) {
      if (told !== null) return;
      told = why;
      waiting.forEach(function (f) { f(why); });
    },
    whenLost: function (f) {
      if (told !== null) f(told); else waiting.push(f);
    },
    isLost: function () { return told !== null; }
  };
  window.sosConnection = connection;
  window.addEventListener("pagehide", function () { told = told || "leaving"; });

  var GONE = { restarting: true, dead: true };

  function headerOf(data) {
    /* The message's header and content: a JSON text frame, or the v1 binary protocol's
       (offsets, then channel, header, parent header, metadata, content). */
    if (typeof data === "string") {
      try { var m = JSON.parse(data); return { type: m.header && m.header.msg_type, content: m.content }; }
      catch (e) { return null; }
    }
    if (!(data instanceof ArrayBuffer)) return null;
    try {
      var view = new DataView(data);
      var count = Number(view.getBigUint64(0, true));
      var at = function (i) { return Number(view.getBigUint64(8 * (i + 1), true)); };
      var text = function (i) {
        return new TextDecoder().decode(new Uint8Array(data, at(i), at(i + 1) - at(i)));
      };
      if (count < 6) return null;
      var header = JSON.parse(text(1));
      if (header.msg_type !== "status") return { type: header.msg_type };
      return { type: "status", content: JSON.parse(text(4)) };
    } catch (e) { return null; }
  }

  function Watched(url, protocols) {
    var socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
    if (String(url).indexOf("/channels") !== -1) {
      socket.addEventListener("close", function () { connection.lost("closed"); });
      socket.addEventListener("message", function (event) {
        var m = headerOf(event.data);
        if (m && m.type === "status" && m.content && GONE[m.content.execution_state]) {
          connection.lost(m.content.execution_state);
        }
      });
    }
    return socket;
  }
  Watched.prototype = Native.prototype;
  ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (k) { Watched[k] = Native[k]; });
  window.WebSocket = Watched;
})();
