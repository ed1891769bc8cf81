// The uploader of a post's files (templates/files/_uploader.html): each chosen or dropped file is sent
// at once to the upload route with its progress shown; the ids of those that arrived go in the form.
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]');

  function idsOf(box) { return box.querySelector("[data-uploader-ids]"); }

  function setIds(box, ids) { idsOf(box).value = ids.join(","); }

  function currentIds(box) {
    var value = idsOf(box).value;
    return value ? value.split(",") : [];
  }

  function send(box, file) {
    var item = document.createElement("li");
    var name = document.createElement("bdi");
    name.textContent = file.name;
    var progress = document.createElement("progress");
    progress.max = 100;
    progress.value = 0;
    var status = document.createElement("span");
    status.className = "status";
    status.textContent = box.dataset.uploading;
    item.append(name, " ", progress, " ", status);
    box.querySelector("[data-uploader-list]").append(item);

    var form = new FormData();
    form.append("file", file);
    form.append("for", box.dataset.for);
    var language = box.querySelector("[data-uploader-language]");
    if (language && language.value) { form.append("language", language.value); }
    var request = new XMLHttpRequest();
    request.open("POST", box.dataset.uploadUrl);
    if (csrf) { request.setRequestHeader("X-CSRFToken", csrf.content); }
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) { progress.value = Math.round(100 * event.loaded / event.total); }
    });
    request.addEventListener("load", function () {
      var answer = {};
      try { answer = JSON.parse(request.responseText); } catch (error) { answer = {}; }
      if (request.status === 201 && answer.id) {
        progress.remove();
        status.textContent = "";
        item.dataset.uploadId = String(answer.id);
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "link";
        remove.textContent = box.dataset.remove;
        remove.addEventListener("click", function () {
          setIds(box, currentIds(box).filter(function (id) { return id !== String(answer.id); }));
          item.remove();
        });
        item.append(remove);
        setIds(box, currentIds(box).concat([String(answer.id)]));
      } else {
        fail(box, item, progress, status, answer.error || String(request.status));
      }
    });
    request.addEventListener("error", function () { fail(box, item, progress, status, "network"); });
    request.send(form);
  }

  function fail(box, item, progress, status, reason) {
    progress.remove();
    item.classList.add("failed");
    status.textContent = box.dataset.failed.replace("%(reason)s", reason);
    status.setAttribute("role", "alert");
  }

  function start(box) {
    var input = box.querySelector("[data-uploader-input]");
    input.addEventListener("change", function () {
      Array.prototype.forEach.call(input.files, function (file) { send(box, file); });
      input.value = "";
    });
    var zone = box.querySelector(".drop-zone");
    zone.addEventListener("dragover", function (event) { event.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("over");
      Array.prototype.forEach.call(event.dataTransfer.files, function (file) { send(box, file); });
    });
  }

  document.querySelectorAll("[data-uploader]").forEach(start);
})();
