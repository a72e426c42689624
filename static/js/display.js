/* The hall display (templates/display/screen.html): polls /display/feed/?after=<last call id> every
   second and redraws the call just made, the last calls, the waiting per area and today's average
   wait. A new call flashes and is read out (speechSynthesis) where the browser has a Chinese voice,
   once someone has touched "turn on announcements" (browsers speak only after a user's gesture).
   Everything from the feed goes in as text (textContent), never as HTML. */
(function () {
  "use strict";

  var root = document.querySelector("[data-display]");
  if (!root) return;

  var feedUrl = root.getAttribute("data-feed-url");
  var lastId = parseInt(root.getAttribute("data-last-id"), 10) || 0;
  var pollMs = parseInt(root.getAttribute("data-poll-ms"), 10) || 1000;
  var failures = 0;
  var speaking = false;
  var voice = null;

  function $(selector) { return root.querySelector(selector); }

  function setText(el, text) { if (el) el.textContent = text == null ? "" : String(text); }

  function drawNow(call) {
    var now = $("[data-now]");
    setText($("[data-now-number]"), call.number);
    setText($("[data-now-window]"), call.window);
    setText($("[data-now-name]"), call.name);
    setText($("[data-announcement]"), call.announcement);
    now.classList.remove("is-empty");
    now.classList.remove("is-new");
    void now.offsetWidth; // restart the flash
    now.classList.add("is-new");
  }

  function drawCalls(calls) {
    var body = $("[data-calls]");
    var template = document.getElementById("display-call-row");
    var rows = document.createDocumentFragment();
    calls.forEach(function (call) {
      var row = template.content.firstElementChild.cloneNode(true);
      var cells = row.children;
      row.setAttribute("data-call", call.id);
      setText(cells[0], call.number);
      setText(cells[1], call.window);
      setText(cells[2], call.name);
      setText(cells[3], call.area);
      rows.appendChild(row);
    });
    body.replaceChildren(rows);
    $("[data-calls-empty]").hidden = calls.length > 0;
  }

  function drawAreas(areas) {
    var list = $("[data-areas]");
    var template = document.getElementById("display-area-row");
    var items = document.createDocumentFragment();
    areas.forEach(function (area) {
      var item = template.content.firstElementChild.cloneNode(true);
      setText(item.querySelector(".display-prefix"), area.prefix);
      setText(item.querySelector(".display-area-name"), area.name);
      setText(item.querySelector("[data-waiting]"), area.waiting);
      items.appendChild(item);
    });
    list.replaceChildren(items);
  }

  function announce(calls) {
    if (!speaking || !voice || !window.speechSynthesis) return;
    calls.forEach(function (call) {
      var utterance = new SpeechSynthesisUtterance(call.announcement);
      utterance.voice = voice;
      utterance.lang = voice.lang;
      utterance.rate = 0.9;
      window.speechSynthesis.speak(utterance);
    });
  }

  function draw(feed) {
    if (feed.calls.length && feed.last_id !== lastId) drawNow(feed.calls[0]);
    drawCalls(feed.calls);
    drawAreas(feed.areas);
    setText($("[data-average-wait]"), feed.average_wait_text);
    announce(feed["new"] || []);
    lastId = feed.last_id;
  }

  function poll() {
    fetch(feedUrl + "?after=" + encodeURIComponent(lastId), {
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (response.status === 403) { window.location.reload(); return null; } // revoked: the page says so
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (feed) {
      if (!feed) return;
      failures = 0;
      $("[data-offline]").hidden = true;
      draw(feed);
    }).catch(function () {
      failures += 1;
      if (failures >= 3) $("[data-offline]").hidden = false;
    }).then(function () {
      window.setTimeout(poll, failures ? Math.min(pollMs * failures, 10000) : pollMs);
    });
  }

  function tick() {
    var now = new Date();
    setText($("[data-clock]"), String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0"));
  }

  function findVoice() {
    if (!window.speechSynthesis) return;
    var voices = window.speechSynthesis.getVoices();
    voice = voices.filter(function (v) { return /^zh[-_]CN/i.test(v.lang); })[0]
      || voices.filter(function (v) { return /^zh/i.test(v.lang); })[0] || null;
    $("[data-sound]").hidden = !voice || speaking;
  }

  $("[data-sound]").addEventListener("click", function () {
    speaking = true;
    this.hidden = true;
    var hello = new SpeechSynthesisUtterance(" ");
    if (voice) hello.voice = voice;
    window.speechSynthesis.speak(hello); // the gesture that lets the page speak from now on
  });

  if (window.speechSynthesis) {
    findVoice();
    window.speechSynthesis.addEventListener("voiceschanged", findVoice);
  }
  tick();
  window.setInterval(tick, 10000);
  window.setTimeout(poll, pollMs);
})();
