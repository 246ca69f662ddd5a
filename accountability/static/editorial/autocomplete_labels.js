// Gives the admin's select2 autocomplete widgets the accessible names select2 leaves out: the combobox and its
// value are named by the field's <label>, and the inline search box of a multiple choice gets the label too.
(function () {
  "use strict";
  var jq = window.django && window.django.jQuery;

  function labelFor(select) {
    var label = document.querySelector('label[for="' + select.id + '"]');
    if (label && !label.id) { label.id = select.id + "_label"; }
    return label;
  }

  function name() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = labelFor(select);
      var widget = select.nextElementSibling;
      if (!label || !widget || !widget.classList.contains("select2")) { return; }
      var text = label.textContent.replace(/:\s*$/, "").trim();
      var rendered = widget.querySelector(".select2-selection__rendered");
      var selection = widget.querySelector(".select2-selection");
      if (rendered && rendered.id) {
        rendered.setAttribute("aria-labelledby", label.id + " " + rendered.id);
        if (selection) { selection.setAttribute("aria-labelledby", label.id + " " + rendered.id); }
      } else if (selection) {
        selection.setAttribute("aria-labelledby", label.id);
      }
      widget.querySelectorAll(".select2-search__field").forEach(function (field) {
        field.setAttribute("aria-label", text);
      });
    });
    document.querySelectorAll(".select2-container--open .select2-search__field").forEach(function (field) {
      if (!field.getAttribute("aria-label")) { field.setAttribute("aria-label", "Search"); }
    });
  }

  if (jq) {
    jq(function () { window.setTimeout(name, 0); });
    jq(document).on("select2:open select2:close change", function () { window.setTimeout(name, 0); });
  }
}());
