// Saves a form[data-autosave] a few seconds after typing stops and when a field is left, and
// shows what the server found (refused values, rule violations) next to the fields involved.
// A save refused because someone else saved first stops autosaving; nothing typed is lost.
(function () {
  "use strict";
  var DELAY_MS = 3000;

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function clearMarks(form) {
    form.querySelectorAll(".is-invalid, .has-rule-issue").forEach(function (el) {
      el.classList.remove("is-invalid", "has-rule-issue");
    });
    form.querySelectorAll(".live-feedback").forEach(function (el) { el.remove(); });
  }

  function mark(form, name, message, kind) {
    var field = form.querySelector("[name='" + CSS.escape(name) + "']");
    if (!field) { return; }
    field.classList.add(kind === "error" ? "is-invalid" : "has-rule-issue");
    var note = document.createElement("div");
    note.className = "live-feedback small " + (kind === "error" ? "text-danger" : "text-warning-emphasis");
    note.textContent = message;
    note.setAttribute("role", "alert");
    field.insertAdjacentElement("afterend", note);
  }

  function show(form, data) {
    clearMarks(form);
    Object.keys(data.errors || {}).forEach(function (name) {
      data.errors[name].forEach(function (message) { mark(form, name, message, "error"); });
    });
    (data.violations || []).forEach(function (v) {
      (v.fields || []).forEach(function (name) { mark(form, name, v.message, v.severity); });
    });
    var panel = document.querySelector("[data-violations-panel]");
    if (panel && data.violations_html !== undefined) { panel.innerHTML = data.violations_html; }
  }

  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var status = form.querySelector("[data-autosave-status]");
    var timer = null, saving = false, dirty = false, stopped = false;

    function setStatus(text, cls) {
      if (!status) { return; }
      status.textContent = text;
      status.className = "small mb-2 " + (cls || "text-muted");
    }

    function save() {
      timer = null;
      if (stopped || saving || !dirty) { return; }
      saving = true;
      dirty = false;
      setStatus("Đang lưu…");
      fetch(form.action || window.location.href, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Autosave": "1", "X-CSRFToken": csrfToken(form) },
        credentials: "same-origin",
      }).then(function (response) {
        return response.json().then(function (data) { return [response.status, data]; });
      }).then(function (result) {
        var code = result[0], data = result[1];
        if (data.version !== undefined && data.version !== null) {
          form.querySelector("input[name=part_version]").value = data.version;
        }
        if (code === 409) {
          stopped = true;
          setStatus(data.conflict + " Bấm “Lưu” để xem hai bản.", "text-danger fw-bold");
          return;
        }
        show(form, data);
        var time = new Date().toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit" });
        setStatus(data.saved ? "Đã lưu lúc " + time : "Đã lưu các ô hợp lệ lúc " + time + "; còn ô cần sửa.",
          data.saved ? "text-success" : "text-warning-emphasis");
      }).catch(function () {
        dirty = true;
        setStatus("Chưa lưu được (mất kết nối?). Nội dung vẫn còn trên trang; sẽ thử lại.", "text-danger");
      }).finally(function () {
        saving = false;
        if (dirty && !stopped) { schedule(DELAY_MS); }
      });
    }

    function schedule(delay) {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(save, delay);
    }

    form.addEventListener("input", function () { dirty = true; schedule(DELAY_MS); });
    form.addEventListener("change", function () { dirty = true; schedule(200); });
    form.addEventListener("focusout", function () { if (dirty) { schedule(200); } });
    window.addEventListener("beforeunload", function (event) {
      if (dirty && !stopped) { event.preventDefault(); }
    });
    form.addEventListener("submit", function () { stopped = true; dirty = false; });
  });
})();
