// Works without a connection (issue 13): the installable app's service worker, and a
// queue in IndexedDB for the forms marked `data-offline` (the session-note editor, a
// family's practice log).
//
// While the device is offline, or while anything is still waiting to be sent, a request
// from such a form is not sent: it is kept in IndexedDB as it was made (its fields, its
// idempotency key, the day it was entered) and the status region (offline/_status.html)
// says "saved on this device". When the connection is back the queue is sent in order.
// Each entry keeps its own idempotency key, so an entry whose answer was lost is sent
// again and the server counts it once. The server's answers move hidden fields on (the
// note's version, a goal's trials): later entries of the same form are sent with the
// values the server gave, as the page would have done online. An entry the server
// refuses (a note signed meanwhile, a conflict, an invalid value) stays on the device,
// shown with the server's message, until the person dismisses it: nothing is lost
// without a word. Requests other than the form's own (signing) need a connection.
(function () {
  "use strict";
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  }
  if (!window.indexedDB || !window.fetch) return;

  var DB_NAME = "tandem-offline";
  var STORE = "entries";
  var RETRY_MS = 15000;
  var SEND_TIMEOUT_MS = 30000;
  var panel = null;
  var text = {};
  var owner = "";
  var waiting = 0; // this person's entries not sent yet (kept up to date by render)
  var flushing = false;
  var synced = 0; // entries sent since the last time everything was sent
  var signInAgain = false;
  var moved = {}; // form address → {field name: value the server moved it to}
  var redirectTo = "";
  var opened = null;

  // --- IndexedDB ------------------------------------------------------------------
  function db() {
    if (!opened) {
      opened = new Promise(function (resolve, reject) {
        var request = window.indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
        };
        request.onsuccess = function () {
          resolve(request.result);
        };
        request.onerror = function () {
          reject(request.error);
        };
      });
    }
    return opened;
  }
  function run(mode, work) {
    return db().then(function (database) {
      return new Promise(function (resolve, reject) {
        var transaction = database.transaction(STORE, mode);
        var request = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () {
          resolve(request ? request.result : undefined);
        };
        transaction.onerror = transaction.onabort = function () {
          reject(transaction.error);
        };
      });
    });
  }
  function entries() {
    return run("readonly", function (store) {
      return store.getAll(); // in the order they were made (ascending ids)
    });
  }
  function save(entry) {
    return run("readwrite", function (store) {
      return store.put(entry);
    });
  }
  function forget(id) {
    return run("readwrite", function (store) {
      return store.delete(id);
    });
  }

  // --- Helpers --------------------------------------------------------------------
  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return String(Date.now()) + "-" + String(Math.random()).slice(2);
  }
  function localDay() {
    var now = new Date();
    var pad = function (n) {
      return (n < 10 ? "0" : "") + n;
    };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }
  function pathOf(url) {
    return new URL(url, window.location.href).pathname;
  }
  function words(node) {
    return node ? (node.textContent || "").replace(/\s+/g, " ").trim() : "";
  }
  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }
  function mine(entry) {
    return entry.owner === owner;
  }

  // --- What an entry says, for the person ---------------------------------------------
  function describe(form, elt, submitter) {
    var button = submitter || (elt.tagName === "BUTTON" ? elt : null);
    var place = (button || elt).closest("article, fieldset.card, section");
    var heading = place && place.querySelector("h2, h3, h4, h5, legend");
    var lines = [];
    if (button) {
      var shown = button.cloneNode(true);
      shown.querySelectorAll(".sr-only").forEach(function (hidden) {
        hidden.remove();
      });
      var what = words(shown);
      var counter = button.closest("[data-trials]");
      var select = counter && counter.querySelector("select");
      if (select && select.selectedIndex >= 0) what += " · " + words(select.options[select.selectedIndex]);
      lines.push(what);
    } else {
      lines.push(text.typed);
      form.querySelectorAll("textarea, input[type=text], input[type=number], input:not([type])").forEach(
        function (field) {
          if (field.value === field.defaultValue || !field.value) return;
          var label = field.id && form.querySelector('label[for="' + field.id + '"]');
          lines.push((label ? words(label) + ": " : "") + field.value.slice(0, 500));
        }
      );
    }
    return { heading: words(heading).slice(0, 200), lines: lines };
  }

  function messageOf(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var found = doc.querySelector("[role=alert]") || doc.querySelector("h1") || doc.body;
    return words(found).slice(0, 600);
  }

  // --- The status region ---------------------------------------------------------------
  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content) node.textContent = content;
    return node;
  }
  function entryView(entry, tag) {
    var node = el(tag, "");
    if (entry.label.heading) node.appendChild(el("strong", "", entry.label.heading));
    entry.label.lines.forEach(function (line) {
      node.appendChild(el("span", "offline-entry-line", line));
    });
    return node;
  }
  function render() {
    if (!panel) return Promise.resolve();
    return entries().then(function (all) {
      var shown = owner ? all.filter(mine) : all;
      var queued = shown.filter(function (e) {
        return e.state === "queued";
      });
      var refused = shown.filter(function (e) {
        return e.state === "refused";
      });
      waiting = owner ? queued.length : 0;
      var line = "";
      if (!navigator.onLine) line = text.offline;
      if (signInAgain && queued.length) line = text.signin;
      else if (flushing && queued.length) line = text.sending;
      if (queued.length) line += (line ? " " : "") + text.queued + " " + queued.length;
      else if (synced && !flushing) line = text.synced;
      panel.querySelector(".offline-line").textContent = line;
      var list = panel.querySelector(".offline-pending");
      list.replaceChildren();
      if (owner) {
        queued.forEach(function (entry) {
          list.appendChild(entryView(entry, "li"));
        });
      }
      var alerts = panel.querySelector(".offline-refused");
      alerts.replaceChildren();
      if (owner) {
        refused.forEach(function (entry) {
          var box = el("div", "conflict offline-refusal");
          box.appendChild(el("p", "", text.refused));
          box.appendChild(el("p", "offline-message", entry.message));
          box.appendChild(entryView(entry, "p"));
          var dismiss = el("button", "secondary", text.dismiss);
          dismiss.type = "button";
          dismiss.addEventListener("click", function () {
            forget(entry.id).then(render);
          });
          box.appendChild(dismiss);
          alerts.appendChild(box);
        });
      }
      panel.classList.toggle("has-refusals", Boolean(owner && refused.length));
      panel.hidden = !line && !refused.length;
    });
  }
  function say(message) {
    if (!panel) return;
    panel.hidden = false;
    panel.querySelector(".offline-line").textContent = message;
  }

  // --- Keeping a request instead of sending it ------------------------------------------
  function keep(form, detail) {
    var params = new URLSearchParams();
    var data = detail.formData;
    data.forEach(function (value, name) {
      if (typeof value === "string") params.append(name, value);
    });
    var key = params.get("idempotency_key") || newKey();
    params.set("idempotency_key", key);
    var submitter = detail.triggeringEvent && detail.triggeringEvent.submitter;
    var swapper = detail.elt.closest("[hx-swap]");
    var headers = {};
    ["HX-Current-URL", "HX-Target", "HX-Trigger", "HX-Trigger-Name"].forEach(function (name) {
      if (detail.headers[name]) headers[name] = String(detail.headers[name]);
    });
    var entry = {
      owner: owner,
      state: "queued",
      path: pathOf(detail.path),
      body: params.toString(),
      key: key,
      headers: headers,
      target: detail.target && detail.target.id ? detail.target.id : "",
      swap: swapper ? swapper.getAttribute("hx-swap") : "innerHTML",
      day: localDay(),
      dateField: form.getAttribute("data-offline-date") || "",
      label: describe(form, detail.elt, submitter),
      message: "",
    };
    // The next tap on a form with a key of its own is a new entry (online, the answer
    // would have brought a new form with a new key).
    var own = form.querySelector('input[name="idempotency_key"]');
    if (own) own.value = newKey();
    waiting += 1; // what comes next waits behind it, even before the store answers
    return entries()
      .then(function (all) {
        var twice = all.some(function (e) {
          return e.key === key && e.path === entry.path && e.state === "queued";
        });
        return twice ? null : save(entry);
      })
      .then(render)
      .then(function () {
        if (navigator.onLine) flush();
      });
  }

  // After other listeners (the editor's adds a tap's own key and prompt level).
  window.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail;
    var form = detail.elt && detail.elt.closest && detail.elt.closest("form[data-offline]");
    if (!form || !owner || (navigator.onLine && !waiting && !flushing)) return;
    event.preventDefault();
    var own = pathOf(form.getAttribute("hx-post") || form.action);
    if (detail.verb !== "post" || pathOf(detail.path) !== own) {
      say(text.needsConnection);
      return;
    }
    keep(form, detail);
  });
  // No answer at all (the connection dropped while it was being sent): keep it too. Its
  // key goes with it, so if the server did get it, sending it again counts nothing twice.
  function unanswered(event) {
    var detail = event.detail;
    var config = detail.requestConfig;
    var form = detail.elt && detail.elt.closest && detail.elt.closest("form[data-offline]");
    if (!form || !owner || !config || config.verb !== "post") return;
    if (pathOf(config.path) !== pathOf(form.getAttribute("hx-post") || form.action)) return;
    // A tap of the editor's counters is sent again by notes/editor.js itself while the
    // device is online (with the same key); offline, or once the editor has given up
    // (a connection that looks up but carries nothing), it is kept here.
    var tap = config.triggeringEvent && config.triggeringEvent.tandemTap;
    if (tap && navigator.onLine && !tap.givenUp) return;
    if (event.type === "htmx:timeout" && !(tap && tap.givenUp)) return;
    if (tap) tap.givenUp = false; // kept once: a later failure of it is not kept again
    keep(form, config);
  }
  window.addEventListener("htmx:sendError", unanswered);
  window.addEventListener("htmx:timeout", unanswered);
  // A form kept here shows the server's refusal (422, e.g. a practice card saying why).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var config = event.detail.requestConfig; // (detail.elt is the swap's target here)
    var elt = config && config.elt;
    var form = elt && elt.closest && elt.closest("form[data-offline]");
    if (form && event.detail.xhr && event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // --- Sending what was kept ------------------------------------------------------------
  function learn(path, html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var values = moved[path] || (moved[path] = {});
    doc.querySelectorAll("[hx-swap-oob]").forEach(function (node) {
      var fields = node.matches("input[type=hidden][name]")
        ? [node]
        : node.querySelectorAll("input[type=hidden][name]");
      fields.forEach(function (field) {
        values[field.name] = field.value;
      });
    });
  }
  function show(entry, html, response) {
    var redirect = response.headers.get("HX-Redirect");
    if (redirect) redirectTo = redirect;
    if (response.headers.get("HX-Refresh") === "true") redirectTo = window.location.href;
    var target = entry.target && document.getElementById(entry.target);
    if (target && window.htmx && !redirect) {
      window.htmx.swap(target, html, { swapStyle: entry.swap || "innerHTML" });
    }
  }
  function send(entry) {
    var params = new URLSearchParams(entry.body);
    var values = moved[entry.path] || {};
    Object.keys(values).forEach(function (name) {
      if (params.has(name)) params.set(name, values[name]);
    });
    var token = csrfToken();
    if (token && params.has("csrfmiddlewaretoken")) params.set("csrfmiddlewaretoken", token);
    if (entry.dateField && entry.day !== localDay() && !params.get(entry.dateField)) {
      params.set(entry.dateField, entry.day); // entered yesterday: logged for yesterday
    }
    var headers = Object.assign({}, entry.headers, {
      "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
      "HX-Request": "true",
    });
    if (token) headers["X-CSRFToken"] = token;
    var abort = window.AbortController ? new window.AbortController() : null;
    var timer = abort && window.setTimeout(function () {
      abort.abort(); // no answer in time: as if the connection had dropped
    }, SEND_TIMEOUT_MS);
    return fetch(entry.path, {
      method: "POST",
      body: params.toString(),
      headers: headers,
      credentials: "same-origin",
      signal: abort ? abort.signal : undefined,
    })
      .then(function (response) {
        return response.text().then(function (html) {
          window.clearTimeout(timer);
          return answered(entry, response, html);
        });
      })
      .catch(function () {
        window.clearTimeout(timer);
        return false; // still no connection: keep it, try again later
      });
  }
  function answered(entry, response, html) {
    if (response.redirected && pathOf(response.url).indexOf("/accounts/") === 0) {
      signInAgain = true; // signed out meanwhile: kept until the person signs in again
      return false;
    }
    signInAgain = false;
    if (response.ok) {
      learn(entry.path, html);
      show(entry, html, response);
      clearTyped(entry);
      synced += 1;
      return forget(entry.id).then(function () {
        return true;
      });
    }
    if (response.status >= 500 || response.status === 429) return false; // try again later
    entry.state = "refused";
    entry.status = response.status;
    entry.message = messageOf(html) || text.refusedGeneric;
    return save(entry).then(function () {
      return true;
    });
  }
  // Trials typed and kept ("8/10 V") are cleared from their field once sent, as the
  // editor does online: pressing Add again does not count them twice.
  function clearTyped(entry) {
    new URLSearchParams(entry.body).forEach(function (value, name) {
      if (!/-typed$/.test(name)) return;
      var input = document.getElementsByName(name)[0];
      if (!input || input.dataset.sent !== input.value || input.value !== value) return;
      input.value = "";
      delete input.dataset.sent;
      input.removeAttribute("aria-invalid");
    });
  }
  function sendNext() {
    return entries().then(function (all) {
      var next = all.filter(function (e) {
        return mine(e) && e.state === "queued";
      })[0];
      if (!next) return "done";
      return render()
        .then(function () {
          return send(next);
        })
        .then(function (goOn) {
          return goOn ? sendNext() : "stopped";
        });
    });
  }
  function finished(sentNow) {
    return entries().then(function (all) {
      if (sentNow) afterAll(all);
    });
  }
  function afterAll(all) {
    if (redirectTo) {
      var to = redirectTo;
      redirectTo = "";
      window.location.assign(to);
      return;
    }
    // Save the page's form once more the ordinary way (the editor then knows that all
    // it holds is saved), unless the server refused something of it.
    var refused = all.some(function (e) {
      return mine(e) && e.state === "refused";
    });
    if (refused || !window.htmx) return;
    document.querySelectorAll("form[data-offline][hx-trigger]").forEach(function (form) {
      var trigger = form
        .getAttribute("hx-trigger")
        .split(",")
        .map(function (part) {
          return part.trim().split(/\s+/)[0];
        })
        .filter(function (name) {
          return name && name !== "submit";
        })[0];
      if (trigger) window.htmx.trigger(form, trigger);
    });
  }
  function flush() {
    if (flushing || !owner || !navigator.onLine) return;
    flushing = true;
    var before = synced;
    sendNext()
      .catch(function () {
        return "stopped";
      })
      .then(function (outcome) {
        flushing = false;
        return render().then(function () {
          if (outcome !== "done") return; // tried again on "online" or by the timer
          if (waiting) flush(); // kept while the last answer was coming
          else finished(synced > before);
        });
      });
  }

  // --- Signing out: a shared device keeps nobody's entries -------------------------------
  // What this person kept and did not send (or the server refused) is deleted from the
  // device on sign-out. If there is any, the sign-out page first says how many
  // (account/logout.html) and signing out there deletes them.
  function theirs(who) {
    return entries().then(function (all) {
      return all.filter(function (e) {
        return who && e.owner === who;
      });
    });
  }
  function signOutPage() {
    var warning = document.querySelector("[data-signout-warning]");
    var form = document.querySelector("form[data-signout]");
    if (!warning || !form) return;
    theirs(form.getAttribute("data-signout")).then(function (kept) {
      if (!kept.length) return;
      warning.querySelector("[data-unsent-count]").textContent = String(kept.length);
      warning.hidden = false;
    });
  }
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-signout")) return;
      if (form.dataset.signoutCleared) return;
      event.preventDefault();
      var go = function () {
        form.dataset.signoutCleared = "1";
        form.submit();
      };
      theirs(form.getAttribute("data-signout"))
        .then(function (kept) {
          if (kept.length && !form.hasAttribute("data-signout-confirmed")) {
            window.location.assign(form.action); // the sign-out page says what is deleted
            return;
          }
          return Promise.all(
            kept.map(function (e) {
              return forget(e.id);
            })
          ).then(go);
        })
        .catch(go);
    },
    true
  );

  function start() {
    signOutPage();
    panel = document.getElementById("offline-queue");
    if (!panel) return;
    owner = panel.getAttribute("data-owner") || "";
    Object.keys(panel.dataset).forEach(function (name) {
      if (name.indexOf("text") === 0) {
        var short = name.slice(4);
        text[short.charAt(0).toLowerCase() + short.slice(1)] = panel.dataset[name];
      }
    });
    window.addEventListener("online", flush);
    window.addEventListener("offline", render);
    window.setInterval(function () {
      if (waiting) flush();
    }, RETRY_MS);
    render().then(flush);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
