// The nomination form saves its draft by itself as the nominator types (autosave.js; text only: files go with the
// button), and warns before the session ends from idleness. When the session has ended anyway, the server keeps the
// save for after the sign-in (awards/drafts.py) and this script says so, with a link to sign in again.
(function () {
  "use strict";
  var form = document.getElementById("nomination-form");
  if (!form || !form.hasAttribute("data-autosave")) {
    return;
  }
  var warning = document.getElementById("session-warning");
  var sessionSeconds = parseInt(form.getAttribute("data-session-seconds"), 10) || 7200;
  var WARN_BEFORE_MS = Math.min(5 * 60 * 1000, sessionSeconds * 250);
  var lastContact = Date.now();
  var autosave;

  // The CSRF cookie is the current secret even after a sign-in elsewhere rotated it; the form's copy may be old.
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : (form.querySelector("input[name=csrfmiddlewaretoken]") || {}).value;
  }

  function signedOut(body) {
    autosave.stopped = true;
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

  autosave = window.lstAutosave(form, {
    delay: 3000,
    // getAttribute: form.action would be the buttons named "action", not the address.
    url: form.getAttribute("action") || window.location.pathname,
    prepare: function (data) {
      data.delete("new_attachments");
      data.delete("action");
    },
    csrfToken: csrfToken,
    ignore: function (event) {
      return event.type === "change" && event.target && event.target.type === "file"; // files go with the button
    },
    saved: function () {
      lastContact = Date.now();
      hideWarning();
      form.dispatchEvent(new CustomEvent("draft-saved"));
    },
    refused: function (body) {
      if (body.signed_out) {
        signedOut(body);
        return true;
      }
      return false;
    },
    beforeSubmit: function () {
      var token = form.querySelector("input[name=csrfmiddlewaretoken]");
      if (token) {
        token.value = csrfToken();
      }
    },
  });

  // The warning before the session ends from idleness, with a button that renews it.
  function hideWarning() {
    if (!autosave.stopped) {
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
    if (autosave.stopped) {
      return;
    }
    var left = sessionSeconds * 1000 - (Date.now() - lastContact);
    if (left <= WARN_BEFORE_MS) {
      showWarning(Math.max(1, Math.ceil(left / 60000)));
    }
  }, 15000);
})();
