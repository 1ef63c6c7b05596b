// Small behaviours shared by every page. No framework: Bootstrap's bundle is loaded before this file.
document.addEventListener("submit", function (event) {
  // Avoid double submissions: disable the button that submitted, keep its name/value in the form.
  const button = event.submitter;
  if (button && button.name) {
    const hidden = document.createElement("input");
    hidden.type = "hidden"; hidden.name = button.name; hidden.value = button.value;
    event.target.appendChild(hidden);
  }
  if (button) { setTimeout(function () { button.disabled = true; }, 0); }
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
