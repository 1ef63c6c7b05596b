// Small behaviours shared by every page. No framework: Bootstrap's bundle is loaded before this file.
// A button with data-confirm asks before its form is sent (e.g. 删除); registered first, so a cancelled
// submission is not disabled below.
document.addEventListener("submit", function (event) {
  const button = event.submitter;
  if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) event.preventDefault();
});

document.addEventListener("submit", function (event) {
  if (event.defaultPrevented) return;
  // Avoid double submissions: disable the button that submitted, keep its name/value in the form.
  const button = event.submitter;
  if (button && button.name) {
    const hidden = document.createElement("input");
    hidden.type = "hidden"; hidden.name = button.name; hidden.value = button.value;
    event.target.appendChild(hidden);
  }
  // A form that downloads a file (data-download) leaves the page as it is: its button stays usable.
  if (button && !("download" in event.target.dataset)) { setTimeout(function () { button.disabled = true; }, 0); }
});

// A "select all" checkbox (data-select-all="FORM_ID") ticks every checkbox of that form (form="FORM_ID").
document.addEventListener("change", function (event) {
  const all = event.target.closest("[data-select-all]");
  if (!all) return;
  document.querySelectorAll('input[type="checkbox"][form="' + all.dataset.selectAll + '"]').forEach(function (box) {
    box.checked = all.checked;
  });
});

// Formsets: "添加一行" clones the empty form and bumps TOTAL_FORMS.
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-add-row]");
  if (!button) return;
  const card = button.closest("[data-formset]");
  const prefix = card.dataset.formset;
  const total = card.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
  const index = parseInt(total.value, 10);
  const html = card.querySelector("template.formset-empty").innerHTML.replace(/__prefix__/g, String(index));
  card.querySelector(".formset-rows").insertAdjacentHTML("beforeend", html);
  total.value = String(index + 1);
});

// Progress bars: the width comes from data-progress (the Content-Security-Policy forbids style attributes).
function applyProgressWidths(root) {
  root.querySelectorAll(".progress-bar[data-progress]").forEach(function (bar) {
    bar.style.width = Math.max(0, Math.min(100, Number(bar.dataset.progress) || 0)) + "%";
  });
}
applyProgressWidths(document);

// Error summary at the top of a form that failed: it takes the focus (screen readers announce it), and each
// link moves the focus to its field (or to the searchable picker that stands in for a hidden <select>).
(function () {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
})();
document.addEventListener("click", function (event) {
  const link = event.target.closest("[data-error-link]");
  if (!link) return;
  const target = document.getElementById(link.dataset.errorLink);
  if (!target) return;
  event.preventDefault();
  const focusable = target.tomselect ? target.tomselect.control_input : target;
  const shown = focusable.closest(".ts-wrapper") || focusable;
  shown.scrollIntoView({ block: "center" });
  focusable.focus({ preventScroll: true });
  if (window.history && history.replaceState) history.replaceState(null, "", "#" + target.id);
});
// "返回上一页" on the error pages.
document.addEventListener("click", function (event) {
  if (!event.target.closest("[data-history-back]")) return;
  if (window.history.length > 1) window.history.back(); else window.location.href = "/";
});
