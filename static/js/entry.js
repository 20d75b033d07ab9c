// Entry forms (templates/indicators/includes/indicator_form.html and table_formset.html), used
// by the template preview and the report entry page:
// - "không áp dụng (/)" ticked disables the value input of its row;
// - repeating-row tables: add a row from the formset's empty form, move rows up and down
//   (the hidden ORDER fields follow the order on screen), remove rows (the hidden DELETE field);
//   a numbered STT column is renumbered, and "entry:rows-changed" tells autosave.js to save;
// - a live "Tổng cộng" row for whole-number and decimal columns, reading Vietnamese numbers:
//   "2.986.670" (dots group thousands), "74,72" (comma is the decimal mark);
// - keyboard-first entry (as in DHIS2 and Excel): Tab / Shift+Tab go from value to value in
//   printed order, Enter goes to the value below, and arriving in a value (by those keys, a
//   click or a check's link) selects it, so typing replaces it; F2 or a second click edits in
//   place. "/" in an empty value ticks "không áp dụng" (and again on the ticked box unticks it),
//   Esc puts back the saved value, or, with nothing to put back, returns to the check list
//   message that led here;
// - pasting a block copied from Excel or LibreOffice (tab- and newline-separated text) fills
//   the values down (and across, in tables, adding rows as needed); "entry:block" tells
//   autosave.js to save it at once, whole or not at all (the server parses every cell), and
//   Ctrl+Z puts back what the block replaced.
(function () {
  "use strict";

  // --- không áp dụng ---------------------------------------------------------------------
  function applyNotApplicable(box) {
    var row = box.closest("tr");
    var input = row && row.querySelector("[data-type]");
    if (input) { input.disabled = box.checked; }
  }

  // --- Vietnamese numbers ----------------------------------------------------------------
  var NUMBER = /^(-?)(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?$/;

  function parseNumber(text) {
    var cleaned = (text || "").replace(/[\s\u00a0\u202f]/g, "").replace("\u2212", "-");
    var match = NUMBER.exec(cleaned);
    if (!match) { return null; }
    return { negative: match[1] === "-", digits: match[2].replace(/\./g, ""), fraction: match[3] || "" };
  }

  function groupThousands(digits) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  // Exact sum (BigInt on scaled values), so 74,72 + 0,1 shows 74,82 and never 74,82000000001.
  function sumNumbers(numbers) {
    var scale = numbers.reduce(function (max, n) { return Math.max(max, n.fraction.length); }, 0);
    var total = numbers.reduce(function (sum, n) {
      var scaled = BigInt(n.digits + n.fraction.padEnd(scale, "0"));
      return sum + (n.negative ? -scaled : scaled);
    }, BigInt(0));
    var negative = total < 0;
    var text = (negative ? -total : total).toString().padStart(scale + 1, "0");
    var whole = text.slice(0, text.length - scale);
    var fraction = scale ? text.slice(text.length - scale).replace(/0+$/, "") : "";
    return (negative ? "-" : "") + groupThousands(whole) + (fraction ? "," + fraction : "");
  }

  // --- repeating-row tables --------------------------------------------------------------
  function visibleRows(formset) {
    return Array.from(formset.querySelectorAll("tbody[data-rows] > tr[data-row]"))
      .filter(function (row) { return !row.classList.contains("d-none"); });
  }

  function renumberOrder(formset) {
    visibleRows(formset).forEach(function (row, index) {
      var order = row.querySelector("[data-order]");
      if (order) { order.value = String(index + 1); }
    });
  }

  // The STT column, when it holds plain serial numbers, follows the rows on screen (1, 2, 3…),
  // as the server renumbers it on save (reports.services.compose._renumbered).
  var SERIAL = /^[0-9]+\.?$/;

  function renumberSerials(formset) {
    var rows = visibleRows(formset);
    var byColumn = {};
    rows.forEach(function (row) {
      row.querySelectorAll("[data-ordinal]").forEach(function (input) {
        var code = input.name.replace(/^.*-/, "");
        (byColumn[code] = byColumn[code] || []).push(input);
      });
    });
    Object.keys(byColumn).forEach(function (code) {
      var inputs = byColumn[code];
      var texts = inputs.map(function (input) { return input.value.trim(); });
      var numbered = texts.some(Boolean) && texts.every(function (t) { return !t || SERIAL.test(t); });
      if (!numbered) { return; }
      inputs.forEach(function (input, index) { input.value = String(index + 1); });
    });
  }

  function rowsChanged(formset) {
    renumberOrder(formset);
    renumberSerials(formset);
    formset.dispatchEvent(new CustomEvent("entry:rows-changed", { bubbles: true }));
  }

  function updateTotals(formset) {
    var prefix = formset.dataset.formset;
    formset.querySelectorAll("[data-total]").forEach(function (cell) {
      var code = cell.dataset.total;
      var pattern = new RegExp("^" + prefix.replace(/[-]/g, "\\-") + "-\\d+-" + code + "$");
      var numbers = [];
      visibleRows(formset).forEach(function (row) {
        row.querySelectorAll("input[name]").forEach(function (input) {
          if (pattern.test(input.name)) {
            var n = parseNumber(input.value);
            if (n) { numbers.push(n); }
          }
        });
      });
      cell.textContent = numbers.length ? sumNumbers(numbers) : "";
    });
  }

  function addRow(formset, focus) {
    var prefix = formset.dataset.formset;
    var total = formset.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var index = parseInt(total.value, 10) || 0;
    var template = formset.querySelector("template[data-empty-row]");
    var row = template.content.querySelector("tr").cloneNode(true);
    row.querySelectorAll("[name], [id], label[for]").forEach(function (el) {
      ["name", "id", "for"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.replace(/__prefix__/g, String(index))); }
      });
    });
    formset.querySelector("tbody[data-rows]").appendChild(row);
    total.value = String(index + 1);
    if (focus === false) { return row; }
    rowsChanged(formset);
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) { first.focus(); }
    return row;
  }

  function neighbour(row, direction) {
    var other = direction === "up" ? row.previousElementSibling : row.nextElementSibling;
    while (other && other.classList.contains("d-none")) {
      other = direction === "up" ? other.previousElementSibling : other.nextElementSibling;
    }
    return other;
  }

  document.addEventListener("click", function (event) {
    var formset = event.target.closest("[data-formset]");
    if (!formset) { return; }
    lastBlock = null;  // the table changed under the block: Ctrl+Z no longer restores it
    if (event.target.closest("[data-add-row]")) {
      addRow(formset);
    } else {
      var button = event.target.closest("[data-row-action]");
      if (!button) { return; }
      var row = button.closest("tr[data-row]");
      var action = button.dataset.rowAction;
      var other = neighbour(row, action === "up" ? "up" : "down");
      if (action === "up" && other) {
        row.parentNode.insertBefore(row, other);
      } else if (action === "down" && other) {
        row.parentNode.insertBefore(other, row);
      } else if (action === "remove") {
        var marker = row.querySelector("[data-delete]");
        if (marker) { marker.value = "on"; }
        row.classList.add("d-none");
        var focus = other || neighbour(row, "up");
        if (focus) { (focus.querySelector("[data-row-action=remove]") || focus).focus(); }
      }
      if (action !== "remove") { button.focus(); }
      rowsChanged(formset);
    }
    updateTotals(formset);
  });

  // --- keyboard ---------------------------------------------------------------------------
  // A row's stop is its value input, or its "không áp dụng" box while that disables the value.
  function stops(form) {
    return Array.from(form.querySelectorAll("[data-type]")).filter(function (input) {
      return !input.closest("template") && !input.closest("tr.d-none");
    }).map(function (input) {
      if (!input.disabled) { return input; }
      var row = input.closest("tr");
      return row && row.querySelector("[data-na-toggle]:not([disabled])");
    }).filter(Boolean);
  }

  // A value that holds typed text (not a box or a list): arriving in it selects its content.
  function isText(field) {
    return !!field && field.matches && field.matches("input[data-type], textarea[data-type]") &&
      field.type !== "checkbox";
  }

  function go(target) {
    if (!target) { return false; }
    target.focus();
    if (isText(target)) { target.select(); }
    return true;
  }

  // Enter: in a repeating-row table the same column one row down, else the next value.
  function below(form, field, list) {
    var row = field.closest("tr[data-row]");
    if (row && field.name) {
      var column = field.name.replace(/^.*-/, "");
      var next = row.nextElementSibling;
      while (next && next.classList.contains("d-none")) { next = next.nextElementSibling; }
      var cell = next && Array.from(next.querySelectorAll("[data-type]")).filter(function (input) {
        return input.name.replace(/^.*-/, "") === column;
      })[0];
      if (cell) { return cell; }
    }
    return list[list.indexOf(field) + 1];
  }

  function toggleNotApplicable(row, on) {
    var box = row && row.querySelector("[data-na-toggle]");
    if (!box || box.disabled) { return null; }
    box.checked = on;
    box.dispatchEvent(new Event("change", { bubbles: true }));
    return box;
  }

  document.addEventListener("keydown", function (event) {
    if (["Tab", "Enter", "/", "Escape", "F2", "z", "Z"].indexOf(event.key) === -1) { return; }
    var field = event.target;
    var form = field.closest && field.closest("form.entry-form, form[data-preview]");
    if (!form || event.altKey || event.isComposing) { return; }
    if ((event.key === "z" || event.key === "Z") && (event.ctrlKey || event.metaKey) && !event.shiftKey) {
      if (undoBlock(form)) { event.preventDefault(); }
      return;
    }
    if (event.ctrlKey || event.metaKey) { return; }
    if (event.key === "F2") {  // edit in place: the caret at the end, nothing selected
      if (isText(field)) {
        event.preventDefault();
        field.setSelectionRange(field.value.length, field.value.length);
      }
      return;
    }
    var list = stops(form);
    var index = list.indexOf(field);
    if (index === -1) { return; }
    var box = field.matches("[data-na-toggle]");
    if (event.key === "Tab") {
      if (go(list[index + (event.shiftKey ? -1 : 1)])) { event.preventDefault(); }
    } else if (event.key === "Enter" && !(field.tagName === "TEXTAREA" && event.shiftKey)) {
      event.preventDefault();  // never submits the form half-way through
      go(below(form, field, list));
    } else if (event.key === "/" && box) {
      event.preventDefault();
      toggleNotApplicable(field.closest("tr"), false);
      go(field.closest("tr").querySelector("[data-type]"));
    } else if (event.key === "/" && field.value === "" && field.type !== "checkbox" && field.tagName !== "SELECT") {
      var ticked = toggleNotApplicable(field.closest("tr"), true);
      if (ticked) { event.preventDefault(); ticked.focus(); }
    } else if (event.key === "Escape" && !box && field.type !== "checkbox") {
      var saved = field.getAttribute("data-saved");
      if (saved !== null && field.value !== saved) {
        event.preventDefault();
        field.value = saved;
        field.dispatchEvent(new Event("input", { bubbles: true }));
        if (isText(field)) { field.select(); }
      } else if (field.getAttribute("data-back")) {
        event.preventDefault();
        go(document.getElementById(field.getAttribute("data-back")));
      }
    }
  });

  // A click into a value selects it, as Tab does; a second click (already in it) places the
  // caret to edit in place.
  document.addEventListener("mousedown", function (event) {
    var field = event.target;
    if (event.button !== 0 || !isText(field) || field === document.activeElement) { return; }
    if (field.disabled || field.readOnly || !field.closest("form.entry-form, form[data-preview]")) { return; }
    event.preventDefault();
    go(field);
  });

  // Arriving in a value from elsewhere on the page (a check's link, "Chưa nhập", a script)
  // selects it too; coming back from another window does not, so a half-typed edit survives.
  document.addEventListener("focusin", function (event) {
    if (event.relatedTarget && isText(event.target) && event.target.closest("form.entry-form")) {
      event.target.select();
    }
  });

  // --- pasting a block -------------------------------------------------------------------
  // Excel and LibreOffice put a range on the clipboard as lines of tab-separated cells, a
  // cell holding a tab, a line break or a quote "quoted" with its quotes doubled.
  function parseGrid(text, quotes) {
    text = text.replace(/\r\n?/g, "\n").replace(/\n$/, "");
    var rows = [[]], cell = "", quoted = false;
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      if (quoted) {
        if (ch !== '"') { cell += ch; } else if (text[i + 1] === '"') { cell += '"'; i++; } else { quoted = false; }
      } else if (ch === '"' && quotes && cell === "") {
        quoted = true;
      } else if (ch === "\t" || ch === "\n") {
        rows[rows.length - 1].push(cell);
        cell = "";
        if (ch === "\n") { rows.push([]); }
      } else {
        cell += ch;
      }
    }
    if (quoted) { return parseGrid(text, false); }  // a lone quote was text, not quoting
    rows[rows.length - 1].push(cell);
    return rows;
  }

  // The inputs a pasted line fills, left to right: an indicator row's value and note, a table
  // row's cells.
  function lineInputs(row) {
    var selector = row.matches("tr[data-indicator]") ? "[data-type], input[name*='-note-']" : "[data-type]";
    return Array.from(row.querySelectorAll(selector)).filter(function (input) {
      return !input.matches("[data-na-toggle]");
    });
  }

  function rowsFrom(row) {
    var rows = [];
    for (var r = row; r; r = r.nextElementSibling) {
      if (r.matches("tr[data-indicator], tr[data-row]") && !r.classList.contains("d-none")) { rows.push(r); }
    }
    return rows;
  }

  // What a cell holds before the paste, to put it back (Ctrl+Z).
  function remember(input) {
    var box = input.matches("[data-type]") && input.closest("tr").querySelector("[data-na-toggle]");
    return { input: input, value: input.value, checked: input.checked, box: box || null, na: box ? box.checked : false };
  }

  function setCell(input, text) {
    var value = text.trim();
    var box = input.matches("[data-type]") && input.closest("tr").querySelector("[data-na-toggle]");
    if (box) {
      box.checked = value === "/";
      applyNotApplicable(box);
      if (box.checked) { value = ""; }
    }
    if (input.type === "checkbox") {
      input.checked = value !== "";
    } else if (input.tagName === "SELECT") {
      // The server reads the text (a code or its label); an option carries it there.
      var option = Array.from(input.options).filter(function (o) { return o.value === value; })[0];
      if (!option) {
        option = new Option(value, value);
        option.setAttribute("data-pasted", "");
        input.appendChild(option);
      }
      input.value = value;
    } else {
      input.value = value;
    }
  }

  var lastBlock = null;  // what Ctrl+Z puts back: {form, cells, added rows, formset, codes}

  function blockSaved(form, block) {
    form.dispatchEvent(new CustomEvent("entry:block", {
      bubbles: true, detail: { rows: block.codes, cells: block.count, undone: !!block.undone },
    }));
  }

  function pasteBlock(form, field, grid) {
    var row = field.closest("tr");
    var formset = row.closest("[data-formset]");
    var column = lineInputs(row).indexOf(field);
    var rows = rowsFrom(row);
    var block = { form: form, cells: [], added: [], formset: formset, codes: [], count: 0, dropped: 0 };
    grid.forEach(function (line, r) {
      if (r >= rows.length && formset) { block.added.push(addRow(formset, false)); rows = rowsFrom(row); }
      var target = rows[r];
      if (!target) { block.dropped += line.length; return; }
      var inputs = lineInputs(target);
      line.forEach(function (text, c) {
        var input = inputs[column + c];
        if (!input || input.disabled && !input.closest("tr").querySelector("[data-na-toggle]")) {
          block.dropped += 1;
          return;
        }
        block.cells.push(remember(input));
        setCell(input, text);
        block.count += 1;
      });
      var code = target.getAttribute("data-indicator");
      if (code) { block.codes.push(code); }
    });
    if (formset) {
      if (block.added.length) { rowsChanged(formset); }
      updateTotals(formset);
    }
    lastBlock = block;
    blockSaved(form, block);
    go(field);
  }

  function undoBlock(form) {
    var block = lastBlock;
    if (!block || block.form !== form) { return false; }
    lastBlock = null;
    block.cells.slice().reverse().forEach(function (cell) {
      if (cell.box) { cell.box.checked = cell.na; applyNotApplicable(cell.box); }
      if (cell.input.type === "checkbox") { cell.input.checked = cell.checked; } else { cell.input.value = cell.value; }
    });
    if (block.added.length) {
      var total = block.formset.querySelector("input[name$='-TOTAL_FORMS']");
      block.added.forEach(function (added) { added.remove(); });
      total.value = String(parseInt(total.value, 10) - block.added.length);
      rowsChanged(block.formset);
    }
    form.querySelectorAll("option[data-pasted]").forEach(function (option) {
      if (!option.selected) { option.remove(); }
    });
    if (block.formset) { updateTotals(block.formset); }
    block.undone = true;
    blockSaved(form, block);
    return true;
  }

  document.addEventListener("paste", function (event) {
    var field = event.target;
    var form = field.closest && field.closest("form.entry-form");
    var row = form && field.closest("tr[data-indicator], tr[data-row]");
    if (!row || lineInputs(row).indexOf(field) === -1 || !event.clipboardData) { return; }
    var text = event.clipboardData.getData("text/plain");
    if (!/[\t\n\r]/.test(text.replace(/[\r\n]+$/, ""))) { return; }  // one value: pasted as usual
    event.preventDefault();
    pasteBlock(form, field, parseGrid(text, true));
  });

  // Typing after a paste makes Ctrl+Z the browser's own undo of that typing again.
  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (event.isTrusted && lastBlock && lastBlock.form.contains(event.target)) { lastBlock = null; }
    }, true);
  });

  document.querySelectorAll("form.entry-form [data-type]").forEach(function (field) {
    if (field.type !== "checkbox" && !field.hasAttribute("data-saved")) {
      field.setAttribute("data-saved", field.value);
    }
  });

  document.addEventListener("input", function (event) {
    var formset = event.target.closest("[data-formset]");
    if (formset) { updateTotals(formset); }
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-na-toggle]")) { applyNotApplicable(event.target); }
  });

  document.addEventListener("submit", function (event) {
    if (event.target.matches("form[data-preview]")) { event.preventDefault(); }
  });

  // Rows scrolled to (a jump, a comment's link) land below the sticky bar, whatever its height.
  var bar = document.querySelector("[data-entry-bar]");
  if (bar) {
    var barHeight = function () {
      document.documentElement.style.setProperty("--entry-bar-height", bar.offsetHeight + "px");
    };
    barHeight();
    window.addEventListener("resize", barHeight);
    // The browser may have scrolled to the address's row before the bar's height was known.
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.closest("form.entry-form")) { target.scrollIntoView(); }
  }

  document.querySelectorAll("[data-na-toggle]").forEach(applyNotApplicable);
  document.querySelectorAll("[data-formset]").forEach(function (formset) {
    renumberOrder(formset);
    updateTotals(formset);
  });
})();
