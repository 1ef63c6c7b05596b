// A background job's progress bar (导入): polls the batch's progress URL every second and reloads the page when
// the job is done, so the bar survives a reload and the result appears without a click.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-progress]");
  if (!box) { return; }
  var bar = box.querySelector(".progress-bar");
  var label = box.querySelector("[data-job-label]");
  var url = box.getAttribute("data-job-progress");
  var status = box.getAttribute("data-job-status");
  function show(data) {
    var percent = data.total ? Math.floor(100 * data.done / data.total) : 0;
    bar.style.width = percent + "%";
    bar.setAttribute("aria-valuenow", String(percent));
    bar.textContent = data.total ? percent + "%" : "";
    if (label && data.label) { label.textContent = data.label; }
  }
  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.status !== status) { window.location.reload(); return; }
        show(data);
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
}());
