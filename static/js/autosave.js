// Saves a form[data-autosave] a few seconds after typing stops, when a field is left and when
// table rows are added, moved or removed (entry.js sends "entry:rows-changed"), and shows what
// the server found (refused values, rule violations) next to the fields involved.
// Nothing typed is ever lost: leaving the page warns while anything is unsaved; a save refused
// because someone else saved first, or because the report can no longer be edited, stops
// autosaving and keeps the values on the page (with a button to download them); only a real
// network failure reads "mất kết nối", retried with growing pauses a few times.
(function () {
  "use strict";
  var DELAY_MS = 3000;
  var MAX_RETRIES = 5;

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  var noteCount = 0;

  function clearMarks(form) {
    form.querySelectorAll(".is-invalid, .has-rule-issue, [aria-invalid]").forEach(function (el) {
      el.classList.remove("is-invalid", "has-rule-issue");
      el.removeAttribute("aria-invalid");
    });
    form.querySelectorAll(".live-feedback, .invalid-feedback").forEach(function (el) {
      var field = el.id && form.querySelector("[aria-describedby~='" + el.id + "']");
      if (field) { undescribe(field, el.id); }
      el.remove();
    });
  }

  function text(message) {
    return typeof message === "string" ? message : (message && message.message) || "";
  }

  // Ties a message to its input (aria-describedby), so a screen reader reads it with the input
  // and nothing is announced on its own: the save state is the page's one live region.
  function describe(field, note, invalid) {
    if (!note.id) { noteCount += 1; note.id = "ghi-chu-kiem-tra-" + noteCount; }
    var ids = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (ids.indexOf(note.id) === -1) { ids.push(note.id); }
    field.setAttribute("aria-describedby", ids.join(" "));
    if (invalid) { field.setAttribute("aria-invalid", "true"); }
  }

  function undescribe(field, id) {
    var ids = (field.getAttribute("aria-describedby") || "").split(/\s+/)
      .filter(function (x) { return x && x !== id; });
    if (ids.length) { field.setAttribute("aria-describedby", ids.join(" ")); } else { field.removeAttribute("aria-describedby"); }
  }

  function mark(form, name, message, kind, back) {
    var field = form.querySelector("[name='" + CSS.escape(name) + "']");
    if (!field) { return; }
    field.classList.add(kind === "error" ? "is-invalid" : "has-rule-issue");
    var note = document.createElement("div");
    note.className = "live-feedback small " + (kind === "error" ? "text-danger" : "text-warning-emphasis");
    note.textContent = text(message);
    if (back) {
      // The way back to the check list this message came from (Esc in the input does the same).
      field.setAttribute("data-back", back);
      var link = document.createElement("a");
      link.href = "#" + back;
      link.className = "ms-1";
      link.setAttribute("data-back-link", "");
      link.textContent = "↩ Kiểm tra số liệu";
      note.appendChild(document.createTextNode(" "));
      note.appendChild(link);
    }
    field.insertAdjacentElement("afterend", note);
    describe(field, note, kind === "error");
  }

  // Messages the server rendered next to their inputs (a page answered with errors).
  function describeRendered(form) {
    form.querySelectorAll(".invalid-feedback").forEach(function (note) {
      var field = note.parentNode.querySelector(".is-invalid");
      if (field) { describe(field, note, true); }
    });
  }

  // Each message of the check list gets a link to the first input it concerns.
  function linkPanel(form, violations) {
    var panel = document.querySelector("[data-violations-panel]");
    if (!panel) { return; }
    var items = panel.querySelectorAll("[data-violation]");
    (violations || []).forEach(function (v, index) {
      var item = items[index];
      var field = (v.fields || []).map(function (name) {
        return form.querySelector("[name='" + CSS.escape(name) + "']");
      }).filter(Boolean)[0];
      if (!item || !field) { return; }
      var link = document.createElement("a");
      link.href = "#" + field.id;
      link.id = "kiem-tra-" + (index + 1);
      link.className = "ms-1";
      link.setAttribute("data-goto", field.name);
      link.textContent = "Đến ô số liệu";
      item.appendChild(document.createTextNode(" "));
      item.appendChild(link);
    });
    var count = document.querySelector("[data-checks-count]");
    if (count) { count.textContent = String((violations || []).length); }
  }

  // Delta answers (indicator appendices) replace the marks of the inputs in data.scope only.
  function clearScope(form, names) {
    names.forEach(function (name) {
      var field = form.querySelector("[name='" + CSS.escape(name) + "']");
      if (!field) { return; }
      field.classList.remove("is-invalid", "has-rule-issue");
      field.removeAttribute("aria-invalid");
      var next = field.nextElementSibling;
      while (next && (next.classList.contains("live-feedback") || next.classList.contains("invalid-feedback"))) {
        if (next.id) { undescribe(field, next.id); }
        next.remove();
        next = field.nextElementSibling;
      }
    });
  }

  function show(form, data) {
    if (data.scope) { clearScope(form, data.scope); } else { clearMarks(form); }
    var panel = document.querySelector("[data-violations-panel]");
    if (panel && data.violations_html !== undefined) { panel.innerHTML = data.violations_html; }
    Object.keys(data.errors || {}).forEach(function (name) {
      data.errors[name].forEach(function (message) { mark(form, name, message, "error"); });
    });
    // v.index: the check's place in the panel, when a delta answer carries only some checks.
    (data.violations || []).forEach(function (v, index) {
      (v.fields || []).forEach(function (name) {
        mark(form, name, v.message, v.severity, "kiem-tra-" + (v.index || index + 1));
      });
    });
    if (data.violations_html !== undefined) { linkPanel(form, data.violations); }
  }

  // Clicking a check list link (or Enter on it) puts the cursor in the cell.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-goto], [data-back-link]");
    if (!link) { return; }
    var target;
    if (link.hasAttribute("data-goto")) {
      target = document.querySelector("[name='" + CSS.escape(link.dataset.goto) + "']");
      if (target && target.disabled) { target = target.closest("tr").querySelector("[data-na-toggle]") || target; }
      if (target) { target.setAttribute("data-back", link.id); }
    } else {
      target = document.getElementById(link.getAttribute("href").slice(1));
    }
    if (!target) { return; }
    event.preventDefault();
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "center" });
  });

  // On load: the server's validation result, rendered into the page, marks the inputs at once.
  document.querySelectorAll("form.entry-form").forEach(function (form) {
    describeRendered(form);
    var checks = document.getElementById("entry-checks");
    if (!checks) { return; }
    var data = JSON.parse(checks.textContent);
    (data.violations || []).forEach(function (v, index) {
      (v.fields || []).forEach(function (name) {
        mark(form, name, v.message, v.severity, "kiem-tra-" + (index + 1));
      });
    });
    linkPanel(form, data.violations);
  });

  // What the user typed, as plain text ("label: value" a line), to keep when saving stopped.
  function typedText(form) {
    var lines = [document.title, ""];
    Array.from(form.elements).forEach(function (el) {
      if (!el.name || el.type === "hidden" || el.type === "submit" || el.type === "button") { return; }
      if (el.closest("tr[data-row].d-none") || el.closest("template")) { return; }
      var value = el.type === "checkbox" ? (el.checked ? "X" : "") : el.value;
      if (!value) { return; }
      var label = el.getAttribute("aria-label") || (el.labels && el.labels[0] && el.labels[0].textContent.trim());
      lines.push((label ? label + " [" + el.name + "]" : el.name) + ": " + value);
    });
    return lines.join("\n") + "\n";
  }

  function keepTyped(form, message) {
    var box = form.querySelector("[data-autosave-stopped]");
    if (!box) {
      box = document.createElement("div");
      box.className = "alert alert-danger py-2 w-100 mb-0";  // in the entry bar it stays in view
      box.setAttribute("role", "alert");
      box.setAttribute("data-autosave-stopped", "");
      var status = form.querySelector("[data-autosave-status]");
      (status || form.firstElementChild).insertAdjacentElement("afterend", box);
    }
    box.textContent = "";
    var p = document.createElement("p");
    p.className = "mb-2";
    p.textContent = message + " Nội dung bạn gõ vẫn còn trên trang; hãy chép hoặc tải về để không mất.";
    box.appendChild(p);
    var download = document.createElement("button");
    download.type = "button";
    download.className = "btn btn-sm btn-outline-danger me-2";
    download.textContent = "Tải về nội dung đã gõ (.txt)";
    download.setAttribute("data-download-typed", "");
    download.addEventListener("click", function () {
      var link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([typedText(form)], { type: "text/plain;charset=utf-8" }));
      link.download = "noi-dung-da-go.txt";
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
    box.appendChild(download);
    if (navigator.clipboard) {
      var copy = document.createElement("button");
      copy.type = "button";
      copy.className = "btn btn-sm btn-outline-secondary";
      copy.textContent = "Chép vào bộ nhớ tạm";
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(typedText(form)).then(function () { copy.textContent = "Đã chép"; });
      });
      box.appendChild(copy);
    }
  }

  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var status = form.querySelector("[data-autosave-status]");
    // dirty: edited since the last request was sent; unsaved: the last request was not
    // fully saved. Leaving the page warns while either holds.
    var timer = null, saving = false, dirty = false, unsaved = false, stopped = false;
    var submitting = false, failures = 0, sent = new Map();
    // Indicator appendices send only the rows changed since the last save (all inputs of each).
    var delta = !!form.querySelector("[data-entry-indicators]");
    var changedRows = new Set();

    function noteRow(event) {
      var row = delta && event.target.closest && event.target.closest("tr[data-indicator]");
      if (row) { changedRows.add(row.getAttribute("data-indicator")); }
    }

    function body(rows) {
      if (!delta) { return new FormData(form); }
      var data = new FormData();
      data.append("csrfmiddlewaretoken", csrfToken(form));
      data.append("part_version", form.querySelector("input[name=part_version]").value);
      rows.forEach(function (code) {
        data.append("delta", code);
        var row = form.querySelector("tr[data-indicator='" + CSS.escape(code) + "']");
        (row ? row.querySelectorAll("[name]:not(:disabled)") : []).forEach(function (el) {
          if (el.type !== "checkbox" || el.checked) { data.append(el.name, el.type === "checkbox" ? "on" : el.value); }
        });
      });
      return data;
    }

    function setStatus(message, cls) {
      if (!status) { return; }
      status.textContent = message;
      status.className = "small mb-2 " + (cls || "text-muted");
    }

    function stop(message) {
      stopped = true;
      unsaved = true;
      setStatus("Đã ngừng tự động lưu.", "text-danger fw-bold");
      keepTyped(form, message);
    }

    function refuse(message) {
      // The report can no longer be edited here: pressing "Lưu" would only be refused too.
      form.querySelectorAll("[type=submit]").forEach(function (button) { button.disabled = true; });
      stop(message);
    }

    function failed(reason) {
      dirty = true;
      failures += 1;
      if (failures > MAX_RETRIES) {
        setStatus("Chưa lưu được sau " + MAX_RETRIES + " lần thử (" + reason + "). Nội dung vẫn còn trên " +
          "trang; kiểm tra mạng rồi gõ tiếp hoặc bấm “Lưu”.", "text-danger fw-bold");
        return;
      }
      var wait = DELAY_MS * Math.pow(2, failures - 1);
      setStatus("Chưa lưu được (" + reason + "). Nội dung vẫn còn trên trang; thử lại sau " +
        Math.round(wait / 1000) + " giây.", "text-danger");
      schedule(wait);
    }

    function answered(response, data) {
      var code = response.status;
      if (data.version !== undefined && data.version !== null) {
        form.querySelector("input[name=part_version]").value = data.version;
      }
      if (data.refused) { refuse(data.refused); return; }
      if (code === 409 && data.conflict) {
        stopped = true;
        unsaved = true;
        setStatus(data.conflict + " Bấm “Lưu” để xem hai bản.", "text-danger fw-bold");
        return;
      }
      show(form, data);
      // What Esc restores (entry.js): the values this save stored.
      sent.forEach(function (value, field) {
        if (!(data.errors || {})[field.name]) { field.setAttribute("data-saved", value); }
      });
      unsaved = !data.saved;
      var time = new Date().toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit" });
      setStatus(data.saved ? "Đã lưu lúc " + time : "Đã lưu các ô hợp lệ lúc " + time + "; còn ô cần sửa.",
        data.saved ? "text-success" : "text-warning-emphasis");
    }

    function save() {
      timer = null;
      if (stopped || saving || !dirty) { return; }
      saving = true;
      dirty = false;
      var rows = Array.from(changedRows);
      changedRows.clear();
      setStatus("Đang lưu…");
      sent = new Map();
      form.querySelectorAll("[data-type]").forEach(function (field) {
        if (field.type !== "checkbox") { sent.set(field, field.value); }
      });
      fetch(form.action || window.location.href, {
        method: "POST",
        body: body(rows),
        headers: { "X-Autosave": "1", "X-Autosave-Delta": delta ? "1" : "0", "X-CSRFToken": csrfToken(form) },
        credentials: "same-origin",
      }).then(function (response) {
        if (response.status >= 500) { rows.forEach(function (code) { changedRows.add(code); }); }
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (json) {
          failures = 0;
          return response.json().then(function (data) { answered(response, data); });
        }
        if (response.redirected && response.url.indexOf("/dang-nhap/") !== -1) {
          stop("Phiên đăng nhập đã hết hạn nên không lưu được.");
        } else if (response.status >= 500) {
          failed("máy chủ đang lỗi");
        } else {
          refuse("Máy chủ từ chối lưu (mã " + response.status + ").");
        }
      }, function () {
        rows.forEach(function (code) { changedRows.add(code); });
        failed("mất kết nối");
      }).finally(function () {
        saving = false;
        if (dirty && !stopped && !timer && failures === 0) { schedule(DELAY_MS); }
      });
    }

    function schedule(delay) {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(save, delay);
    }

    function edited(delay) {
      dirty = true;
      if (stopped) { return; }
      if (failures > MAX_RETRIES) { failures = 0; }  // the user is back: try again
      if (failures === 0) { schedule(delay); }
    }

    form.addEventListener("input", function (event) { noteRow(event); edited(DELAY_MS); });
    form.addEventListener("change", function (event) { noteRow(event); edited(200); });
    form.addEventListener("entry:rows-changed", function () { edited(500); });
    form.addEventListener("focusout", function () { if (dirty && !stopped && failures === 0) { schedule(200); } });
    window.addEventListener("beforeunload", function (event) {
      if (!submitting && (dirty || unsaved || saving)) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    form.addEventListener("submit", function () {
      submitting = true;
      stopped = true;
      if (timer) { clearTimeout(timer); }
    });
  });
})();
