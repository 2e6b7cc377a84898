/* Progressive enhancement only: every page works without this file.
   - Filter forms driven by htmx send only the fields that hold a value, so the address that
     htmx pushes into the history stays short and shareable (?theme=technology, not ?q=&theme=...).
   - Before printing, closed <details> are opened so that their tables are printed too. */
(function () {
  "use strict";
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.verb !== "get") {
      return;
    }
    var parameters = event.detail.parameters;
    var empty = [];
    var names = typeof parameters.keys === "function" ? Array.from(parameters.keys()) : Object.keys(parameters);
    names.forEach(function (name) {
      var value = typeof parameters.get === "function" ? parameters.get(name) : parameters[name];
      if (value === "" || value === null || value === undefined) {
        empty.push(name);
      }
    });
    empty.forEach(function (name) {
      if (typeof parameters.delete === "function") {
        parameters.delete(name);
      } else {
        delete parameters[name];
      }
    });
  });

  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (element) {
      element.setAttribute("open", "");
      opened.push(element);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (element) {
      element.removeAttribute("open");
    });
    opened = [];
  });
})();
