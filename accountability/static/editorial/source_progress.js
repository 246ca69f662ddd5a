// Keeps the source progress page up to date by polling its JSON status until the source is finished.
// Without this file the page still shows where the source stood when loaded, and a reload link.
(function () {
  "use strict";
  var panel = document.getElementById("source-progress");
  if (!panel || panel.dataset.finished === "true") { return; }
  var url = panel.dataset.statusUrl;
  var delay = 1000;

  function show(name, value) {
    var element = panel.querySelector('[data-field="' + name + '"]');
    if (element) { element.textContent = value; }
  }

  function mark(step, done, failed) {
    var item = panel.querySelector('[data-step="' + step + '"]');
    if (!item) { return; }
    item.classList.toggle("is-done", !!done);
    item.classList.toggle("is-failed", !!failed);
  }

  function render(status) {
    show("fetch_state_label", status.fetch_state_label);
    show("sentences", status.sentences);
    show("linked", status.linked ? "yes" : "not yet");
    show("proposals", status.proposals);
    show("links_proposed", status.links_proposed);
    show("events_proposed", status.events_proposed);
    show("links_confirmed", status.links_confirmed);
    mark("fetched", status.fetched, !!status.refusal_code);
    mark("extracted", status.extracted, false);
    mark("linked", status.linked, false);
    mark("proposals", status.linked, false);
    var refusal = panel.querySelector('[data-field="refusal"]');
    if (status.refusal_code) {
      show("refusal_reason", status.refusal_reason || status.refusal_code);
      show("refusal_code", status.refusal_code);
      refusal.hidden = false;
    }
    if (status.finished) {
      show("status", "Finished.");
      panel.dataset.finished = "true";
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (status) {
        render(status);
        if (!status.finished) { delay = Math.min(delay * 1.5, 10000); window.setTimeout(poll, delay); }
      })
      .catch(function () { delay = Math.min(delay * 2, 30000); window.setTimeout(poll, delay); });
  }

  window.setTimeout(poll, delay);
}());
