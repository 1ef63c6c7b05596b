// 专家信息 edit page. 姓名拼音: suggested from the Chinese name while the field is empty (the user may edit it).
// The suggestion URL comes from this script tag's data-pinyin-url. The name is posted (with the form's CSRF
// token), never put in the URL, and cut to the longest name a record holds, so no name makes the URL too long.
(function () {
  const url = document.currentScript && document.currentScript.dataset.pinyinUrl;
  const zh = document.querySelector("input[name=name_zh]");
  const en = document.querySelector("input[name=name_en]");
  if (!url || !zh || !en) return;
  const limit = parseInt(zh.getAttribute("maxlength"), 10) || 64;
  zh.addEventListener("change", function () {
    const name = zh.value.trim().slice(0, limit);
    if (en.value.trim() || !name) return;
    const token = zh.form && zh.form.querySelector("input[name=csrfmiddlewaretoken]");
    const body = new URLSearchParams({name: name});
    fetch(url, {
      method: "POST", credentials: "same-origin", body: body,
      headers: {"X-CSRFToken": token ? token.value : ""},
    })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && !en.value.trim()) en.value = data.name_en; });
  });
})();
