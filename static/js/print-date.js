// The fact sheet's printed line says when the page was generated (the server's date,
// which a cached page may have kept for days). When the reader prints, it says
// "Printed on" and today's date instead: the date in the site's time zone (the
// element's data-time-zone), written as the site writes every date, "6 December 2026".
// Without JavaScript the server's date stays, labelled as such.
(function () {
  "use strict";
  var label = document.querySelector("[data-print-label]");
  var date = document.querySelector("[data-print-date]");
  if (!label || !date) {
    return;
  }
  var original = { label: label.textContent, date: date.textContent, iso: date.getAttribute("datetime") };
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  function today() {
    // {year, month, day} of now in the site's time zone (the browser's own if unknown).
    var options = { year: "numeric", month: "numeric", day: "numeric" };
    var zone = date.getAttribute("data-time-zone");
    var parts = {};
    try {
      if (zone) {
        options.timeZone = zone;
      }
      new Intl.DateTimeFormat("en-US", options).formatToParts(new Date()).forEach(function (part) {
        parts[part.type] = Number(part.value);
      });
    } catch (error) {
      var now = new Date();
      parts = { year: now.getFullYear(), month: now.getMonth() + 1, day: now.getDate() };
    }
    return parts;
  }
  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }
  window.addEventListener("beforeprint", function () {
    var day = today();
    label.textContent = "Printed on";
    date.textContent = day.day + " " + MONTHS[day.month - 1] + " " + day.year;
    date.setAttribute("datetime", day.year + "-" + pad(day.month) + "-" + pad(day.day));
  });
  window.addEventListener("afterprint", function () {
    label.textContent = original.label;
    date.textContent = original.date;
    date.setAttribute("datetime", original.iso);
  });
})();
