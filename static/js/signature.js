/* Signature pads: <div data-signature-pad> holding a <canvas>, a "clear" button and a hidden input.
   The drawing is exported as a PNG data URL into the hidden input when the form is submitted;
   an untouched pad leaves the input empty, and the server refuses an empty signature.
   When the server shows the form again after a refusal, the hidden input holds the signature drawn
   before: it is painted back on the pad, so the customer does not sign twice. */
(function () {
  function setup(pad) {
    var canvas = pad.querySelector("canvas");
    var input = pad.querySelector("input[type=hidden]");
    var clear = pad.querySelector("[data-clear]");
    var ctx = canvas.getContext("2d");
    var drawing = false, drawn = false;
    var kept = /^data:image\/png;base64,[A-Za-z0-9+\/=]+$/.test(input.value) ? input.value : "";

    function resize() {
      var ratio = window.devicePixelRatio || 1;
      var rect = canvas.getBoundingClientRect();
      canvas.width = Math.max(1, Math.round(rect.width * ratio));
      canvas.height = Math.max(1, Math.round(rect.height * ratio));
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.lineWidth = 2.5; ctx.lineCap = "round"; ctx.lineJoin = "round"; ctx.strokeStyle = "#111";
      drawn = false; input.value = "";
      if (kept) {
        var image = new Image();
        image.onload = function () { ctx.drawImage(image, 0, 0, rect.width, rect.height); };
        image.src = kept; drawn = true; input.value = kept;
      }
    }
    function point(e) {
      var rect = canvas.getBoundingClientRect();
      return { x: e.clientX - rect.left, y: e.clientY - rect.top };
    }
    canvas.addEventListener("pointerdown", function (e) {
      drawing = true; canvas.setPointerCapture(e.pointerId);
      var p = point(e); ctx.beginPath(); ctx.moveTo(p.x, p.y); e.preventDefault();
    });
    canvas.addEventListener("pointermove", function (e) {
      if (!drawing) return;
      var p = point(e); ctx.lineTo(p.x, p.y); ctx.stroke(); drawn = true; kept = ""; e.preventDefault();
    });
    ["pointerup", "pointercancel", "pointerleave"].forEach(function (name) {
      canvas.addEventListener(name, function () { drawing = false; });
    });
    if (clear) clear.addEventListener("click", function () { kept = ""; ctx.clearRect(0, 0, canvas.width, canvas.height); drawn = false; input.value = ""; });
    var form = pad.closest("form");
    if (form) form.addEventListener("submit", function () { input.value = drawn ? canvas.toDataURL("image/png") : ""; });
    resize();
    // A pad in a hidden tab has no size yet: size it when it becomes visible.
    if (window.ResizeObserver) new ResizeObserver(function () { if (!drawn || kept) resize(); }).observe(canvas);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-signature-pad]").forEach(setup);
  });
})();
