/* Consultation pages: show times in the viewer's own time zone and count down to the next deadline.
   Progressive enhancement only: without JavaScript the page shows the consultation's local time and
   UTC, and a server-computed "in 3 days". */
(function () {
  "use strict";
  var lang = document.documentElement.lang || undefined;
  var viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";

  function formatLocal(date, kind) {
    var options = kind === "time" ? { timeStyle: "short" } : { dateStyle: "medium", timeStyle: "short" };
    try {
      return new Intl.DateTimeFormat(lang, options).format(date);
    } catch (error) {
      return date.toLocaleString();
    }
  }

  function showViewerTimes() {
    var label = document.body.getAttribute("data-your-time") || "your time";
    document.querySelectorAll(".viewer-time[data-utc]").forEach(function (node) {
      var date = new Date(node.getAttribute("data-utc"));
      if (isNaN(date.getTime())) return;
      var text = formatLocal(date, node.getAttribute("data-kind"));
      var end = node.getAttribute("data-utc-end") ? new Date(node.getAttribute("data-utc-end")) : null;
      if (end && !isNaN(end.getTime())) {
        var sameDay = date.toDateString() === end.toDateString();
        text += " – " + formatLocal(end, sameDay ? "time" : "datetime");
      }
      node.textContent = text + " (" + label + (viewerZone ? ", " + viewerZone : "") + ")";
      node.classList.add("converted");
    });
  }

  function unit(value, name) {
    try {
      return new Intl.NumberFormat(lang, { style: "unit", unit: name, unitDisplay: "short" }).format(value);
    } catch (error) {
      return value + " " + name;
    }
  }

  function remaining(ms) {
    var minutes = Math.floor(ms / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var parts = [];
    if (days) parts.push(unit(days, "day"));
    if (days || hours) parts.push(unit(hours, "hour"));
    parts.push(unit(minutes % 60, "minute"));
    return parts.join(" ");
  }

  function startCountdowns() {
    var nodes = document.querySelectorAll(".countdown[data-deadline]");
    if (!nodes.length) return;
    function tick() {
      nodes.forEach(function (node) {
        var target = new Date(node.getAttribute("data-deadline")).getTime();
        var out = node.querySelector(".countdown-remaining");
        if (!out || isNaN(target)) return;
        var left = target - Date.now();
        out.textContent = left > 0 ? remaining(left) : (node.getAttribute("data-passed") || "—");
      });
    }
    tick();
    window.setInterval(tick, 30000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    showViewerTimes();
    startCountdowns();
  });
})();
