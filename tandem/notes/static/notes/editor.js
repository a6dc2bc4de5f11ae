// The session-note editor: show refusals of an autosave (409 conflict, 422 invalid)
// in the status line, and let the trial counters be driven from the keyboard.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // htmx adds the last focused submit button to a form's own requests; an autosave
  // must never repeat a trial counter or goal button pressed just before.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt && event.detail.elt.id === "note-form") {
      delete event.detail.parameters.trial;
      delete event.detail.parameters.goal_action;
    }
  });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLElement) || target.closest("input, select, textarea")) return;
    var counter = target.closest("[data-trials]");
    if (!counter || event.ctrlKey || event.metaKey || event.altKey) return;
    var kind = { "+": "correct", "=": "correct", "-": "incorrect", "u": "undo", "U": "undo" }[event.key];
    if (!kind) return;
    var button = counter.querySelector('[data-trial="' + kind + '"]');
    if (button) {
      event.preventDefault();
      button.click();
    }
  });
})();
