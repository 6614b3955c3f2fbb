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
