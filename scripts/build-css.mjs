// Builds static/css/bootstrap.subset.css: only the rules of Bootstrap that the templates, the form layouts and
// the scripts use (PurgeCSS, pinned in package-lock.json). Run it after adding classes: `make css`.
// The full vendored Bootstrap stays in static/vendor/bootstrap/ as the source.
import { readFileSync, writeFileSync } from "node:fs";
import { PurgeCSS } from "purgecss";

const source = "static/vendor/bootstrap/bootstrap.min.css";
const target = "static/css/bootstrap.subset.css";
const version = readFileSync("static/vendor/bootstrap/VERSION", "utf8").trim();

const [result] = await new PurgeCSS().purge({
  css: [source],
  content: [
    "templates/**/*.html",
    "static/js/**/*.js",
    // Classes named in Python: crispy layouts (css_class=...), form widgets' attrs, messages' tags.
    "accounts/**/*.py",
    "awards/**/*.py",
    "config/**/*.py",
    "library/**/*.py",
    "practices/**/*.py",
    // The form templates crispy-bootstrap5 renders every field with.
    ".venv/lib/python3*/site-packages/crispy_bootstrap5/templates/**/*.html",
  ],
  // crispy's layouts the site never uses would bring their components in.
  skippedContentGlobs: ["**/accordion*.html", "**/layout/modal.html", "**/layout/tab*.html", "**/layout/alert.html"],
  // Classes Bootstrap's script adds at run time (the menu's collapse and the staff dropdown), and the alert
  // colours built from message tags.
  safelist: {
    standard: [/^alert-/, "show", "showing", "hiding", "collapsing", "fade", "active", "disabled", /^dropdown-menu/],
  },
  variables: true,
  keyframes: true,
  fontFace: true,
});

// No source map comment: the subset has no map of its own, and the manifest storage would look for one.
const css = result.css.replace(/\/\*# sourceMappingURL=.*?\*\//g, "").trim();
const banner = `/* Bootstrap ${version.replace(/^Bootstrap /, "").split(" ")[0]} (MIT), only the rules this site uses: built by scripts/build-css.mjs (make css). */\n`;
writeFileSync(target, banner + css + "\n");
console.log(`${target}: ${css.length} bytes (from ${readFileSync(source).length})`);
