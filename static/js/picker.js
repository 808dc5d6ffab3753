// Searchable checkbox lists (municipalities, counties, organisations): a filter box above each list, the count of
// shown and chosen options, and the chosen ones named. Without JavaScript the plain checkbox list works as it is.
(function () {
  "use strict";
  var texts = document.getElementById("picker-texts");
  if (!texts) {
    return;
  }
  var FILTER = texts.getAttribute("data-filter") || "Filter";
  var COUNT = texts.getAttribute("data-count") || "%(shown)s / %(total)s";
  var CHOSEN = texts.getAttribute("data-chosen") || "%(names)s";
  var NONE = texts.getAttribute("data-none") || "";
  var KEYS = texts.getAttribute("data-keys") || "";

  function fold(text) {
    return text.toLocaleLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, key) {
      return values[key] === undefined ? match : values[key];
    });
  }

  document.querySelectorAll(".picker").forEach(function (picker, index) {
    var list = picker.querySelector(".choices");
    if (!list) {
      return;
    }
    var options = Array.prototype.slice.call(list.querySelectorAll(".form-check"));
    var id = "picker-filter-" + index;
    var tools = document.createElement("div");
    tools.className = "picker-tools";
    var label = document.createElement("label");
    label.className = "form-label small mb-1";
    label.htmlFor = id;
    label.textContent = FILTER;
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.className = "form-control form-control-sm";
    input.autocomplete = "off";
    var status = document.createElement("p");
    status.className = "form-text mb-1";
    status.id = id + "-status";
    status.setAttribute("aria-live", "polite");
    var chosen = document.createElement("p");
    chosen.className = "picker-chosen small mb-1";
    var keys = document.createElement("p");
    keys.className = "form-text mb-1";
    keys.id = id + "-keys";
    keys.textContent = KEYS;
    input.setAttribute("aria-describedby", status.id + " " + keys.id);
    tools.appendChild(label);
    tools.appendChild(input);
    tools.appendChild(keys);
    tools.appendChild(status);
    tools.appendChild(chosen);
    list.parentNode.insertBefore(tools, list);

    function update() {
      var query = fold(input.value.trim());
      var shown = 0;
      var names = [];
      options.forEach(function (option) {
        var text = option.textContent.trim();
        var box = option.querySelector("input");
        var match = !query || fold(text).indexOf(query) !== -1;
        // A chosen option stays visible, so that it can be unchosen while filtering.
        option.hidden = !(match || (box && box.checked));
        if (!option.hidden) {
          shown += 1;
        }
        if (box && box.checked) {
          names.push(text);
        }
      });
      status.textContent = format(COUNT, { shown: shown, total: options.length, chosen: names.length });
      chosen.textContent = names.length ? format(CHOSEN, { names: names.join(", ") }) : NONE;
    }

    // One tab stop per list (roving tabindex): Tab passes a list of 300 municipalities at once, the arrow keys
    // move inside it and Space chooses, as in a list box.
    function boxes() {
      return options.filter(function (option) { return !option.hidden; }).map(function (option) {
        return option.querySelector("input");
      });
    }
    function rove(active) {
      var visibleBoxes = boxes();
      var current = active || visibleBoxes.filter(function (box) { return box.tabIndex === 0; })[0] || visibleBoxes[0];
      options.forEach(function (option) { option.querySelector("input").tabIndex = -1; });
      if (current) {
        current.tabIndex = 0;
      }
    }
    list.addEventListener("keydown", function (event) {
      var visibleBoxes = boxes();
      var at = visibleBoxes.indexOf(document.activeElement);
      if (at === -1) {
        return;
      }
      var next = { ArrowDown: at + 1, ArrowRight: at + 1, ArrowUp: at - 1, ArrowLeft: at - 1, Home: 0,
        End: visibleBoxes.length - 1 }[event.key];
      if (next === undefined) {
        return;
      }
      event.preventDefault();
      var target = visibleBoxes[Math.max(0, Math.min(visibleBoxes.length - 1, next))];
      rove(target);
      target.focus();
    });
    list.addEventListener("focusin", function (event) {
      if (event.target.tagName === "INPUT") {
        rove(event.target);
      }
    });

    input.addEventListener("input", function () {
      update();
      rove();
    });
    // Enter in the filter box must not submit the whole nomination form.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        var query = fold(input.value.trim());
        var first = options.filter(function (option) {
          return !option.hidden && (!query || fold(option.textContent.trim()).indexOf(query) !== -1);
        })[0];
        if (first) {
          rove(first.querySelector("input"));
          first.querySelector("input").focus();
        }
      }
    });
    list.addEventListener("change", update);
    update();
    rove();
  });
})();
