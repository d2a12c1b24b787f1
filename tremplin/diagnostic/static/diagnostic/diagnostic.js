/* The diagnostic's small enhancements. Every question works without them:
   - read aloud: a button appears only when the browser has a French voice;
   - "order" questions: touch the steps in order instead of choosing numbers;
   - "zone" questions: touch the picture instead of choosing in the list. */
(function () {
  "use strict";

  function frenchVoice() {
    var voices = window.speechSynthesis.getVoices();
    for (var i = 0; i < voices.length; i++) {
      if (voices[i].lang && voices[i].lang.toLowerCase().indexOf("fr") === 0) return voices[i];
    }
    return null;
  }

  function setUpReadAloud() {
    var buttons = document.querySelectorAll(".tp-speak[data-speak]");
    if (!buttons.length || !("speechSynthesis" in window)) return;
    function offer() {
      var voice = frenchVoice();
      if (!voice) return;
      buttons.forEach(function (button) {
        if (!button.hidden) return;
        button.hidden = false;
        button.addEventListener("click", function () {
          var synth = window.speechSynthesis;
          if (synth.speaking) {
            synth.cancel();
            return;
          }
          var utterance = new SpeechSynthesisUtterance(button.getAttribute("data-speak"));
          utterance.voice = voice;
          utterance.lang = voice.lang;
          utterance.rate = 0.9;
          synth.speak(utterance);
        });
      });
    }
    offer();
    // Chromium loads its voices after the page: try again when they arrive.
    window.speechSynthesis.addEventListener("voiceschanged", offer);
    window.addEventListener("pagehide", function () { window.speechSynthesis.cancel(); });
  }

  function setUpOrder(form) {
    var list = form.querySelector(".tp-order");
    if (!list) return;
    var steps = Array.prototype.slice.call(list.querySelectorAll(".tp-order-step"));
    var reset = form.querySelector(".tp-order-reset");

    function selectOf(step) { return step.querySelector("select"); }
    function rankOf(step) { return parseInt(selectOf(step).value, 10) || 0; }
    function render() {
      steps.forEach(function (step) {
        var rank = rankOf(step);
        var button = step.querySelector(".tp-order-button");
        button.setAttribute("aria-pressed", rank ? "true" : "false");
        button.querySelector(".tp-rank-number").textContent = rank ? String(rank) : "";
        button.querySelector(".tp-rank-hidden").textContent = rank ? "Étape " + rank + " : " : "";
      });
    }
    function touch(step) {
      var rank = rankOf(step);
      if (rank) {
        // Taking a number back moves the later steps up by one.
        selectOf(step).value = "";
        steps.forEach(function (other) {
          var r = rankOf(other);
          if (r > rank) selectOf(other).value = String(r - 1);
        });
      } else {
        var used = steps.map(rankOf);
        var next = 1;
        while (used.indexOf(next) !== -1) next++;
        selectOf(step).value = String(next);
      }
      render();
    }

    // Numbers chosen before (a form sent back with an error) may repeat: start clean then.
    var ranks = steps.map(rankOf).filter(Boolean);
    var repeated = ranks.some(function (r, i) { return ranks.indexOf(r) !== i; });
    steps.forEach(function (step) {
      if (repeated) selectOf(step).value = "";
      var label = step.querySelector(".tp-order-text");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "tp-order-button";
      button.innerHTML =
        '<span class="tp-rank" aria-hidden="true"><span class="tp-rank-number"></span></span>' +
        '<span><span class="visually-hidden tp-rank-hidden"></span></span>';
      button.lastChild.appendChild(document.createTextNode(label.firstChild.textContent.trim()));
      button.addEventListener("click", function () { touch(step); });
      label.hidden = true;
      selectOf(step).hidden = true;
      step.classList.add("border-0", "p-0");
      step.appendChild(button);
    });
    form.querySelector(".tp-order-help").hidden = true;
    form.querySelector(".tp-order-help-js").hidden = false;
    if (reset) {
      reset.hidden = false;
      reset.addEventListener("click", function () {
        steps.forEach(function (step) { selectOf(step).value = ""; });
        render();
      });
    }
    render();
  }

  function setUpZones(form) {
    var picture = form.querySelector(".tp-illustration");
    if (!picture) return;
    var inputs = Array.prototype.slice.call(form.querySelectorAll('input[name="reponse"]'));
    function zoneOf(input) {
      return picture.querySelector("#" + CSS.escape(input.value));
    }
    function render() {
      inputs.forEach(function (input) {
        var zone = zoneOf(input);
        if (zone) zone.classList.toggle("tp-zone-selected", input.checked);
      });
    }
    inputs.forEach(function (input) {
      var zone = zoneOf(input);
      if (!zone) return;
      zone.classList.add("tp-zone-target");
      zone.addEventListener("click", function () {
        input.checked = input.type === "checkbox" ? !input.checked : true;
        render();
      });
      input.addEventListener("change", render);
    });
    render();
  }

  document.querySelectorAll("form.tp-question").forEach(function (form) {
    var kind = form.getAttribute("data-kind");
    if (kind === "order") setUpOrder(form);
    if (kind === "zone") setUpZones(form);
  });
  setUpReadAloud();
})();
