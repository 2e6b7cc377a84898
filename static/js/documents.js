/* Progressive enhancement for the document pages; each works without it.
   - An error summary is focused when the page opens, as the GOV.UK Design System does, so a
     screen reader reads what is wrong first and the keyboard starts there.
   - With scripts, htmx polls a build's progress, so the "check again" link is not needed. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) {
      summary.focus();
    }
  });
})();
