// Progressive enhancement of the nomination pages: a warning before leaving unsaved changes, and submit
// buttons that disable themselves after the first click (the server refuses a second submission anyway).
(function () {
  "use strict";
  var form = document.getElementById("nomination-form");
  if (form) {
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) {
        event.preventDefault();
        event.returnValue = form.dataset.unsavedWarning || "";
        return event.returnValue;
      }
      return undefined;
    });
  }
  document.querySelectorAll("form").forEach(function (f) {
    f.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (button && button.hasAttribute("data-once")) {
        if (button.dataset.clicked) { event.preventDefault(); return; }
        button.dataset.clicked = "1";
        // Keep the button's name/value in the request: disable only after the browser has read it.
        window.setTimeout(function () { button.disabled = true; }, 0);
      }
    });
  });
})();
