// Scoring form: show the abstention reason only when abstaining, and warn before leaving with unsaved changes.
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
  if (abstain) {
    abstain.addEventListener("change", toggleReason);
    toggleReason();
  }
  var dirty = false;
  form.addEventListener("input", function () {
    dirty = true;
  });
  form.addEventListener("change", function () {
    dirty = true;
  });
  form.addEventListener("submit", function () {
    dirty = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = form.getAttribute("data-unsaved-warning") || "";
    }
  });
})();
