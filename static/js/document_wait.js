// The page shown while a report's PDF or Word file is rendered in the background: asks the
// status endpoint every two seconds and offers the file when it is stored; says so when the
// render is delayed (no task worker has taken it), and keeps asking.
(function () {
  "use strict";
  var box = document.querySelector("[data-document-wait]");
  if (!box) { return; }
  var progress = box.querySelector("[data-document-progress]");
  var bar = box.querySelector(".progress");
  var ready = box.querySelector("[data-document-ready]");
  var template = box.querySelector("template[data-delayed-message]");
  var delayedMessage = template ? template.content.textContent.trim() : "";
  var delayed = false;

  function finish(message, offer) {
    progress.textContent = message;
    if (bar) { bar.classList.add("d-none"); }
    if (offer) { ready.classList.remove("d-none"); ready.focus(); }
  }

  function poll() {
    fetch(box.getAttribute("data-status-url"), { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.status === "ready") {
          finish("Tệp đã sẵn sàng.", true);
          window.location.href = box.getAttribute("data-download-url");
        } else if (data.status === "failed") {
          finish("Không tạo được tệp. Hãy thử lại sau ít phút hoặc báo quản trị viên.", false);
        } else if (data.status === "delayed") {
          // Said once, then asked less often: the file comes when a worker takes it.
          if (!delayed) { progress.textContent = delayedMessage; delayed = true; }
          setTimeout(poll, 5000);
        } else {
          setTimeout(poll, 2000);
        }
      }, function () { setTimeout(poll, 4000); });
  }
  setTimeout(poll, 1000);
})();
