// The clerk's filing page: the checklist by keyboard. The content security policy forbids inline
// script, so the page names what it wants (data attributes) and this file does it.
"use strict";

// Enter on a material's status moves on to the next material's, and from the last to 受理 (the
// choice itself is saved in place as it is made: hall.js submits the row, htmx swaps it, and keeps
// the focus on the new row's field of the same id).
document.addEventListener("keydown", (event) => {
  const field = event.target;
  if (event.key !== "Enter" || !field.classList || !field.classList.contains("material-status")) {
    return;
  }
  event.preventDefault();
  const fields = Array.from(document.querySelectorAll("#checklist select.material-status"));
  const next = fields[fields.indexOf(field) + 1] || document.getElementById("accept-button");
  if (next) {
    next.focus();
  }
});

// Alt + a letter presses the button showing that shortcut (data-shortcut holds the key's code, so
// that it works whatever Alt makes of the letter on the clerk's keyboard).
document.addEventListener("keydown", (event) => {
  if (!event.altKey || event.ctrlKey || event.metaKey) {
    return;
  }
  const button = document.querySelector(`[data-shortcut="${event.code}"]`);
  if (button && !button.disabled) {
    event.preventDefault();
    button.click();
  }
});

// After "all received" the checklist is new: the first material still to check gets the focus.
document.body.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.target && event.detail.target.id === "checklist") {
    const checklist = document.getElementById("checklist");
    const pending = Array.from(checklist.querySelectorAll("select.material-status")).find(
      (select) => select.value === "pending",
    );
    (pending || document.getElementById("accept-button") || checklist).focus();
  }
});
