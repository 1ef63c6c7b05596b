// 使用手册: the print button (the browser's print dialog also saves the manual as a PDF).
document.querySelectorAll("[data-manual-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
