// The nomination form saves its draft by itself as the nominator types (text only: files go with the button), and
// warns before the session ends from idleness. When the session has ended anyway, the server keeps the save for
// after the sign-in (awards/drafts.py) and this script says so, with a link to sign in again.
(function () {
  "use strict";
  var form = document.getElementById("nomination-form");
  if (!form || !form.hasAttribute("data-autosave")) {
    return;
  }
  var status = document.getElementById("autosave-status");
  var warning = document.getElementById("session-warning");
  var version = form.querySelector("input[name=version]");
  var sessionSeconds = parseInt(form.getAttribute("data-session-seconds"), 10) || 7200;
  var WARN_BEFORE_MS = Math.min(5 * 60 * 1000, sessionSeconds * 250);
  var DELAY_MS = 3000;
  var dirty = false;
  var stopped = false;
  var timer = null;
  var pending = null;
  var lastContact = Date.now();

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  // The CSRF cookie is the current secret even after a sign-in elsewhere rotated it; the form's copy may be old.
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : (form.querySelector("input[name=csrfmiddlewaretoken]") || {}).value;
  }

  function signedOut(body) {
    stopped = true;
    warning.hidden = false;
    warning.textContent = (body && body.message) || "";
    if (body && body.login_url) {
      var link = document.createElement("a");
      link.href = body.login_url;
      link.className = "ms-2";
      link.textContent = form.getAttribute("data-signin-text") || "";
      warning.appendChild(link);
    }
  }

  function autosave() {
    timer = null;
    if (!dirty || stopped || pending) {
      return;
    }
    var data = new FormData(form);
    data.delete("new_attachments");
    data.delete("action");
    dirty = false;
    // getAttribute: form.action would be the buttons named "action", not the address.
    pending = fetch(form.getAttribute("action") || window.location.pathname, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Autosave": "1", "X-CSRFToken": csrfToken() },
    })
      .then(function (response) {
        return response.json().then(function (body) {
          if (response.ok) {
            version.value = body.version;
            lastContact = Date.now();
            hideWarning();
            form.dispatchEvent(new CustomEvent("draft-saved"));
          } else if (body.signed_out) {
            signedOut(body);
          } else {
            // Changed elsewhere, or the period has ended: stop, and let the button show the details.
            stopped = true;
            dirty = true;
          }
          say(body.message || "");
        });
      })
      .catch(function () {
        dirty = true; // offline for a moment: try again with the next change
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

  form.addEventListener("input", function () { dirty = true; schedule(); });
  form.addEventListener("change", function (event) {
    if (event.target && event.target.type === "file") {
      return; // files are saved with the button only
    }
    dirty = true;
    schedule();
  });
  form.addEventListener("submit", function (event) {
    if (timer) {
      window.clearTimeout(timer);
      timer = null;
    }
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) {
      token.value = csrfToken();
    }
    if (pending) {
      // Let the automatic save finish first, so that the button's save carries the current version.
      event.preventDefault();
      var submitter = event.submitter;
      pending.then(function () { form.requestSubmit(submitter); });
      return;
    }
    stopped = true;
  });

  // The warning before the session ends from idleness, with a button that renews it.
  function hideWarning() {
    if (!stopped) {
      warning.hidden = true;
      warning.textContent = "";
    }
  }

  function showWarning(minutesLeft) {
    if (!warning.hidden) {
      return;
    }
    warning.hidden = false;
    warning.textContent = (form.getAttribute("data-warn-text") || "").replace("%(minutes)s", minutesLeft) + " ";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-outline-secondary";
    button.textContent = form.getAttribute("data-stay-text") || "OK";
    button.addEventListener("click", function () {
      fetch(form.getAttribute("data-ping-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.json().then(function (body) {
            if (response.ok) {
              lastContact = Date.now();
              warning.hidden = true;
              warning.textContent = "";
            } else {
              signedOut(body);
            }
          });
        });
    });
    warning.appendChild(button);
    button.focus();
  }

  window.setInterval(function () {
    if (stopped) {
      return;
    }
    var left = sessionSeconds * 1000 - (Date.now() - lastContact);
    if (left <= WARN_BEFORE_MS) {
      showWarning(Math.max(1, Math.ceil(left / 60000)));
    }
  }, 15000);
})();
