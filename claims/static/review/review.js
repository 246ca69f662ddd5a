// Keyboard shortcuts for the review queue: j/k move between proposals, x ticks, a accepts, r rejects.
// The page works without this file: every row has real buttons and a checkbox.
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll(".review-row"));
  if (!rows.length) { return; }
  var current = -1;

  function focusRow(index) {
    if (index < 0 || index >= rows.length) { return; }
    if (current >= 0) { rows[current].classList.remove("is-current"); }
    current = index;
    rows[current].classList.add("is-current");
    rows[current].focus();
  }

  function typing(target) {
    var tag = target.tagName;
    return (tag === "INPUT" && target.type !== "checkbox") || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable ||
      (target.closest && target.closest(".select2-container"));
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) { return; }
    var row = current >= 0 ? rows[current] : null;
    if (event.key === "j") { focusRow(current + 1); event.preventDefault(); }
    else if (event.key === "k") { focusRow(Math.max(current - 1, 0)); event.preventDefault(); }
    else if (row && event.key === "x") { row.querySelector("input[type=checkbox]").click(); event.preventDefault(); }
    else if (row && event.key === "a") { row.querySelector(".review-accept").click(); event.preventDefault(); }
    else if (row && event.key === "r") { row.querySelector(".review-reject").click(); event.preventDefault(); }
  });

  rows.forEach(function (row, index) {
    row.addEventListener("focusin", function () {
      if (current >= 0) { rows[current].classList.remove("is-current"); }
      current = index;
      row.classList.add("is-current");
    });
  });
}());
