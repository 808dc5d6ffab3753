// Progressive enhancement of the nomination pages: a warning before leaving unsaved changes, character counts
// against each field's limit, and submit buttons that disable themselves after the first click (the server
// refuses a second submission anyway). Automatic saving of drafts is in static/js/draft-autosave.js.
(function () {
  "use strict";
  var form = document.getElementById("nomination-form");
  if (form) {
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    form.addEventListener("draft-saved", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) {
        event.preventDefault();
        event.returnValue = form.dataset.unsavedWarning || "";
        return event.returnValue;
      }
      return undefined;
    });
    setUpCounters(form);
  }

  // A visible count under each limited field; screen readers hear it a moment after typing stops, not per key.
  function setUpCounters(root) {
    var template = root.getAttribute("data-count-template") || "%(count)s / %(limit)s";
    var overTemplate = root.getAttribute("data-over-template") || template;
    root.querySelectorAll("[data-maxlength]").forEach(function (field) {
      var limit = parseInt(field.getAttribute("data-maxlength"), 10);
      var visible = document.createElement("p");
      visible.className = "form-text char-count mb-0";
      visible.setAttribute("aria-hidden", "true");
      var spoken = document.createElement("p");
      spoken.className = "visually-hidden";
      spoken.setAttribute("aria-live", "polite");
      field.insertAdjacentElement("afterend", spoken);
      field.insertAdjacentElement("afterend", visible);
      var timer = null;
      function text() {
        var count = field.value.length;
        var values = { count: count, limit: limit, over: count - limit };
        return (count > limit ? overTemplate : template).replace(/%\((\w+)\)s/g, function (m, key) {
          return values[key];
        });
      }
      function update() {
        visible.textContent = text();
        visible.classList.toggle("over", field.value.length > limit);
        window.clearTimeout(timer);
        timer = window.setTimeout(function () { spoken.textContent = text(); }, 1200);
      }
      field.addEventListener("input", update);
      visible.textContent = text();
      visible.classList.toggle("over", field.value.length > limit);
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
