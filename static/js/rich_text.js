// A small rich-text editor: paragraphs, bold, italic, lists and simple tables. The server
// sanitises whatever arrives, so this only needs to be convenient. Tables work by keyboard, as
// in a word processor: "Bảng" puts the caret in the first cell, Tab and Shift+Tab go from cell to
// cell; Tab in the last cell adds a row when that cell holds something, else it goes on below
// the table, so Tab always leads out of the editor in the end.
(function () {
  "use strict";
  var NEW_TABLE =
    "<table><tbody><tr><td><br></td><td><br></td></tr>" +
    "<tr><td><br></td><td><br></td></tr></tbody></table><p><br></p>";

  function caretInto(cell) {
    var range = document.createRange();
    range.selectNodeContents(cell);
    range.collapse(true);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function after(table) {
    var next = table.nextElementSibling;
    if (!next || next.tagName !== "P") {
      next = document.createElement("p");
      next.appendChild(document.createElement("br"));
      table.insertAdjacentElement("afterend", next);
    }
    return next;
  }

  function cellAtCaret(editor) {
    var selection = window.getSelection();
    if (!selection.rangeCount) { return null; }
    var node = selection.getRangeAt(0).startContainer;
    var element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    var cell = element && element.closest("td, th");
    return cell && editor.contains(cell) ? cell : null;
  }

  function addRow(table) {
    var last = table.rows[table.rows.length - 1];
    var row = last.cloneNode(false);
    Array.from(last.cells).forEach(function () {
      var cell = document.createElement("td");
      cell.appendChild(document.createElement("br"));
      row.appendChild(cell);
    });
    last.parentNode.appendChild(row);
    return row;
  }

  document.querySelectorAll("[data-rich-text]").forEach(function (box) {
    var editor = box.querySelector(".editor");
    var textarea = box.querySelector("textarea");
    document.execCommand("defaultParagraphSeparator", false, "p");
    function sync() {
      textarea.value = editor.innerHTML;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    editor.addEventListener("input", sync);
    editor.addEventListener("blur", function () {
      textarea.dispatchEvent(new Event("change", { bubbles: true }));
    });
    editor.addEventListener("keydown", function (event) {
      if (event.key !== "Tab" || event.altKey || event.ctrlKey || event.metaKey) { return; }
      var cell = cellAtCaret(editor);
      if (!cell) { return; }
      var table = cell.closest("table");
      var cells = Array.from(table.querySelectorAll("td, th"));
      var index = cells.indexOf(cell) + (event.shiftKey ? -1 : 1);
      if (index < 0) { return; }  // Shift+Tab in the first cell leaves the editor
      event.preventDefault();
      if (index < cells.length) {
        caretInto(cells[index]);
      } else {
        caretInto(cell.textContent.trim() ? addRow(table).cells[0] : after(table));
        sync();
      }
    });
    box.querySelectorAll("[data-command]").forEach(function (button) {
      button.addEventListener("click", function () {
        editor.focus();
        var command = button.dataset.command;
        if (command === "table") {
          var before = new Set(editor.querySelectorAll("table"));
          document.execCommand("insertHTML", false, NEW_TABLE);
          var table = Array.from(editor.querySelectorAll("table")).filter(function (t) { return !before.has(t); })[0];
          if (table) { caretInto(table.querySelector("td")); }
        } else {
          document.execCommand(command, false, null);
        }
        sync();
      });
    });
  });
})();
