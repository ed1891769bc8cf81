/* Majlis drafts: a form marked data-draft-url is saved on the server as the member types (debounced),
   and given back when the page opens again — after a reload, on another device, or after signing in
   again. Sending the form discards the draft on the server. Without this script forms work as before. */
(function () {
  "use strict";

  const token = (document.querySelector('meta[name="csrf-token"]') || {}).content;
  const SKIPPED = new Set(["csrf_token", "attachments", "action"]);

  function serialize(form) {
    const params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (!SKIPPED.has(name) && typeof value === "string") params.append(name, value);
    });
    return params.toString();
  }

  function hasText(form) {
    return Array.from(form.querySelectorAll("textarea, input[type=text]")).some((field) => field.value.trim());
  }

  function fill(form, fields) {
    Object.keys(fields).forEach(function (name) {
      const values = [].concat(fields[name]);
      const field = form.elements.namedItem(name);
      if (!field) return;
      if (field instanceof HTMLSelectElement && field.multiple) {
        Array.from(field.options).forEach((option) => { option.selected = values.includes(option.value); });
      } else if (field instanceof RadioNodeList || (field.type === "checkbox" || field.type === "radio")) {
        const boxes = field instanceof RadioNodeList ? Array.from(field) : [field];
        boxes.forEach((box) => { if (box.type === "checkbox" || box.type === "radio") box.checked = values.includes(box.value); });
      } else {
        field.value = values[0];
      }
    });
    form.dispatchEvent(new CustomEvent("draft-restored", { detail: fields }));
  }

  function setup(form) {
    const url = form.dataset.draftUrl;
    const status = form.querySelector(".draft-status");
    const discardButton = form.querySelector(".draft-discard");
    let timer = null;
    let lastSent = serialize(form);

    function show(text, canDiscard) {
      if (!status) return;
      status.textContent = text;
      status.hidden = !text;
      if (discardButton) discardButton.hidden = !canDiscard;
    }

    function save(keepalive) {
      window.clearTimeout(timer);
      timer = null;
      const body = serialize(form);
      if (body === lastSent) return;
      lastSent = body;
      const params = new URLSearchParams(body);
      params.set("csrf_token", token);
      fetch(url, { method: "POST", credentials: "same-origin", keepalive: Boolean(keepalive), body: params, headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : null))
        .then(function (answer) {
          if (!answer) { show(status && status.dataset.failedLabel, false); lastSent = null; return; }
          show(answer.draft ? answer.draft.saved_label : "", Boolean(answer.draft));
        })
        .catch(function () { lastSent = null; });
    }

    function later() { window.clearTimeout(timer); timer = window.setTimeout(save, 1200); }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("submit", function () { window.clearTimeout(timer); timer = null; });
    window.addEventListener("pagehide", function () { if (timer) save(true); });

    if (discardButton) {
      discardButton.addEventListener("click", function () {
        window.clearTimeout(timer);
        const params = new URLSearchParams({ csrf_token: token });
        fetch(url + "/discard", { method: "POST", credentials: "same-origin", body: params, headers: { Accept: "application/json" } })
          .then(function (response) {
            if (!response.ok) return;
            form.querySelectorAll("textarea, input[type=text]").forEach((field) => { field.value = ""; });
            lastSent = serialize(form);
            show(status ? status.dataset.discardedLabel : "", false);
          });
      });
    }

    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then(function (answer) {
        if (!answer || !answer.draft) return;
        if (hasText(form)) { show(answer.draft.saved_label, true); return; }  // the page came back with text: keep it
        fill(form, answer.draft.fields);
        lastSent = serialize(form);
        show(status ? status.dataset.restoredLabel : answer.draft.saved_label, true);
      })
      .catch(function () {});
  }

  function start() { document.querySelectorAll("form[data-draft-url]").forEach(setup); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
