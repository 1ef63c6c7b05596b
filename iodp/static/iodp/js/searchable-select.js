// Multiple choices (所属学科, 目标学科领域...): a <select multiple data-searchable-select> becomes a Tom Select
// picker: type to filter, Enter or a click to choose, chips with a remove button, Backspace removes the last.
// Without JavaScript (or before this runs) the plain <select multiple> still works and is what gets posted.
(function () {
  if (typeof window.TomSelect !== "function") return;
  const strings = JSON.parse((document.getElementById("iodp-i18n") || {}).textContent || "{}");

  function enhance(select) {
    if (select.tomselect || select.closest("template")) return;
    const picker = new window.TomSelect(select, {
      plugins: { remove_button: { title: strings.remove || "Remove" } },
      maxOptions: null,
      hidePlaceholder: true,
      closeAfterSelect: false,
      placeholder: strings.pickerPlaceholder || "",
      render: {
        no_results: function () {
          const div = document.createElement("div");
          div.className = "no-results";
          div.textContent = strings.pickerNoResults || "";
          return div;
        },
      },
      onItemAdd: function () { this.setTextboxValue(""); this.refreshOptions(false); },
    });
    // Tom Select points the field's <label> at its text box, so clicking the label focuses the picker.
    if (select.classList.contains("is-invalid")) picker.wrapper.classList.add("is-invalid");
  }

  document.querySelectorAll("select[multiple][data-searchable-select]").forEach(enhance);
})();
