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
