/* The voucher page's behaviours (desk and phone), in one file so the phone loads one script for them:
   check-in position, the bill preview, photos made smaller, scanning a part's label. */

/* Check-in: ask the phone for its position (when it allows) and submit with it; without one the
   check-in still goes through after a few seconds. */
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-checkin]").forEach(function (form) {
      var sent = false;
      form.addEventListener("submit", function (e) {
        if (sent || !navigator.geolocation) return;
        e.preventDefault();
        var go = function () { if (!sent) { sent = true; form.submit(); } };
        var timer = setTimeout(go, 8000);
        navigator.geolocation.getCurrentPosition(function (pos) {
          form.querySelector("[name=latitude]").value = pos.coords.latitude.toFixed(6);
          form.querySelector("[name=longitude]").value = pos.coords.longitude.toFixed(6);
          form.querySelector("[name=accuracy]").value = Math.round(pos.coords.accuracy);
          clearTimeout(timer); go();
        }, function () { clearTimeout(timer); go(); }, { enableHighAccuracy: true, timeout: 7000, maximumAge: 60000 });
      });
    });
  });
})();

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

/* Job photos: the phone's camera gives 4–12 MB pictures; before sending, draw them into a canvas at most
   1600 px on the long side and send a JPEG of a few hundred KB instead (the server re-encodes it anyway).
   Where the browser cannot (no canvas.toBlob or DataTransfer), the original is sent. */
(function () {
  var MAX = 1600;
  function shrink(file) {
    return new Promise(function (resolve) {
      if (!window.createImageBitmap || !HTMLCanvasElement.prototype.toBlob || !window.DataTransfer) return resolve(file);
      createImageBitmap(file).then(function (bitmap) {
        var scale = Math.min(1, MAX / Math.max(bitmap.width, bitmap.height));
        if (scale === 1 && file.size < 700000) return resolve(file);
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bitmap.width * scale); canvas.height = Math.round(bitmap.height * scale);
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) {
          resolve(blob ? new File([blob], (file.name || "photo").replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg" }) : file);
        }, "image/jpeg", 0.82);
      }).catch(function () { resolve(file); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-resize-photo]").forEach(function (form) {
      var input = form.querySelector("input[type=file]");
      input.addEventListener("change", function () {
        var file = input.files && input.files[0];
        if (!file) return;
        form.dataset.resizing = "1";
        shrink(file).then(function (smaller) {
          if (smaller !== file) { var dt = new DataTransfer(); dt.items.add(smaller); input.files = dt.files; }
          form.dataset.resizing = "";
          form.dataset.photoBytes = String(input.files[0].size);
        });
      });
      form.addEventListener("submit", function (e) { if (form.dataset.resizing) e.preventDefault(); });
    });
  });
})();

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
