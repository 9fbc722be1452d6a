/* Sort a table by any column with a click or a key press.
 *
 * For each <table data-sortable>: every <th data-sort-type> of its head gets a <button>
 * (so the keyboard works), and the column sorted by carries aria-sort. Cells sort on
 * their data-sort-value: a number for data-sort-type="number" (cells without one, "No
 * figure", go last whichever the direction), text otherwise. Without this script the
 * table is a plain table in the order the server wrote it (by name).
 */
(function () {
  "use strict";

  function cellValue(row, index) {
    var cell = row.cells[index];
    return cell ? cell.getAttribute("data-sort-value") || "" : "";
  }

  function compare(type, a, b) {
    if (type === "number") {
      if (a === "" || b === "") {
        return a === b ? 0 : null; // empty values go last: the caller decides
      }
      return parseFloat(a) - parseFloat(b);
    }
    return a.localeCompare(b, "en", { sensitivity: "base" });
  }

  function sortBy(table, header, index, descending) {
    var body = table.tBodies[0];
    var type = header.getAttribute("data-sort-type");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (rowA, rowB) {
      var a = cellValue(rowA, index);
      var b = cellValue(rowB, index);
      var result = compare(type, a, b);
      if (result === null) {
        return a === "" ? 1 : -1;
      }
      if (result === 0) {
        result = compare("text", cellValue(rowA, 0), cellValue(rowB, 0));
        return result;
      }
      return descending ? -result : result;
    });
    rows.forEach(function (row) {
      body.appendChild(row);
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      cell.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }

  function enhance(table) {
    if (!table.tHead || !table.tBodies.length) {
      return;
    }
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (header, index) {
      if (!header.hasAttribute("data-sort-type")) {
        return;
      }
      var button = document.createElement("button");
      button.type = "button";
      while (header.firstChild) {
        button.appendChild(header.firstChild);
      }
      header.appendChild(button);
      button.addEventListener("click", function () {
        // A first click sorts text A to Z and numbers largest first; the next reverses.
        var current = header.getAttribute("aria-sort");
        var descending;
        if (current === "ascending") {
          descending = true;
        } else if (current === "descending") {
          descending = false;
        } else {
          descending = header.getAttribute("data-sort-type") === "number";
        }
        sortBy(table, header, index, descending);
      });
    });
    headers[0].setAttribute("aria-sort", "ascending"); // the server's order: by name
    var hint = table.querySelector(".sort-hint");
    if (hint) {
      hint.hidden = false;
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), enhance);
})();
