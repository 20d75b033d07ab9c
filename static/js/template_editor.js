// Template editor tables (templates/indicators/includes/editor_lines.html): move lines up and
// down, change their level, remove them and add new ones. The order on screen is the order
// saved: after every change the lines are renumbered (field names prefix-N-field, the visible
// line number and TOTAL_FORMS), so "dòng 7" in a message is the 7th line on screen.
// Also asks before submitting a form[data-confirm].
(function () {
  "use strict";

  function lines(editor) {
    return Array.from(editor.querySelectorAll("tbody > tr[data-line]"));
  }

  function renumber(editor) {
    var prefix = editor.dataset.prefix;
    var pattern = new RegExp("^(id_)?" + prefix.replace(/[-]/g, "\\-") + "-(\\d+|__prefix__)-");
    var rows = lines(editor);
    rows.forEach(function (row, index) {
      row.querySelectorAll("[name], [id], label[for]").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value && pattern.test(value)) {
            el.setAttribute(attr, value.replace(pattern, function (_m, id) {
              return (id || "") + prefix + "-" + index + "-";
            }));
          }
        });
      });
      var number = row.querySelector("[data-line-number]");
      if (number) { number.textContent = String(index + 1); }
    });
    editor.querySelector("input[name='" + prefix + "-TOTAL_FORMS']").value = String(rows.length);
  }

  function levelInput(row) { return row.querySelector("input[data-level]"); }

  function showLevel(row) {
    var level = levelInput(row);
    var main = row.querySelector("[data-main] input, [data-main] textarea");
    if (!level || !main) { return; }
    var n = Math.max(1, parseInt(level.value, 10) || 1);
    main.style.marginLeft = (n - 1) * 1.25 + "rem";
    main.style.width = "calc(100% - " + (n - 1) * 1.25 + "rem)";
  }

  function setLevel(row, delta) {
    var level = levelInput(row);
    if (!level) { return; }
    var max = parseInt(level.getAttribute("max"), 10) || 9;
    var n = (parseInt(level.value, 10) || 1) + delta;
    level.value = String(Math.min(max, Math.max(1, n)));
    showLevel(row);
  }

  function addLine(editor) {
    var template = editor.querySelector("template[data-empty-line]");
    var row = template.content.querySelector("tr").cloneNode(true);
    var rows = lines(editor);
    var last = rows[rows.length - 1];
    editor.querySelector("tbody").appendChild(row);
    // A new line starts at the level of the line above it.
    if (last && levelInput(last) && levelInput(row)) {
      levelInput(row).value = levelInput(last).value || "1";
    } else if (levelInput(row) && !levelInput(row).value) {
      levelInput(row).value = "1";
    }
    renumber(editor);
    showLevel(row);
    var first = row.querySelector("input:not([type=hidden]):not([type=checkbox]), textarea");
    if (first) { first.focus(); }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-editor] [data-action]");
    if (!button) { return; }
    var editor = button.closest("[data-editor]");
    var row = button.closest("tr[data-line]");
    var action = button.dataset.action;
    if (action === "add") {
      addLine(editor);
      return;
    }
    if (action === "up" && row.previousElementSibling) {
      row.parentNode.insertBefore(row, row.previousElementSibling);
    } else if (action === "down" && row.nextElementSibling) {
      row.parentNode.insertBefore(row.nextElementSibling, row);
    } else if (action === "outdent" || action === "indent") {
      setLevel(row, action === "indent" ? 1 : -1);
    } else if (action === "remove") {
      var next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      renumber(editor);
      if (next) { (next.querySelector("[data-action=remove]") || next).focus(); }
      return;
    }
    renumber(editor);
    button.focus();
  });

  document.addEventListener("input", function (event) {
    if (event.target.matches("[data-editor] input[data-level]")) {
      showLevel(event.target.closest("tr"));
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  document.querySelectorAll("[data-editor] tbody > tr[data-line]").forEach(showLevel);
})();
