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
