// Organization typeahead: a text box searching the national registry as the user types; the chosen id goes in a
// hidden input. Attached by event delegation on the document, so it works in formset rows added later
// ("添加一行" clones a <template>). Also: duplicate hints on the "新增国际组织" form ([data-org-dup-check]).
(function () {
  if (window.iodpOrgTypeahead) return;  // loaded once even if several widgets include it
  window.iodpOrgTypeahead = true;

  const timers = new WeakMap();
  const DELAY = 200;

  function boxOf(el) { return el.closest("[data-org-typeahead]"); }
  function menuOf(box) { return box.querySelector("[data-org-typeahead-menu]"); }
  function inputOf(box) { return box.querySelector("[data-org-typeahead-input]"); }
  function valueOf(box) { return box.querySelector("[data-org-typeahead-value]"); }

  // Translated text comes from the page (base.html renders it into #iodp-i18n).
  const i18nBlock = document.getElementById("iodp-i18n");
  const i18n = i18nBlock ? JSON.parse(i18nBlock.textContent) : {};

  function statusLabel(status) {
    return ["draft", "submitted", "returned"].indexOf(status) >= 0 ? (i18n[status] || "") : "";
  }

  function search(url, query) {
    const target = url + (url.indexOf("?") >= 0 ? "&" : "?") + "q=" + encodeURIComponent(query);
    return fetch(target, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {results: []}; })
      .catch(function () { return {results: []}; });
  }

  function close(box) {
    const menu = menuOf(box);
    menu.hidden = true;
    menu.replaceChildren();
    inputOf(box).setAttribute("aria-expanded", "false");
  }

  function render(box, results, query) {
    const menu = menuOf(box);
    menu.replaceChildren();
    if (!results.length) {
      const empty = document.createElement("div");
      empty.className = "list-group-item small text-muted";
      empty.textContent = (i18n.orgNotFound || "{query}").replace("{query}", query);
      menu.appendChild(empty);
    }
    results.forEach(function (item, index) {
      const option = document.createElement("button");
      option.type = "button";
      option.className = "list-group-item list-group-item-action py-1" + (index === 0 ? " active" : "");
      option.setAttribute("role", "option");
      option.dataset.orgId = String(item.id);
      option.dataset.orgLabel = item.label;
      const title = document.createElement("div");
      title.textContent = item.label;  // textContent: names are never interpreted as HTML
      const status = statusLabel(item.status);
      if (status) {
        const badge = document.createElement("span");
        badge.className = "badge text-bg-secondary ms-1";
        badge.textContent = status;
        title.appendChild(badge);
      }
      option.appendChild(title);
      if (item.name_en) {
        const sub = document.createElement("div");
        sub.className = "small text-muted";
        sub.textContent = item.name_en;
        option.appendChild(sub);
      }
      menu.appendChild(option);
    });
    menu.hidden = false;
    inputOf(box).setAttribute("aria-expanded", "true");
  }

  // Multiple mode ([data-org-multiple]): each choice becomes a removable chip holding a hidden input.
  function addChip(box, option) {
    const chips = box.querySelector("[data-org-chips]");
    const id = option.dataset.orgId;
    if (!chips.querySelector('input[type=hidden][value="' + id + '"]')) {
      const chip = document.createElement("span");
      chip.className = "badge text-bg-light border me-1 mb-1";
      chip.dataset.orgChip = "";
      chip.append(option.dataset.orgLabel + " ");
      const hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.name = box.dataset.name; hidden.value = id;
      const remove = document.createElement("button");
      remove.type = "button"; remove.className = "btn-close btn-close-sm"; remove.dataset.orgChipRemove = "";
      remove.setAttribute("aria-label", i18n.remove || "x");
      chip.append(hidden, remove);
      chips.appendChild(chip);
    }
    inputOf(box).value = "";
    close(box);
  }

  function choose(box, option) {
    if (box.hasAttribute("data-org-multiple")) { addChip(box, option); return; }
    valueOf(box).value = option.dataset.orgId;
    inputOf(box).value = option.dataset.orgLabel;
    inputOf(box).dataset.chosenLabel = option.dataset.orgLabel;
    valueOf(box).dispatchEvent(new Event("change", {bubbles: true}));
    close(box);
  }

  document.addEventListener("input", function (event) {
    const input = event.target.closest("[data-org-typeahead-input]");
    if (input) {
      const box = boxOf(input);
      // Typing after a choice invalidates it: never submit an id that no longer matches the text.
      if (valueOf(box) && input.value !== input.dataset.chosenLabel) { valueOf(box).value = ""; }
      clearTimeout(timers.get(input));
      const query = input.value.trim();
      if (!query) { close(box); return; }
      timers.set(input, setTimeout(function () {
        search(box.dataset.searchUrl, query).then(function (data) {
          if (input.value.trim() === query) render(box, data.results || [], query);
        });
      }, DELAY));
      return;
    }
    const dupInput = event.target.closest("[data-org-dup-check] input[type=text]");
    if (dupInput) { duplicateCheck(dupInput); }
  });

  document.addEventListener("keydown", function (event) {
    const input = event.target.closest("[data-org-typeahead-input]");
    if (!input) return;
    const box = boxOf(input);
    const menu = menuOf(box);
    if (menu.hidden) return;
    const options = Array.from(menu.querySelectorAll("[data-org-id]"));
    const current = options.findIndex(function (o) { return o.classList.contains("active"); });
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!options.length) return;
      const next = (current + (event.key === "ArrowDown" ? 1 : -1) + options.length) % options.length;
      options.forEach(function (o, i) { o.classList.toggle("active", i === next); });
    } else if (event.key === "Enter") {
      if (current >= 0) { event.preventDefault(); choose(box, options[current]); }
    } else if (event.key === "Escape") {
      close(box);
    }
  });

  document.addEventListener("click", function (event) {
    const remove = event.target.closest("[data-org-chip-remove]");
    if (remove) { remove.closest("[data-org-chip]").remove(); return; }
    const option = event.target.closest("[data-org-typeahead-menu] [data-org-id]");
    if (option) { choose(boxOf(option), option); return; }
    document.querySelectorAll("[data-org-typeahead-menu]:not([hidden])").forEach(function (menu) {
      if (!boxOf(menu).contains(event.target)) close(boxOf(menu));
    });
  });

  // "新增国际组织": while the names are typed, show organizations already in the registry.
  function duplicateCheck(input) {
    const form = input.closest("[data-org-dup-check]");
    const panel = document.querySelector(form.dataset.orgDupCheck);
    if (!panel) return;
    clearTimeout(timers.get(form));
    timers.set(form, setTimeout(function () {
      const queries = ["name_zh", "name_en", "acronym"].map(function (name) {
        const field = form.querySelector("input[name=" + name + "]");
        return field ? field.value.trim() : "";
      }).filter(function (q) { return q.length >= 2; });
      if (!queries.length) { panel.hidden = true; return; }
      Promise.all(queries.map(function (q) { return search(panel.dataset.searchUrl, q); })).then(function (all) {
        const seen = new Set();
        const list = panel.querySelector("[data-dup-list]");
        list.replaceChildren();
        const self = panel.dataset.selfId;
        all.forEach(function (data) {
          (data.results || []).slice(0, 5).forEach(function (item) {
            if (seen.has(item.id) || String(item.id) === self) return;
            seen.add(item.id);
            const li = document.createElement("li");
            const link = document.createElement("a");
            link.href = item.url; link.target = "_blank"; link.rel = "noopener";
            link.textContent = item.label + (item.name_en ? " · " + item.name_en : "");
            li.appendChild(link);
            list.appendChild(li);
          });
        });
        panel.hidden = seen.size === 0;
      });
    }, DELAY + 100));
  }
})();
