/* The bill the customer signs for: refreshed from the server (never computed here) while the
   technician types the labour minutes, so the amount on the screen is the amount that will be billed. */
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("bill-preview");
    var input = document.querySelector("[data-bill-preview]");
    if (!box || !input) return;
    var timer = null, seq = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var minutes = /^\d+$/.test(input.value) ? input.value : "0";
        var mine = ++seq;
        fetch(input.dataset.billPreview + "?labour_minutes=" + minutes, { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.text() : null; })
          .then(function (html) { if (html && mine === seq) box.innerHTML = html; })
          .catch(function () { /* offline: the bill is computed at completion anyway */ });
      }, 300);
    });
  });
})();
