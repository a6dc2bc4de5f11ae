// The session-note editor: show refusals of an autosave (409 conflict, 422 invalid)
// in the status line, let the trial counters be driven from the keyboard, record each
// tap exactly as it was made, and warn before leaving while anything is unsaved.
// Autosave waits for a pause in typing or choosing (one request, not one a keystroke);
// trials typed as "8/10 V" are sent once, with their own idempotency key; a goal's
// card folds once its data and GAS level are recorded.
(function () {
  "use strict";
  var edits = 0; // changes made in the editor (typing, choosing, tapping)
  var savedUpTo = 0; // the changes the last successful save carried
  var inFlight = new Set(); // requests sent and not yet answered
  var TYPING_PAUSE_MS = 1500; // autosave once typing pauses this long
  var CHOICE_PAUSE_MS = 400; // after a choice or leaving a field: soon, but one request
  var autosaveTimer = null;

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
      var typed = button.dataset.trial === "typed" ? typedInputOf(button) : null;
      if (typed && !typed.value.trim()) {
        event.preventDefault(); // nothing typed: nothing to add
        event.stopImmediatePropagation();
        return;
      }
      if (!typed) flushTyped(); // trials typed and not added yet go first
      if (typed) typed.dataset.sent = typed.value;
      event.tandemTap = {
        trial: button.value,
        promptName: select ? select.name : "",
        prompt: select ? select.value : "",
        typedName: typed ? typed.name : "",
        typed: typed ? typed.value : "",
        key: newKey(),
      };
      edits += 1;
    },
    true
  );
  // Any other button of the form (draft, save, sign, goals) sends what was typed first.
  document.addEventListener(
    "click",
    function (event) {
      var button = event.target instanceof Element && event.target.closest("button[type=submit]");
      var form = editorForm();
      if (button && form && form.contains(button) && !button.dataset.trial) flushTyped();
    },
    true
  );
  document.addEventListener("input", markEdited, true);
  document.addEventListener("change", markEdited, true);
  function markEdited(event) {
    var form = editorForm();
    var target = event.target;
    if (!form || !(target instanceof Element) || !form.contains(target)) return;
    edits += 1;
    if (event.type === "input" && target.hasAttribute("data-copied")) {
      target.removeAttribute("data-copied"); // changed: no longer the copied text
    }
    if (target.matches("[data-typed]")) {
      // Typed trials are sent on their own (Enter, Add, leaving the field), never by autosave.
      if (event.type === "change") commitTyped(target);
      return;
    }
    if (event.type === "change") flushTyped();
    scheduleAutosave(event.type === "input" ? TYPING_PAUSE_MS : CHOICE_PAUSE_MS);
  }
  function scheduleAutosave(delay) {
    window.clearTimeout(autosaveTimer);
    autosaveTimer = window.setTimeout(function () {
      autosaveTimer = null;
      var form = editorForm();
      if (form) form.dispatchEvent(new CustomEvent("tandem:autosave"));
    }, delay);
  }

  // --- Typed trials ("8/10 V") ---------------------------------------------------
  function typedInputOf(button) {
    var box = button.closest(".typed-entry");
    return box && box.querySelector("[data-typed]");
  }
  function commitTyped(input) {
    var value = input.value.trim();
    if (!value || input.dataset.sent === input.value) return;
    var box = input.closest(".typed-entry");
    var button = box && box.querySelector('[data-trial="typed"]');
    if (button) button.click();
  }
  function flushTyped() {
    var form = editorForm();
    if (!form) return;
    form.querySelectorAll("[data-typed]").forEach(commitTyped);
  }
  function typedAnswered(tap, status) {
    if (!tap || !tap.typedName) return;
    var input = document.getElementsByName(tap.typedName)[0];
    if (!input) return;
    var slot = input.closest(".typed-entry").querySelector("[data-typed-error]");
    if (status >= 200 && status < 300) {
      if (input.value === tap.typed) input.value = "";
      input.removeAttribute("aria-invalid");
      if (slot) slot.textContent = "";
    } else if (status === 422) {
      var said = document.getElementById("save-status");
      input.setAttribute("aria-invalid", "true");
      if (slot && said) slot.textContent = said.textContent.replace(/\s+/g, " ").trim();
    }
  }
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!(target instanceof Element) || !target.matches("[data-typed]")) return;
    if (event.key === "Enter") {
      event.preventDefault(); // not the form's submit: just these trials
      commitTyped(target);
    }
  });

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
    delete params.abc_action;
    if (elt !== form && elt.name) params[elt.name] = elt.value;
    var tap = detail.triggeringEvent && detail.triggeringEvent.tandemTap;
    if (tap) {
      params.trial = tap.trial;
      if (tap.promptName) params[tap.promptName] = tap.prompt;
    }
    // A typed text goes only with its own request: an autosave never adds it again.
    Object.keys(params).forEach(function (name) {
      if (/-typed$/.test(name)) delete params[name];
    });
    if (tap && tap.typedName) params[tap.typedName] = tap.typed;
    params.idempotency_key = tap ? tap.key : newKey();
    detail.elt.tandemSent = edits; // this request carries every change made so far
    window.clearTimeout(autosaveTimer); // it carries the whole form: no autosave needed
    autosaveTimer = null;
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
    var config = event.detail.requestConfig;
    var tap = config && config.triggeringEvent && config.triggeringEvent.tandemTap;
    if (event.detail.xhr) typedAnswered(tap, event.detail.xhr.status);
  });
  document.addEventListener("htmx:afterSettle", function () {
    foldComplete();
  });

  // --- Goal cards fold once recorded and scored ------------------------------------
  function gasOf(card) {
    return card.querySelector('select[name$="-gas_level"]');
  }
  var NOT_DATA = /-(gas_level|comment|prompt|typed|trials)$/;
  function recorded(card) {
    // The data fields with a value (not the GAS level, comment or counter controls).
    var fields = card.querySelectorAll("input[name^='goal-'], select[name^='goal-'], textarea[name^='goal-']");
    return Array.prototype.filter.call(fields, function (field) {
      if (NOT_DATA.test(field.name) || field.type === "hidden") return false;
      if (field.type === "checkbox" || field.type === "radio") return field.checked;
      return field.value.trim() !== "";
    });
  }
  function isComplete(card) {
    var gas = gasOf(card);
    if (!gas || !gas.value) return false;
    if (card.hasAttribute("data-gas-only")) return true;
    var trials = card.querySelector('input[name$="-trials"]');
    if (trials && trials.value && trials.value !== "[]") return true;
    return recorded(card).length > 0;
  }
  function statusLine(card) {
    var gas = gasOf(card);
    var level = gas && gas.value ? gas.options[gas.selectedIndex].text.split(" ")[0] : "";
    var tally = card.querySelector("[id^='tally-'] strong");
    var data = tally ? tally.textContent.trim() : "";
    var first = recorded(card)[0];
    if (!data && first) {
      var label = first.id && card.querySelector('label[for="' + first.id + '"]');
      var value = first.tagName === "SELECT" ? first.options[first.selectedIndex].text : first.value;
      data = (label ? label.textContent.trim() + ": " : "") + value;
    }
    return "✓ " + [data, level ? "GAS " + level : ""].filter(Boolean).join(" · ");
  }
  // A press that moves the focus out of a card (on "Draft the note", say) must not fold
  // the card before the press ends: the button would move up and the click be lost.
  var pressing = false;
  var foldLater = false;
  document.addEventListener("pointerdown", function () {
    pressing = true;
  }, true);
  function released() {
    pressing = false;
    if (!foldLater) return;
    foldLater = false;
    window.setTimeout(foldComplete, 0); // after the press's click
  }
  document.addEventListener("pointerup", released, true);
  document.addEventListener("pointercancel", released, true);
  function foldComplete() {
    var form = editorForm();
    if (!form) return;
    if (pressing) {
      foldLater = true;
      return;
    }
    form.querySelectorAll("[data-entry]").forEach(function (card) {
      var fold = card.querySelector("details.entry-fold");
      if (!fold || !isComplete(card)) return;
      var status = card.querySelector("[data-entry-status]");
      if (status) status.textContent = statusLine(card);
      card.classList.add("complete");
      if (!fold.open || card.dataset.reopened || card.contains(document.activeElement)) return;
      if (card.querySelector("[aria-invalid=true], .errorlist li")) return;
      fold.open = false;
    });
  }
  // A card the therapist opens again stays open (a click or Enter on its summary).
  document.addEventListener("click", function (event) {
    var summary = event.target instanceof Element && event.target.closest("details.entry-fold > summary");
    if (summary && !summary.parentElement.open) {
      summary.closest("[data-entry]").dataset.reopened = "1";
    }
  });
  document.addEventListener("focusout", function (event) {
    var card = event.target instanceof Element && event.target.closest("[data-entry]");
    if (card && !(event.relatedTarget instanceof Node && card.contains(event.relatedTarget))) {
      window.setTimeout(foldComplete, 0);
    }
  });

  // --- Shortcuts: Alt+Shift+N next goal, Alt+Shift+D draft, Alt+Shift+S save ----------
  function nextGoal() {
    var form = editorForm();
    if (!form) return;
    var cards = Array.prototype.slice.call(form.querySelectorAll("[data-entry]"));
    var card = cards.find(function (c) { return !isComplete(c); }) || cards[0];
    if (!card) return;
    var fold = card.querySelector("details.entry-fold");
    if (fold && !fold.open) fold.open = true;
    var field = card.querySelector("[data-typed]") ||
      card.querySelector("details input:not([type=hidden]), details select, details textarea");
    card.scrollIntoView({ block: "start" });
    if (field) field.focus();
  }
  document.addEventListener("click", function (event) {
    if (event.target instanceof Element && event.target.closest("[data-next-goal]")) nextGoal();
  });
  document.addEventListener("keydown", function (event) {
    if (!editorForm() || !event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) return;
    var letter = (event.code || "").replace(/^Key/, "");
    if (letter === "N") {
      event.preventDefault();
      nextGoal();
    } else if (letter === "D" || letter === "S") {
      var button = editorForm().querySelector('[data-shortcut="' + letter + '"]');
      if (button) {
        event.preventDefault();
        button.click();
      }
    }
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
    if (!tap || !button) return;
    if ((tap.tries || 0) >= RETRIES) {
      // Given up here: offline/offline.js keeps it on the device, with its key, and
      // sends it when the connection carries again (never dropped, never counted twice).
      tap.givenUp = true;
      return;
    }
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
