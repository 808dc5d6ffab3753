// Scoring form: saves the draft automatically as the juror goes (autosave.js), shows the abstention reason only when
// abstaining, and warns before leaving with unsaved changes. Without JavaScript the "Save draft" button does the same.
(function () {
  "use strict";
  var form = document.getElementById("review-form");
  if (!form) {
    return;
  }
  var abstain = form.querySelector("input[name=abstain]");
  var reason = form.querySelector("#div_id_abstain_reason");

  function toggleReason() {
    if (abstain && reason) {
      reason.hidden = !abstain.checked;
    }
  }

  var autosave = window.lstAutosave(form, {
    delay: 2500,
    url: form.action || window.location.href,
    editable: !!form.querySelector("input[name=save]"),
    prepare: function (data) {
      data.append("save", "1");
    },
    csrfToken: function (data) {
      return data.get("csrfmiddlewaretoken") || "";
    },
  });

  if (abstain) {
    abstain.addEventListener("change", toggleReason);
    toggleReason();
  }
  window.addEventListener("beforeunload", function (event) {
    if (autosave.dirty) {
      event.preventDefault();
      event.returnValue = form.getAttribute("data-unsaved-warning") || "";
    }
  });
})();
