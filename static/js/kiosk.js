/* The ticket kiosk (templates/kiosk/*.html). Plain script, no library (CSP: no inline script):
 * - the on-screen digit pad types into the ID input (a card reader types into it as a keyboard);
 * - the scanner's input keeps the focus, so that a scan (typed characters and Enter) always lands;
 * - the ticket page prints itself once (a kiosk browser prints silently to the receipt printer) and
 *   offers "print again";
 * - a page left alone for data-idle-seconds goes back to the start (each touch or key restarts the
 *   count); 0 stays. Without JavaScript, <meta refresh> in <noscript> does the same. */
(function () {
  "use strict";

  var body = document.body;
  var homeUrl = body.dataset.homeUrl;
  var idleMs = (Number(body.dataset.idleSeconds) || 0) * 1000;

  // --- back to the start when left alone ---
  var timer = null;
  function restart() {
    if (!idleMs || !homeUrl) return;
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      window.location.assign(homeUrl);
    }, idleMs);
  }
  ["pointerdown", "keydown", "input"].forEach(function (name) {
    document.addEventListener(name, restart, true);
  });
  restart();

  // --- the digit pad ---
  document.querySelectorAll("[data-pad-for]").forEach(function (pad) {
    var input = document.getElementById(pad.dataset.padFor);
    if (!input) return;
    pad.hidden = false;
    // The pad is the keyboard: no system keyboard over it on a touch screen.
    input.setAttribute("inputmode", "none");
    pad.addEventListener("click", function (event) {
      var key = event.target.closest("[data-key]");
      if (!key) return;
      var value = input.value;
      if (key.dataset.key === "delete") {
        value = value.slice(0, -1);
      } else if (value.length < Number(input.maxLength || 18)) {
        value += key.dataset.key;
      }
      input.value = value.toUpperCase();
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.focus();
    });
  });

  // --- the scanner's input keeps the focus ---
  document.querySelectorAll("[data-keep-focus]").forEach(function (input) {
    input.focus();
    document.addEventListener("pointerup", function (event) {
      if (!event.target.closest("a, button")) input.focus();
    });
    input.addEventListener("blur", function () {
      window.setTimeout(function () {
        if (document.activeElement === document.body) input.focus();
      }, 0);
    });
  });

  // --- the ticket prints itself once ---
  var ticket = document.querySelector("[data-print=auto]");
  if (ticket) {
    var again = document.querySelector("[data-print-again]");
    if (again) {
      again.hidden = false;
      again.addEventListener("click", function () {
        window.print();
      });
    }
    window.setTimeout(function () {
      window.print();
    }, 300);
  }
})();
