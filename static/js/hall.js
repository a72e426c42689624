// Behaviour the templates ask for with data attributes. The content security policy forbids inline
// handlers (onclick=...), so pages name what they want and this one file does it. Listeners sit on the
// document, so content that htmx swaps in later works too.
"use strict";

// <select data-autosubmit>: choosing an option submits its form (the <noscript> button does otherwise).
// htmx sets up content it swaps in only when it settles (some 20 ms later): a choice made before then
// would post the whole page, so the form is set up here first (htmx.process does nothing twice).
document.addEventListener("change", (event) => {
  const field = event.target.closest && event.target.closest("[data-autosubmit]");
  if (field && field.form) {
    if (window.htmx) {
      window.htmx.process(field.form);
    }
    field.form.requestSubmit();
  }
});

// <button data-print>: prints the page (print.css hides the chrome).
document.addEventListener("click", (event) => {
  if (event.target.closest && event.target.closest("[data-print]")) {
    window.print();
  }
});

// <button data-named-by="field" data-verb-<value>="…">: the button takes the name of the value chosen
// in its form's field (a revocation reads 撤销 or 注销 as chosen).
document.addEventListener("change", (event) => {
  const field = event.target;
  const form = field && field.form;
  if (!form || !field.name || !field.value) {
    return;
  }
  for (const button of form.querySelectorAll("button[data-named-by]")) {
    const verb = button.dataset["verb" + field.value.charAt(0).toUpperCase() + field.value.slice(1)];
    if (button.dataset.namedBy === field.name && verb) {
      button.textContent = verb;
    }
  }
});
