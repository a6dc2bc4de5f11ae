// The behavior-analytic data types in the note editor (tandem/notes/datatypes.py):
// start/stop timers that fill minutes observed, a duration or a latency; an interval
// timer with a visual cue (and an optional beep, off by default) that records each
// interval as it ends; and task-analysis shortcuts. Every value is written into the
// form's own inputs and announced with a "change" event, so the editor's autosave
// sends it like anything typed. Loaded once however many goals include it.
(function () {
  "use strict";
  if (window.tandemDataTypes) return;
  window.tandemDataTypes = true;

  function byId(id) {
    return id ? document.getElementById(id) : null;
  }
  function clock(seconds) {
    var whole = Math.max(0, Math.round(seconds));
    var rest = whole % 60;
    return Math.floor(whole / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }
  function setValue(input, value) {
    if (!input) return;
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }
  function parseClock(text) {
    var parts = String(text || "").trim().split(":");
    if (parts.length === 2) return (Number(parts[0]) || 0) * 60 + (Number(parts[1]) || 0);
    return Number(parts[0]) || 0;
  }

  // --- Start/stop timers ------------------------------------------------------------
  var timers = new WeakMap(); // element → {started, base, tick}

  function startTimer(box) {
    var target = byId(box.dataset.target);
    var mode = box.dataset.mode;
    var base = 0; // seconds already recorded (a timer started again adds to them)
    if (target && mode === "minutes") base = (Number(target.value) || 0) * 60;
    if (target && mode === "duration") base = parseClock(target.value);
    var state = { started: Date.now(), base: base, tick: null };
    var show = box.querySelector("[data-timer-show]");
    state.tick = window.setInterval(function () {
      if (show) show.textContent = clock(state.base + (Date.now() - state.started) / 1000);
    }, 250);
    timers.set(box, state);
    box.querySelector("[data-timer-start]").disabled = true;
    box.querySelector("[data-timer-stop]").disabled = false;
    box.querySelector("[data-timer-stop]").focus();
  }

  function stopTimer(box) {
    var state = timers.get(box);
    if (!state) return;
    window.clearInterval(state.tick);
    timers.delete(box);
    var total = state.base + (Date.now() - state.started) / 1000;
    var target = byId(box.dataset.target);
    if (box.dataset.mode === "minutes") {
      setValue(target, String(Math.max(0.01, Math.round((total / 60) * 100) / 100)));
    } else {
      setValue(target, clock(total));
    }
    var show = box.querySelector("[data-timer-show]");
    if (show) show.textContent = clock(total);
    box.querySelector("[data-timer-start]").disabled = false;
    box.querySelector("[data-timer-stop]").disabled = true;
    box.querySelector("[data-timer-start]").focus();
  }

  // --- Interval recording -----------------------------------------------------------
  var runs = new WeakMap(); // fieldset → {seconds, number, ends, tick}
  var audio = null;

  function beep() {
    try {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) return;
      audio = audio || new Context();
      var tone = audio.createOscillator();
      var gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.value = 0.1;
      tone.connect(gain);
      gain.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.15);
    } catch (error) {
      // No sound where audio is not allowed; the visual cue is always shown.
    }
  }

  function say(box, key, values) {
    var cue = box.querySelector("[data-interval-cue]");
    if (!cue) return;
    cue.textContent = (cue.dataset[key] || "")
      .replace("{n}", String(values.n))
      .replace("{s}", String(values.s === undefined ? "" : values.s));
  }

  function flash(box) {
    var cue = box.querySelector("[data-interval-cue]");
    if (!cue) return;
    cue.classList.remove("interval-flash");
    void cue.offsetWidth; // restart the animation
    cue.classList.add("interval-flash");
    window.setTimeout(function () {
      cue.classList.remove("interval-flash");
    }, 900);
  }

  function endInterval(box, run) {
    var mark = box.querySelector("[data-interval-mark]");
    var seen = mark.getAttribute("aria-pressed") === "true";
    var target = byId(box.dataset.target);
    setValue(target, (target.value || "").replace(/\s/g, "") + (seen ? "1" : "0"));
    say(box, seen ? "scored" : "unscored", { n: run.number });
    flash(box);
    if (box.querySelector("[data-interval-sound]").checked) beep();
    mark.setAttribute("aria-pressed", "false");
    run.number += 1;
    run.ends = Date.now() + run.seconds * 1000;
  }

  function startIntervals(box) {
    var length = byId(box.dataset.length);
    var seconds = Math.round(Number(length && length.value)) || 10;
    if (length && !length.value) setValue(length, String(seconds));
    var target = byId(box.dataset.target);
    var done = (target.value || "").replace(/[^01]/g, "").length;
    var run = { seconds: seconds, number: done + 1, ends: Date.now() + seconds * 1000 };
    run.tick = window.setInterval(function () {
      var left = (run.ends - Date.now()) / 1000;
      if (left <= 0) {
        endInterval(box, run);
        return;
      }
      if (!box.querySelector(".interval-flash")) {
        say(box, "running", { n: run.number, s: Math.ceil(left) });
      }
    }, 200);
    runs.set(box, run);
    say(box, "running", { n: run.number, s: seconds });
    box.querySelector("[data-interval-start]").disabled = true;
    box.querySelector("[data-interval-stop]").disabled = false;
    box.querySelector("[data-interval-mark]").focus();
  }

  function stopIntervals(box) {
    var run = runs.get(box);
    if (!run) return;
    window.clearInterval(run.tick);
    runs.delete(box);
    say(box, "stopped", { n: run.number - 1 });
    box.querySelector("[data-interval-start]").disabled = false;
    box.querySelector("[data-interval-stop]").disabled = true;
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var button = target.closest(
      "[data-timer-start], [data-timer-stop], [data-interval-start], [data-interval-stop], " +
        "[data-interval-mark], [data-count-add], [data-steps-all]"
    );
    if (!button) return;
    var timer = button.closest("[data-timer]");
    var interval = button.closest("[data-interval]");
    if (button.hasAttribute("data-timer-start")) startTimer(timer);
    else if (button.hasAttribute("data-timer-stop")) stopTimer(timer);
    else if (button.hasAttribute("data-interval-start")) startIntervals(interval);
    else if (button.hasAttribute("data-interval-stop")) stopIntervals(interval);
    else if (button.hasAttribute("data-interval-mark")) {
      var pressed = button.getAttribute("aria-pressed") === "true";
      button.setAttribute("aria-pressed", pressed ? "false" : "true");
    } else if (button.hasAttribute("data-count-add")) {
      var count = byId(button.dataset.countAdd);
      setValue(count, String((Number(count.value) || 0) + 1));
    } else if (button.hasAttribute("data-steps-all")) {
      var steps = button.closest("[data-steps]").querySelectorAll("select");
      steps.forEach(function (select) {
        select.value = button.dataset.stepsAll;
      });
      if (steps.length) steps[steps.length - 1].dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
})();
