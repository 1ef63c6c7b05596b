// 专家信息 edit page. 姓名拼音: suggested from the Chinese name while the field is empty (the user may edit it).
// The suggestion URL comes from this script tag's data-pinyin-url.
(function () {
  const url = document.currentScript && document.currentScript.dataset.pinyinUrl;
  const zh = document.querySelector("input[name=name_zh]");
  const en = document.querySelector("input[name=name_en]");
  if (!url || !zh || !en) return;
  zh.addEventListener("change", function () {
    if (en.value.trim() || !zh.value.trim()) return;
    fetch(url + "?name=" + encodeURIComponent(zh.value.trim()), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) { if (!en.value.trim()) en.value = data.name_en; });
  });
})();
