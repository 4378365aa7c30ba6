/* Accessibility repairs to the theme's markup, run once the page is parsed.
 *
 * Found by axe-core (tests/test_browser.py); each fix makes what a screen reader announces match what a
 * sighted reader sees (WCAG 2.5.3 "label in name"), or gives a list its proper list items.
 */
(function () {
  function repair() {
    // The search buttons say "Search Ctrl+K" but were labelled only "Search": let the visible text be the name.
    document.querySelectorAll(".search-button-field[aria-label]").forEach(function (button) {
      button.removeAttribute("aria-label");
    });
    // The colour-mode button shows icons whose titles ("Light", "Dark") are not its label: hide the decorative
    // icons from assistive technology and keep the button's own label.
    document.querySelectorAll(".theme-switch-button .theme-switch, .theme-switch-button svg").forEach(function (icon) {
      icon.setAttribute("aria-hidden", "true");
      icon.removeAttribute("title");
    });
    // Hidden code cells show "Show code cell source" but were labelled "Toggle hidden content": use the text.
    document.querySelectorAll("details > summary[aria-label]").forEach(function (summary) {
      if (summary.textContent.trim()) summary.removeAttribute("aria-label");
    });
    // Bibliography entries use the deprecated role doc-biblioentry inside role="list": make them list items.
    document.querySelectorAll('[role="doc-biblioentry"]').forEach(function (entry) {
      entry.setAttribute("role", "listitem");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", repair);
  } else {
    repair();
  }
})();
