// "Chèn": copy a department's passage (already sanitised by the server) into the province's
// editor; rich_text.js copies the editor into the form on "input", autosave does the rest.
(function () {
  "use strict";
  var editor = document.querySelector("[data-rich-text] .editor");
  if (!editor) {
    return;
  }
  document.querySelectorAll("[data-insert-passage]").forEach(function (button) {
    button.addEventListener("click", function () {
      var passage = button.closest("[data-source]").querySelector("[data-passage]");
      editor.insertAdjacentHTML("beforeend", passage.innerHTML);
      editor.dispatchEvent(new Event("input", { bubbles: true }));
      editor.focus();
    });
  });
})();
