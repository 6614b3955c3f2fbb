/* Scan a part's label into the part-code box: the phone's camera (getUserMedia) frames are decoded by the
   browser's own BarcodeDetector where it has one (QR, Code 128/39, EAN, Data Matrix), otherwise by the
   vendored jsQR (QR labels), loaded only when first needed. Without a live camera (WeChat's browser, an
   insecure page) the technician takes a picture of the label instead and it is decoded the same way.
   A label may hold the bare code ("BRG-6205") or "part:BRG-6205" inside any text or URL. */
(function () {
  var script = document.currentScript;
  var jsqrUrl = script && script.dataset.jsqr;
  var jsqrLoading = null;

  function loadJsQR() {
    if (window.jsQR) return Promise.resolve(window.jsQR);
    if (!jsqrLoading) {
      jsqrLoading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = jsqrUrl; s.onload = function () { resolve(window.jsQR); }; s.onerror = reject;
        document.head.appendChild(s);
      });
    }
    return jsqrLoading;
  }

  function codeFrom(text) {
    var m = /part[:=]([A-Za-z0-9._-]+)/i.exec(text || "");
    return (m ? m[1] : String(text || "")).trim().toUpperCase();
  }

  function detector() {
    if (!("BarcodeDetector" in window)) return null;
    try { return new window.BarcodeDetector({ formats: ["qr_code", "code_128", "code_39", "ean_13", "ean_8", "data_matrix"] }); }
    catch (e) { return null; }
  }

  function decode(canvas, ctx, native) {
    var viaJsQR = function () {
      return loadJsQR().then(function (jsQR) {
        var img = ctx.getImageData(0, 0, canvas.width, canvas.height);
        var found = jsQR(img.data, img.width, img.height, { inversionAttempts: "attemptBoth" });
        return found ? found.data : null;
      });
    };
    if (!native) return viaJsQR();
    return native.detect(canvas).then(function (codes) { return codes.length ? codes[0].rawValue : viaJsQR(); }, viaJsQR);
  }

  function setup(button) {
    var form = button.closest("form");
    var target = form.querySelector("[data-scan-target]");
    var panel = form.querySelector("[data-scan-panel]");
    var video = panel.querySelector("video");
    var status = panel.querySelector("[data-scan-status]");
    var photo = panel.querySelector("input[type=file]");
    var canvas = document.createElement("canvas");
    var ctx = canvas.getContext("2d", { willReadFrequently: true });
    var native = detector();
    var stream = null, timer = null, started = 0;

    function stop() {
      clearTimeout(timer); timer = null;
      if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
      stream = null; video.srcObject = null;
    }
    function found(text) {
      stop();
      target.value = codeFrom(text);
      target.dispatchEvent(new Event("input", { bubbles: true }));
      status.textContent = status.dataset.found + " " + target.value;
      panel.dataset.result = target.value;
      setTimeout(function () { panel.hidden = true; }, 600);
    }
    function tick() {
      if (!stream) return;
      if (video.readyState >= 2 && video.videoWidth) {
        canvas.width = video.videoWidth; canvas.height = video.videoHeight;
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        decode(canvas, ctx, native).then(function (text) {
          if (text) found(text);
          else if (Date.now() - started > 30000) { stop(); status.textContent = status.dataset.timeout; }
          else timer = setTimeout(tick, 250);
        });
      } else {
        timer = setTimeout(tick, 250);
      }
    }
    button.addEventListener("click", function () {
      panel.hidden = false; panel.dataset.result = "";
      status.textContent = status.dataset.looking;
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        status.textContent = status.dataset.nocamera; video.hidden = true; return;
      }
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
        stream = s; video.srcObject = s; video.hidden = false; started = Date.now();
        video.play().catch(function () {}); tick();
      }, function () { status.textContent = status.dataset.nocamera; video.hidden = true; });
    });
    panel.querySelector("[data-scan-cancel]").addEventListener("click", function () { stop(); panel.hidden = true; });
    photo.addEventListener("change", function () {
      var file = photo.files && photo.files[0];
      if (!file) return;
      createImageBitmap(file).then(function (bitmap) {
        var scale = Math.min(1, 1200 / Math.max(bitmap.width, bitmap.height));
        canvas.width = Math.round(bitmap.width * scale); canvas.height = Math.round(bitmap.height * scale);
        ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        return decode(canvas, ctx, native);
      }).then(function (text) { if (text) found(text); else status.textContent = status.dataset.unreadable; },
              function () { status.textContent = status.dataset.unreadable; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-scan]").forEach(setup);
  });
})();
