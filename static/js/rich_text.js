// A small rich-text editor: paragraphs, bold, italic, lists and simple tables. The server
// sanitises whatever arrives, so this only needs to be convenient.
(function () {
  "use strict";
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
    box.querySelectorAll("[data-command]").forEach(function (button) {
      button.addEventListener("click", function () {
        editor.focus();
        var command = button.dataset.command;
        if (command === "table") {
          document.execCommand(
            "insertHTML", false,
            "<table class=\"table table-bordered\"><tbody><tr><td>&nbsp;</td><td>&nbsp;</td></tr>" +
            "<tr><td>&nbsp;</td><td>&nbsp;</td></tr></tbody></table><p><br></p>"
          );
        } else {
          document.execCommand(command, false, null);
        }
        sync();
      });
    });
  });
})();
