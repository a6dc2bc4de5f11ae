// The session-note editor: show refusals of an autosave (409 conflict, 422 invalid)
// in the status line, let the trial counters be driven from the keyboard, record each
// tap exactly as it was made, and warn before leaving while anything is unsaved.
(function () {
  "use strict";
  var edits = 0; // changes made in the editor (typing, choosing, tapping)
  var savedUpTo = 0; // the changes the last successful save carried
  var inFlight = new Set(); // requests sent and not yet answered

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return String(Date.now()) + "-" + String(Math.random()).slice(2);
  }
  function editorForm() {
    return document.getElementById("note-form");
  }
  function unsaved() {
    return inFlight.size > 0 || savedUpTo < edits;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // A tap is captured when it is made: which counter, correct or not, and the prompt
  // level chosen at that moment. htmx queues requests and reads the form only when a
  // request is sent, so without this a tap queued behind a slow request would be sent
  // with whatever prompt level (and button) was chosen later. Each tap also carries
  // its own idempotency key: a retried tap is never counted twice.
  var RETRIES = 3; // a tap whose answer never came is sent again, with the same key
  var retrying = null; // the tap being sent again by the click below

  document.addEventListener(
    "click",
    function (event) {
      var button = event.target instanceof Element && event.target.closest("[data-trial]");
      if (!button || !editorForm() || !editorForm().contains(button)) return;
      if (retrying) {
        event.tandemTap = retrying;
        retrying = null;
        return;
      }
      var counter = button.closest("[data-trials]");
      var select = counter && counter.querySelector("select");
      event.tandemTap = {
        trial: button.value,
        promptName: select ? select.name : "",
        prompt: select ? select.value : "",
        key: newKey(),
      };
      edits += 1;
    },
    true
  );
  document.addEventListener("input", markEdited, true);
  document.addEventListener("change", markEdited, true);
  function markEdited(event) {
    var form = editorForm();
    if (form && event.target instanceof Element && form.contains(event.target)) edits += 1;
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail;
    var form = editorForm();
    if (!form || !(detail.elt === form || form.contains(detail.elt))) return;
    var params = detail.parameters;
    var elt = detail.elt;
    // htmx adds the form's last clicked button to every request from the form: a
    // request carries only its own button (an autosave none), never one pressed before.
    delete params.trial;
    delete params.goal_action;
    delete params.draft;
    if (elt !== form && elt.name) params[elt.name] = elt.value;
    var tap = detail.triggeringEvent && detail.triggeringEvent.tandemTap;
    if (tap) {
      params.trial = tap.trial;
      if (tap.promptName) params[tap.promptName] = tap.prompt;
    }
    params.idempotency_key = tap ? tap.key : newKey();
    detail.elt.tandemSent = edits; // this request carries every change made so far
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = editorForm();
    if (form && (event.detail.elt === form || form.contains(event.detail.elt))) {
      event.detail.xhr.tandemSent = event.detail.elt.tandemSent || 0;
      inFlight.add(event.detail.xhr);
    }
  });
  // beforeOnLoad comes before htmx follows an HX-Redirect (signing, goals changed).
  document.addEventListener("htmx:beforeOnLoad", function (event) {
    var xhr = event.detail.xhr;
    if (!inFlight.has(xhr)) return;
    inFlight.delete(xhr);
    if (xhr.status >= 200 && xhr.status < 300) savedUpTo = Math.max(savedUpTo, xhr.tandemSent);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    inFlight.delete(event.detail.xhr);
  });
  // No answer (the phone lost its connection, or the answer was lost on the way): send
  // the tap again with its own key. If the first one did reach the server, the server
  // answers as it did then and counts nothing twice.
  function sendAgain(event) {
    var config = event.detail.requestConfig;
    var tap = config && config.triggeringEvent && config.triggeringEvent.tandemTap;
    var button = event.detail.elt;
    var status = document.getElementById("save-status");
    if (status && status.dataset.offline) status.textContent = status.dataset.offline;
    if (!tap || !button || (tap.tries || 0) >= RETRIES) return;
    tap.tries = (tap.tries || 0) + 1;
    window.setTimeout(function () {
      retrying = tap;
      button.click();
      retrying = null;
    }, 1000 * tap.tries);
  }
  document.addEventListener("htmx:sendError", sendAgain);
  document.addEventListener("htmx:timeout", sendAgain);

  window.addEventListener("beforeunload", function (event) {
    if (!editorForm() || !unsaved()) return;
    event.preventDefault();
    event.returnValue = "";
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
