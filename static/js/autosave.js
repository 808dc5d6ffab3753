// A form that saves its draft by itself, shared by the scoring form (scoring.js) and the nomination form
// (draft-autosave.js): a save a few seconds after the last change, one at a time, tried again after a network
// failure, stopped for good when the server refuses it (changed elsewhere, or the period has ended: the button then
// shows the details). A press of one of the form's buttons waits for a save in flight, so that the button's save
// carries the current version. Returns the shared state ({dirty, stopped}) for the page's own script.
window.lstAutosave = function (form, options) {
  "use strict";
  var status = document.getElementById("autosave-status");
  var version = form.querySelector("input[name=version]");
  var editable = options.editable !== false;
  var state = { dirty: false, stopped: false };
  var timer = null;
  var pending = null;

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function autosave() {
    timer = null;
    if (!state.dirty || state.stopped || pending) {
      return;
    }
    var data = new FormData(form);
    options.prepare(data);
    state.dirty = false;
    pending = fetch(options.url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Autosave": "1", "X-CSRFToken": options.csrfToken(data) },
    })
      .then(function (response) {
        return response.json().then(function (body) {
          if (response.ok) {
            version.value = body.version;
            if (options.saved) {
              options.saved(body);
            }
          } else if (!(options.refused && options.refused(body))) {
            state.stopped = true;
            state.dirty = true;
          }
          say(body.message || "");
        });
      })
      .catch(function () {
        state.dirty = true; // offline for a moment: try again with the next change
      })
      .finally(function () {
        pending = null;
        if (state.dirty && !state.stopped) {
          schedule();
        }
      });
  }

  function schedule() {
    if (timer) {
      window.clearTimeout(timer);
    }
    timer = window.setTimeout(autosave, options.delay);
  }

  function changed(event) {
    if (options.ignore && options.ignore(event)) {
      return;
    }
    state.dirty = true;
    if (editable) {
      schedule();
    }
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (event) {
    if (timer) {
      window.clearTimeout(timer);
      timer = null;
    }
    if (options.beforeSubmit) {
      options.beforeSubmit();
    }
    if (pending) {
      event.preventDefault();
      var submitter = event.submitter;
      pending.then(function () {
        state.dirty = false;
        form.requestSubmit(submitter);
      });
      return;
    }
    state.dirty = false;
    state.stopped = true;
  });
  return state;
};
