/* The window evaluation pad's screen (templates/feedback/pad_screen.html). Plain script, no library:
 * - polls /pad/current/ every few seconds and swaps the screen's content when the act changes
 *   (a new act, the welcome again), never while the applicant is in the middle of choosing;
 * - drops the act when its time is up (the server's count of seconds, not the tablet's clock), even
 *   if the network is gone: a screen left alone shows nothing personal;
 * - shows the reasons only for the two lowest levels, and makes one of them required there;
 * - after "thank you", back to the welcome.
 * Without JavaScript the page works as a form, and reloads itself (<meta refresh> in <noscript>). */
(function () {
  "use strict";

  var screen = document.getElementById("pad-screen");
  if (!screen) return;

  var currentUrl = screen.dataset.currentUrl;
  var screenUrl = screen.dataset.screenUrl;
  var pollMs = (Number(screen.dataset.pollSeconds) || 2) * 1000;
  var graceMs = (Number(screen.dataset.graceSeconds) || 0) * 1000;
  var thanksMs = (Number(screen.dataset.thanksSeconds) || 5) * 1000;
  // Someone who touched the screen this recently is choosing: their act is not swapped away, and
  // it may outlive its time by the server's grace (which still takes the rating).
  var TOUCH_KEEP_MS = 15000;
  var deadline = null;
  var touchedAt = 0;

  function current() {
    return document.getElementById("pad-current");
  }

  function interacting() {
    return Date.now() - touchedAt < TOUCH_KEEP_MS;
  }

  function wireForm(node) {
    var form = node.querySelector("form.pad-form");
    if (!form) return;
    var bad = (form.dataset.badLevels || "").split(" ");
    var reasons = form.querySelector("[data-reasons]");
    var submit = form.querySelector("button[type=submit]");
    function sync() {
      var chosen = form.querySelector("input[name=level]:checked");
      var isBad = Boolean(chosen) && bad.indexOf(chosen.value) !== -1;
      if (reasons) {
        reasons.hidden = !isBad && !("error" in reasons.dataset);
        reasons.querySelectorAll("input[name=reason]").forEach(function (input) {
          input.required = isBad;
        });
      }
      if (submit) submit.disabled = !chosen;
    }
    form.addEventListener("change", sync);
    form.addEventListener("submit", function () {
      // One rating per tap: a second tap while the first is on its way sends nothing.
      window.setTimeout(function () {
        if (submit) submit.disabled = true;
      }, 0);
    });
    sync();
  }

  function arm(node) {
    var state = node.dataset.state;
    var left = Number(node.dataset.secondsLeft || 0) * 1000;
    deadline = state === "act" ? Date.now() + left : state === "thanks" ? Date.now() + thanksMs : null;
    // The address bar back to the screen's own (from ?rated=1, or /pad/rate/ after a refused rating):
    // a reload then shows the screen, not a form's answer.
    if (state !== "thanks" && (window.location.search || window.location.pathname !== screenUrl)) {
      window.history.replaceState(null, "", screenUrl);
    }
    wireForm(node);
  }

  function replace(next) {
    current().replaceWith(next);
    arm(next);
  }

  function idle() {
    var template = document.getElementById("pad-idle");
    replace(template.content.firstElementChild.cloneNode(true));
  }

  function tick() {
    if (deadline === null) return;
    var node = current();
    var limit = deadline + (node.dataset.state === "act" && interacting() ? graceMs : 0);
    if (Date.now() >= limit) idle();
  }

  function consider(html) {
    var next = new DOMParser().parseFromString(html, "text/html").getElementById("pad-current");
    var node = current();
    if (!next || (next.dataset.act === node.dataset.act && next.dataset.state === node.dataset.state)) {
      return;
    }
    if (node.dataset.state === "thanks") return; // its own timer ends it
    if (node.dataset.state === "act" && interacting()) return;
    replace(document.importNode(next, true));
  }

  function poll() {
    fetch(currentUrl, { credentials: "same-origin", cache: "no-store", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (response.redirected) {
          // Unpaired or revoked: the pairing page.
          window.location.assign(response.url);
          return null;
        }
        if (response.status === 403) {
          window.location.assign(screenUrl);
          return null;
        }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html) consider(html);
      })
      .catch(function () {
        // Offline for a moment: the next poll tries again; tick() still drops an act on time.
      })
      .then(function () {
        window.setTimeout(poll, pollMs);
      });
  }

  ["pointerdown", "keydown", "input", "change"].forEach(function (name) {
    document.addEventListener(name, function () {
      touchedAt = Date.now();
    }, true);
  });

  arm(current());
  window.setInterval(tick, 500);
  window.setTimeout(poll, pollMs);
})();
