// The fact sheet's printed line says when the page was generated (the server's date,
// which a cached page may have kept for days). When the reader prints, it says
// "Printed on" and today's date instead. Without JavaScript the server's date stays,
// labelled as such.
(function () {
  "use strict";
  var label = document.querySelector("[data-print-label]");
  var date = document.querySelector("[data-print-date]");
  if (!label || !date) {
    return;
  }
  var original = { label: label.textContent, date: date.textContent, iso: date.getAttribute("datetime") };
  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }
  window.addEventListener("beforeprint", function () {
    var today = new Date();
    label.textContent = "Printed on";
    date.textContent = today.toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric" });
    date.setAttribute("datetime", today.getFullYear() + "-" + pad(today.getMonth() + 1) + "-" + pad(today.getDate()));
  });
  window.addEventListener("afterprint", function () {
    label.textContent = original.label;
    date.textContent = original.date;
    date.setAttribute("datetime", original.iso);
  });
})();
