// Behaviour the templates ask for with data attributes. The content security policy forbids inline
// handlers (onclick=...), so pages name what they want and this one file does it. Listeners sit on the
// document, so content that htmx swaps in later works too.
"use strict";

// <select data-autosubmit>: choosing an option submits its form (the <noscript> button does otherwise).
document.addEventListener("change", (event) => {
  const field = event.target.closest && event.target.closest("[data-autosubmit]");
  if (field && field.form) {
    field.form.requestSubmit();
  }
});

// <button data-print>: prints the page (print.css hides the chrome).
document.addEventListener("click", (event) => {
  if (event.target.closest && event.target.closest("[data-print]")) {
    window.print();
  }
});
