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

/* The header's "Menu" button (templates/base.html): on phones the navigation and the language
   switcher fold behind it, so the page starts near the top of the screen. Without this script
   the button stays hidden and the menu open; the CSS folds the menu only below 48em, so on a
   wide screen it shows whatever the button's state. */
(function () {
  "use strict";
  var toggle = document.querySelector(".menu-toggle[aria-controls]");
  var header = toggle && toggle.closest(".site-header");
  var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (!toggle || !header || !menu) {
    return;
  }
  function setOpen(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("is-folded", !open);
  }
  header.classList.add("has-menu-toggle");
  setOpen(false);
  toggle.addEventListener("click", function () {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  // Escape closes an open menu and gives the focus back to its button.
  menu.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true"
        && window.getComputedStyle(toggle).display !== "none") {
      setOpen(false);
      toggle.focus();
    }
  });
})();

/* Type-ahead filter of a list (the States list's "Find a State"): an input with
   data-filter-rows="<selector>" hides, as one types, the elements that selector finds whose
   data-filter-text (else text) does not contain what was typed, ignoring case and accents.
   data-filter-status="<selector>" names a live region told how many are shown, through its
   data-template ("... %(count)s"). Without this script the input is sent with its form. */
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  document.querySelectorAll("input[data-filter-rows]").forEach(function (input) {
    var rows = Array.from(document.querySelectorAll(input.getAttribute("data-filter-rows")));
    var status = input.hasAttribute("data-filter-status")
      ? document.querySelector(input.getAttribute("data-filter-status")) : null;
    var texts = rows.map(function (row) {
      return fold(row.getAttribute("data-filter-text") || row.textContent);
    });
    var timer = null;
    function apply() {
      var wanted = fold(input.value);
      var shown = 0;
      rows.forEach(function (row, index) {
        var match = texts[index].indexOf(wanted) !== -1;
        row.hidden = !match;
        if (match) {
          shown += 1;
        }
      });
      if (status) {
        // Announced after a pause in typing, so a screen reader is not told every keystroke.
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          status.textContent = wanted
            ? (status.getAttribute("data-template") || "%(count)s").replace("%(count)s", String(shown))
            : "";
        }, 400);
      }
    }
    input.addEventListener("input", apply);
    if (input.value) {
      apply();
    }
  });
})();

/* Forms (templates/forms/, core/forms.py); every form works without this script.
   - An error summary ([data-focus-on-load]) takes the focus when the page opens, as the GOV.UK
     Design System does, so a screen reader reads what is wrong first.
   - A select with data-filter-select="<label>" gets a search box above it, so labelled, that
     hides the options not matching every word typed (a number matches as a whole word:
     "8" finds Recommendation 8, not 18); groups left empty are hidden too.
   - A field group with data-show-when="name=value" shows only while the form's field `name`
     has that value (the server ignores the field otherwise). */
(function () {
  "use strict";
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) {
    summary.focus();
  }

  function normalise(text) {
    return text.toLocaleLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function matches(text, terms) {
    return terms.every(function (term) {
      if (/^\d+$/.test(term)) {
        return new RegExp("(^|\\D)" + term + "(\\D|$)").test(text);
      }
      return text.indexOf(term) !== -1;
    });
  }

  var counter = 0;
  document.querySelectorAll("select[data-filter-select]").forEach(function (select) {
    counter += 1;
    var box = document.createElement("div");
    box.className = "select-filter";
    var label = document.createElement("label");
    var input = document.createElement("input");
    input.type = "search";
    input.id = (select.id || "select-" + counter) + "-filter";
    input.autocomplete = "off";
    input.setAttribute("aria-controls", select.id);
    label.htmlFor = input.id;
    label.textContent = select.getAttribute("data-filter-select");
    box.appendChild(label);
    box.appendChild(input);
    select.parentNode.insertBefore(box, select);
    var options = Array.prototype.map.call(select.options, function (option) {
      return { option: option, text: normalise(option.textContent) };
    });
    input.addEventListener("input", function () {
      var terms = normalise(input.value).split(/\s+/).filter(Boolean);
      options.forEach(function (entry) {
        // The empty choice and the chosen one always stay, so the select never changes by itself.
        var keep = !entry.option.value || entry.option.selected || matches(entry.text, terms);
        entry.option.hidden = !keep;
        entry.option.disabled = !keep;
      });
      select.querySelectorAll("optgroup").forEach(function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
    });
    // Enter in the search box would submit the form; it goes to the select instead.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        select.focus();
      }
    });
  });

  document.querySelectorAll("[data-show-when]").forEach(function (group) {
    var condition = group.getAttribute("data-show-when").split("=");
    var form = group.closest("form");
    var controls = form ? form.querySelectorAll('[name="' + condition[0] + '"]') : [];
    if (!controls.length) {
      return;
    }
    function update() {
      var value = "";
      controls.forEach(function (control) {
        if ((control.type !== "radio" && control.type !== "checkbox") || control.checked) {
          value = control.value;
        }
      });
      group.hidden = value !== condition[1];
    }
    controls.forEach(function (control) {
      control.addEventListener("change", update);
    });
    update();
  });
})();

/* Bulk entry's check step (reporting/bulk_entry_check.html): the primary button says how many
   reports it will record, so it follows the "include" boxes as they are ticked and unticked.
   Its words for every count come from the page (#bulk-record-labels), already translated with
   the right plural; without the script the button keeps the count the page was drawn with. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-bulk-rows]");
  var labels = document.getElementById("bulk-record-labels");
  if (!form || !labels) {
    return;
  }
  var words = JSON.parse(labels.textContent);
  var button = form.querySelector("[data-bulk-record]");
  var boxes = form.querySelectorAll('input[type="checkbox"][name$="-include"]');
  function update() {
    var ticked = 0;
    boxes.forEach(function (box) {
      if (box.checked) {
        ticked += 1;
      }
    });
    if (button && words[ticked] !== undefined) {
      button.textContent = words[ticked];
    }
  }
  boxes.forEach(function (box) {
    box.addEventListener("change", update);
  });
})();
