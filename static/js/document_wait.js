// The page shown while a report's PDF or Word file is rendered in the background: asks the
// status endpoint every two seconds and offers the file when it is stored.
(function () {
  "use strict";
  var box = document.querySelector("[data-document-wait]");
  if (!box) { return; }
  var progress = box.querySelector("[data-document-progress]");
  var bar = box.querySelector(".progress");
  var ready = box.querySelector("[data-document-ready]");
  var tries = 0;

  function finish(message, offer) {
    progress.textContent = message;
    if (bar) { bar.classList.add("d-none"); }
    if (offer) { ready.classList.remove("d-none"); ready.focus(); }
  }

  function poll() {
    tries += 1;
    fetch(box.getAttribute("data-status-url"), { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.status === "ready") {
          finish("Tệp đã sẵn sàng.", true);
          window.location.href = box.getAttribute("data-download-url");
        } else if (data.status === "failed") {
          finish("Không tạo được tệp. Hãy thử lại sau ít phút hoặc báo quản trị viên.", false);
        } else if (tries < 150) {
          setTimeout(poll, 2000);
        } else {
          finish("Tệp chưa xong sau 5 phút. Hãy tải lại trang sau ít phút.", false);
        }
      }, function () { setTimeout(poll, 4000); });
  }
  setTimeout(poll, 1000);
})();
