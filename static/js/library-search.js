// Search-as-you-type in the practice library: the search field becomes an ARIA combobox whose list shows the
// server's suggestions (GET data-suggest-url?partial=1&q=…, the same list the "Show suggestions" page shows
// without JavaScript). Arrow keys move in the list, Enter opens the chosen suggestion, Escape closes it.
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest-url]");
  if (!input || !window.fetch) { return; }
  var url = input.getAttribute("data-suggest-url");
  var list = document.createElement("ul");
  list.id = "library-suggestions";
  list.className = "list-group library-suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", input.labels && input.labels[0] ? input.labels[0].textContent.trim() : "");
  list.hidden = true;
  input.parentNode.appendChild(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  var active = -1;
  var timer = null;
  var latest = 0;

  function options() { return list.querySelectorAll("[role=option]"); }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    var items = options();
    items.forEach(function (item, i) {
      item.setAttribute("aria-selected", i === index ? "true" : "false");
      item.classList.toggle("active", i === index);
    });
    active = index;
    if (index >= 0 && items[index]) {
      input.setAttribute("aria-activedescendant", items[index].id);
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function show(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;  // our own escaped fragment from the same origin
    var links = holder.querySelectorAll("a");
    list.textContent = "";
    links.forEach(function (link, i) {
      var item = document.createElement("li");
      item.id = "library-suggestion-" + i;
      item.className = "list-group-item";
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.dataset.href = link.getAttribute("href");
      item.textContent = link.parentNode.textContent.trim();
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
        window.location.href = item.dataset.href;
      });
      list.appendChild(item);
    });
    if (links.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(-1);
    } else {
      close();
    }
  }

  function fetchSuggestions() {
    var text = input.value.trim();
    if (text.length < 2) { close(); return; }
    var request = ++latest;
    fetch(url + "?partial=1&q=" + encodeURIComponent(text), { headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) { if (request === latest) { show(html); } })
      .catch(function () { close(); });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(fetchSuggestions, 200);
  });
  input.addEventListener("keydown", function (event) {
    var items = options();
    if (list.hidden || !items.length) { return; }
    if (event.key === "ArrowDown") {
      event.preventDefault();
      highlight((active + 1) % items.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = items[active].dataset.href;
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", function () { window.setTimeout(close, 150); });
})();
