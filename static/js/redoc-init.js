// Starts ReDoc on templates/api/redoc.html. A file rather than an inline script, which the
// Content-Security-Policy refuses; the nonce this script tag carries goes to ReDoc, which
// puts it on the <style> elements it writes.
(function () {
  "use strict";
  var container = document.getElementById("redoc-container");
  var options = container.dataset.settings ? JSON.parse(container.dataset.settings) : {};
  options.nonce = document.currentScript.nonce;
  window.Redoc.init(container.dataset.schemaUrl, options, container);
})();
