/* Child mode: read a card aloud with the browser's own voice (Web Speech API).
   Buttons stay hidden where the browser cannot speak; the page works without them. */
(function () {
  "use strict";
  if (!("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") {
    return;
  }
  var lang = document.documentElement.lang || "en";

  function say(text) {
    window.speechSynthesis.cancel();
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = lang;
    utterance.rate = 0.9;
    window.speechSynthesis.speak(utterance);
  }

  document.querySelectorAll("button.say[data-say]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      say(button.getAttribute("data-say"));
    });
  });
})();
