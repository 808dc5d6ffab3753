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
    input.setAttribute("aria-describedby", status.id);
    tools.appendChild(label);
    tools.appendChild(input);
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

    input.addEventListener("input", update);
    // Enter in the filter box must not submit the whole nomination form.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        var query = fold(input.value.trim());
        var first = options.filter(function (option) {
          return !option.hidden && (!query || fold(option.textContent.trim()).indexOf(query) !== -1);
        })[0];
        if (first) {
          first.querySelector("input").focus();
        }
      }
    });
    list.addEventListener("change", update);
    update();
  });
})();
