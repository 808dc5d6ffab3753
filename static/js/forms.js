// Every form of the site: after a failed submit the page comes back with errors; focus goes to the error summary
// if the page has one, else to the first field marked invalid, so that keyboard and screen-reader users start
// where the correction is needed.
(function () {
  "use strict";
  var main = document.getElementById("main");
  if (!main) {
    return;
  }
  var summary = main.querySelector(".error-summary");
  var field = main.querySelector("[aria-invalid=true], .is-invalid");
  var target = summary || field;
  if (!target) {
    return;
  }
  if (!target.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(target.tagName)) {
    target.setAttribute("tabindex", "-1");
  }
  target.focus();
  if (target.scrollIntoView) {
    target.scrollIntoView({ block: "center" });
  }
})();
