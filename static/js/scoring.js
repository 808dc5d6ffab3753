// Scoring form: saves the draft automatically as the juror goes, shows the abstention reason only when abstaining,
// and warns before leaving with unsaved changes. Without JavaScript the "Save draft" button does the same.
(function () {
  "use strict";
  var form = document.getElementById("review-form");
  if (!form) {
    return;
  }
  var abstain = form.querySelector("input[name=abstain]");
  var reason = form.querySelector("#div_id_abstain_reason");
  var status = document.getElementById("autosave-status");
  var version = form.querySelector("input[name=version]");
  var editable = !!form.querySelector("input[name=save]");
  var dirty = false;
  var stopped = false;
  var timer = null;
  var pending = null;
  var DELAY_MS = 2500;

  function toggleReason() {
    if (abstain && reason) {
      reason.hidden = !abstain.checked;
    }
  }

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function autosave() {
    timer = null;
    if (!dirty || stopped || pending) {
      return;
    }
    var data = new FormData(form);
    data.append("save", "1");
    dirty = false;
    pending = fetch(form.action || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Autosave": "1", "X-CSRFToken": data.get("csrfmiddlewaretoken") || "" },
    })
      .then(function (response) {
        return response.json().then(function (body) {
          if (response.ok) {
            version.value = body.version;
          } else {
            // A change elsewhere or invalid input: stop and let the juror save with the button.
            stopped = true;
            dirty = true;
          }
          say(body.message || "");
        });
      })
      .catch(function () {
        dirty = true;
      })
      .finally(function () {
        pending = null;
        if (dirty && !stopped) {
          schedule();
        }
      });
  }

  function schedule() {
    if (timer) {
      window.clearTimeout(timer);
    }
    timer = window.setTimeout(autosave, DELAY_MS);
  }

  function changed() {
    dirty = true;
    if (editable) {
      schedule();
    }
  }

  if (abstain) {
    abstain.addEventListener("change", toggleReason);
    toggleReason();
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (event) {
    if (timer) {
      window.clearTimeout(timer);
      timer = null;
    }
    if (pending) {
      // Let the automatic save finish first, so the button's save carries the current version.
      event.preventDefault();
      var submitter = event.submitter;
      pending.then(function () {
        dirty = false;
        form.requestSubmit(submitter);
      });
      return;
    }
    dirty = false;
    stopped = true;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = form.getAttribute("data-unsaved-warning") || "";
    }
  });
})();
