// The online filing wizard: a material's file sent with a progress bar, and a submit sent once.
// The content security policy forbids inline script, so the page names what it wants (data
// attributes) and this file does it. Without JavaScript the same forms are plain posts.
"use strict";

(() => {
  // A form[data-upload] is sent by XHR, asking for JSON (X-Requested-With), so that its progress shows
  // on the form's <progress>. The answer: {ok, error, next} — on success the page is loaded again
  // (the file listed, the message shown), a refusal is said at the form, naming the material; an
  // ended session (401) goes to the login, which comes back to this step.
  function say(form, text) {
    const error = form.querySelector("[data-upload-error]");
    if (error) {
      error.textContent = text;
    }
  }

  function busy(form, on) {
    form.querySelectorAll("button, input[type=file]").forEach((control) => {
      control.disabled = on;
    });
    form.setAttribute("aria-busy", on ? "true" : "false");
  }

  function send(form) {
    const input = form.querySelector("input[type=file]");
    const progress = form.querySelector("[data-progress]");
    const file = input && input.files && input.files[0];
    if (!file) {
      input.reportValidity();
      return;
    }
    const limit = Number(form.dataset.maxBytes || 0);
    if (limit && file.size > limit) {
      say(form, form.dataset.tooLarge || "");
      return;
    }
    say(form, "");
    const data = new FormData(form); // before the controls are disabled: disabled ones are not sent
    const token = form.querySelector("input[name=csrfmiddlewaretoken]");
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    if (token) {
      request.setRequestHeader("X-CSRFToken", token.value);
    }
    request.responseType = "json";
    if (progress) {
      progress.value = 0;
      progress.hidden = false;
      request.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable) {
          progress.value = Math.round((event.loaded / event.total) * 100);
        }
      });
    }
    request.addEventListener("load", () => {
      const answer = request.response || {};
      if (request.status === 401 && answer.login) {
        window.location.assign(answer.login);
        return;
      }
      if (answer.ok && answer.next) {
        if (progress) {
          progress.value = 100;
        }
        // The same page at the material: a change of the #fragment alone would not load it again.
        const target = new URL(answer.next, window.location.href);
        if (target.pathname + target.search === window.location.pathname + window.location.search) {
          window.location.hash = target.hash;
          window.location.reload();
        } else {
          window.location.assign(target.href);
        }
        return;
      }
      busy(form, false);
      if (progress) {
        progress.hidden = true;
      }
      say(form, answer.error || form.dataset.failed || "");
      input.value = "";
    });
    request.addEventListener("error", () => {
      busy(form, false);
      if (progress) {
        progress.hidden = true;
      }
      say(form, form.dataset.failed || "");
    });
    busy(form, true);
    request.send(data);
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.matches && form.matches("form[data-upload]") && window.FormData && window.XMLHttpRequest) {
      event.preventDefault();
      send(form);
      return;
    }
    // A submit sent once: a second click while the first is on its way does nothing here (the
    // server files it once anyway, and shows the filing to a second request that gets through).
    if (form.matches && form.matches("form[data-submit-once]")) {
      if (form.dataset.sent === "1") {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "1";
      form.setAttribute("aria-busy", "true");
    }
  });
})();
