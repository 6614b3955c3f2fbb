/* Small behaviours wired from data- attributes, so that no page needs an inline script or event handler (the
   Content-Security-Policy allows scripts from our own static files only).
   - data-confirm="…" on a form (asked on submit) or a button/link (asked on click): go on only if the user agrees;
   - data-autosubmit on a select: choosing an option submits its form;
   - data-select-on-click on an input: a click selects its text (a link to copy);
   - data-check="<selector>" on any control: changing it checks the radio the selector finds. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
  }, true);
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("button[data-confirm], a[data-confirm], input[data-confirm]") : null;
    if (target && !window.confirm(target.dataset.confirm)) event.preventDefault();
    var select = event.target.closest ? event.target.closest("[data-select-on-click]") : null;
    if (select && select.select) select.select();
  }, true);
  document.addEventListener("change", function (event) {
    var control = event.target;
    if (!control.dataset) return;
    if (control.dataset.check) {
      var radio = document.querySelector(control.dataset.check);
      if (radio) radio.checked = true;
    }
    if ("autosubmit" in control.dataset && control.form) {
      if (control.form.requestSubmit) control.form.requestSubmit(); else control.form.submit();
    }
  });
})();
