// Saves a form[data-autosave] a few seconds after typing stops, when a field is left and when
// table rows are added, moved or removed (entry.js sends "entry:rows-changed"); a pasted block
// (entry.js sends "entry:block") is saved at once, in one request, whole or not at all.
// What the server found is shown once: a value it could not read next to its input; a check
// in the panel, its inputs only marked and described to screen readers (aria-describedby).
// Blank required values are counted in the bar ("Chưa nhập"), not shown as errors, until
// someone tries to submit the report (then the server lists them as checks).
// Nothing typed is ever lost: leaving the page warns while something is not saved; a save refused
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

  // A value the server could not read (kind "error", not in the panel) gets its message next
  // to it; a check of the panel (kind = its severity, `back` its place there) only marks its
  // inputs, with the message for screen readers, so each message is shown once.
  function mark(form, name, message, kind, back) {
    var field = form.querySelector("[name='" + CSS.escape(name) + "']");
    if (!field) { return; }
    var invalid = kind === "error";
    field.classList.add(invalid ? "is-invalid" : "has-rule-issue");
    var note = document.createElement("div");
    if (back) {
      note.className = "live-feedback visually-hidden";
      field.setAttribute("data-back", back);  // Esc in the input goes back to the check
    } else {
      note.className = "live-feedback small text-danger";
    }
    note.textContent = text(message);
    field.insertAdjacentElement("afterend", note);
    describe(field, note, invalid);
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
    if (data.blanks) { showBlanks(data.blanks); }
    Object.keys(data.previous || {}).forEach(function (code) {
      var cell = form.querySelector("tr[data-indicator='" + CSS.escape(code) + "'] [data-previous]");
      if (cell) { cell.innerHTML = data.previous[code]; describeOutliers(cell.closest("tr")); }
    });
  }

  // "Chưa nhập": how many required values are blank; the button goes to the next one after
  // the input last in use.
  var blankNames = [], lastField = null;

  document.addEventListener("focusin", function (event) {
    if (event.target.closest("form.entry-form") && event.target.name) { lastField = event.target; }
  });

  function showBlanks(names) {
    blankNames = names;
    var button = document.querySelector("[data-blanks-next]");
    if (!button) { return; }
    button.hidden = !names.length;
    button.querySelector("[data-blanks-count]").textContent = String(names.length);
  }

  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-blanks-next]")) { return; }
    var fields = blankNames.map(function (name) {
      var field = document.querySelector("[name='" + CSS.escape(name) + "']");
      return field && field.disabled ? field.closest("tr").querySelector("[data-na-toggle]") : field;
    }).filter(Boolean);
    var next = fields.filter(function (field) {
      return lastField && lastField.compareDocumentPosition(field) & Node.DOCUMENT_POSITION_FOLLOWING;
    })[0] || fields[0];
    if (next) {
      next.focus({ preventScroll: true });
      next.scrollIntoView({ block: "center" });
    }
  });

  // A value far from the previous period's (the ⚑ beside it) is described to screen readers
  // with its value and note inputs.
  function describeOutliers(row) {
    var flag = row.querySelector("[data-outlier]");
    row.querySelectorAll("[data-type], input[name*='-note-']").forEach(function (field) {
      (field.getAttribute("aria-describedby") || "").split(/\s+/).forEach(function (id) {
        if (/-bat-thuong$/.test(id)) { undescribe(field, id); }
      });
      if (flag) { describe(field, flag, false); }
    });
  }

  // Clicking a check list link (or Enter on it) puts the cursor in the cell, its value
  // selected (entry.js), and Esc there comes back.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-goto]");
    if (!link) { return; }
    var target = document.querySelector("[name='" + CSS.escape(link.dataset.goto) + "']");
    if (target && target.disabled) { target = target.closest("tr").querySelector("[data-na-toggle]") || target; }
    if (!target) { return; }
    event.preventDefault();
    target.setAttribute("data-back", link.id);
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
    showBlanks(data.blanks || []);
    form.querySelectorAll("[data-outlier]").forEach(function (flag) { describeOutliers(flag.closest("tr")); });
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
    // What the form holds, to tell whether anything is not saved yet: `savedContents` is what
    // the server has (the page as loaded, then each fully saved request), `sentContents` what
    // the last request carried. Leaving the page warns only while they differ from the inputs.
    var savedContents = contents(), sentContents = savedContents;
    var timer = null, saving = false, dirty = false, stopped = false;
    var submitting = false, failures = 0, sent = new Map();
    // Indicator appendices send only the rows changed since the last save (all inputs of each).
    var delta = !!form.querySelector("[data-entry-indicators]");
    var changedRows = new Set();
    var block = new Set();  // rows of a pasted block not saved yet: sent together, saved whole

    function contents() {
      return Array.from(new FormData(form)).filter(function (pair) {
        return pair[0] !== "csrfmiddlewaretoken" && pair[0] !== "part_version";
      }).map(function (pair) { return pair[0] + "=" + pair[1]; }).join("\n");
    }

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
        if (block.has(code)) { data.append("block", code); }
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
      setStatus("Đã ngừng tự động lưu.", "text-danger fw-bold");
      keepTyped(form, message);
    }

    function refuse(message) {
      // The report can no longer be edited here: pressing "Lưu" would only be refused too.
      form.querySelectorAll("[type=submit]").forEach(function (button) { button.disabled = true; });
      stop(message);
    }

    function failed(reason) {
      sentContents = null;  // nothing of it arrived: send it again
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

    function rowOf(field) {
      var row = field.closest("tr[data-indicator]");
      return row && row.getAttribute("data-indicator");
    }

    function answered(response, data, carried) {
      var code = response.status;
      if (data.version !== undefined && data.version !== null) {
        form.querySelector("input[name=part_version]").value = data.version;
      }
      if (data.refused) { refuse(data.refused); return; }
      if (code === 409 && data.conflict) {
        stopped = true;
        setStatus(data.conflict + " Bấm “Lưu” để xem hai bản.", "text-danger fw-bold");
        return;
      }
      show(form, data);
      var unsavedRows = new Set(data.unsaved || []);
      // What Esc restores (entry.js): the values this save stored.
      sent.forEach(function (value, field) {
        if (!(data.errors || {})[field.name] && !unsavedRows.has(rowOf(field))) {
          field.setAttribute("data-saved", value);
        }
      });
      // A refused block stays one: editing any of its rows sends it whole again.
      var refusedBlock = Array.from(block).some(function (row) { return unsavedRows.has(row); });
      if (!refusedBlock) { block.clear(); }
      if (data.saved) { savedContents = carried; }
      var marked = Object.keys(data.errors || {}).length;
      var time = new Date().toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit" });
      if (data.saved) {
        setStatus("Đã lưu lúc " + time, "text-success");
      } else if (refusedBlock || !delta) {  // a block, and a table, are saved whole
        setStatus("Chưa lưu " + (refusedBlock ? "khối đã dán" : "bảng") + ": " + marked + " ô cần sửa.",
          "text-warning-emphasis");
      } else {
        setStatus("Đã lưu các ô hợp lệ lúc " + time + "; còn ô cần sửa.", "text-warning-emphasis");
      }
    }

    function save() {
      timer = null;
      if (stopped || saving) { return; }
      var carried = contents();
      dirty = false;
      if (carried === sentContents) {
        if (/đang lưu…$/.test(status ? status.textContent : "")) { setStatus("Không có gì thay đổi."); }
        return;
      }
      saving = true;
      sentContents = carried;
      var rows = Array.from(changedRows);
      if (rows.some(function (row) { return block.has(row); })) {
        block.forEach(function (row) { if (rows.indexOf(row) === -1) { rows.push(row); } });
      }
      changedRows.clear();
      if (!/đang lưu…$/.test(status ? status.textContent : "")) { setStatus("Đang lưu…"); }
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
          return response.json().then(function (data) { answered(response, data, carried); });
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
        if (dirty && !stopped && !timer && failures === 0) { schedule(block.size ? 0 : DELAY_MS); }
      });
    }

    function schedule(delay) {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(save, delay);
    }

    function edited(delay) {
      // An edit that only puts back what was sent (or a "change" on leaving an untouched
      // editor) is no edit.
      dirty = contents() !== sentContents;
      if (stopped || !dirty) { return; }
      if (failures > MAX_RETRIES) { failures = 0; }  // the user is back: try again
      if (failures === 0) { schedule(delay); }
    }

    form.addEventListener("input", function (event) { noteRow(event); edited(DELAY_MS); });
    form.addEventListener("change", function (event) { noteRow(event); edited(200); });
    form.addEventListener("entry:rows-changed", function () { edited(500); });
    form.addEventListener("entry:block", function (event) {
      event.detail.rows.forEach(function (code) { changedRows.add(code); block.add(code); });
      setStatus((event.detail.undone ? "Đã bỏ khối vừa dán (" : "Đã dán ") + event.detail.cells +
        " ô" + (event.detail.undone ? ")" : "") + "; đang lưu…");
      dirty = true;
      if (!stopped) { schedule(0); }  // one request for the whole block, at once
    });
    form.addEventListener("focusout", function () {
      if (!stopped && failures === 0 && contents() !== sentContents) { dirty = true; schedule(200); }
    });
    window.addEventListener("beforeunload", function (event) {
      if (!submitting && (saving || contents() !== savedContents)) {
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
