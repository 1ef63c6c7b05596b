// Unsaved input is not lost without a warning.
// - Leaving a page whose form was changed and not sent asks first (beforeunload).
// - A few minutes before the login session ends, such a page shows a banner offering 保持登录, which posts to
//   the keep-alive endpoint (body data-session-keepalive-url) and moves the end (data-session-expires-at, Unix
//   seconds) later. Forms marked data-unsaved-ignore (language switch, filters) do not count.
(function () {
  const body = document.body;
  const strings = JSON.parse((document.getElementById("iodp-i18n") || {}).textContent || "{}");
  const WARN_SECONDS = 10 * 60;
  const dirty = new Set();
  let sending = false;

  function trackedForm(target) {
    const form = target && target.form ? target.form : target && target.closest && target.closest("form");
    if (!form || (form.method || "").toLowerCase() !== "post" || form.hasAttribute("data-unsaved-ignore")) return null;
    return form;
  }
  function markDirty(event) {
    const form = trackedForm(event.target);
    if (form) { dirty.add(form); check(); }
  }
  document.addEventListener("input", markDirty);
  document.addEventListener("change", markDirty);
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) { sending = true; dirty.delete(event.target); }
  });
  window.addEventListener("beforeunload", function (event) {
    if (sending || dirty.size === 0) return;
    event.preventDefault();
    event.returnValue = "";  // the browser shows its own "leave this page?" question
  });

  const keepAliveUrl = body.dataset.sessionKeepaliveUrl;
  let expiresAt = Number(body.dataset.sessionExpiresAt) || 0;
  if (!keepAliveUrl || !expiresAt) return;
  // The browser's clock may differ from the server's: count from the page's own load time.
  const skew = Date.now() / 1000 - (Number(body.dataset.sessionNow) || Date.now() / 1000);
  let banner = null;

  function secondsLeft() { return expiresAt + skew - Date.now() / 1000; }
  // Built once and only its text changed afterwards: a click on 保持登录 blurs the field, whose change event
  // re-checks the time, and a rebuilt button would lose that click.
  function showBanner(text, withButton, kind) {
    if (!banner) {
      banner = document.createElement("div");
      banner.setAttribute("role", "alert");
      banner.dataset.testid = "session-warning";
      banner.appendChild(document.createElement("span"));
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-primary ms-2";
      button.textContent = strings.keepAlive || "Keep me logged in";
      button.setAttribute("data-session-keepalive", "");
      banner.appendChild(button);
      document.body.appendChild(banner);
    }
    banner.className = "alert session-warning shadow alert-" + kind;
    banner.firstChild.textContent = text;
    banner.lastChild.hidden = !withButton;
  }
  function check() {
    if (dirty.size === 0) return;
    const left = secondsLeft();
    if (left <= 0) {
      showBanner(strings.sessionExpired || "", false, "danger");
    } else if (left <= WARN_SECONDS) {
      const minutes = String(Math.max(1, Math.ceil(left / 60)));
      showBanner((strings.sessionExpiring || "").replace("{minutes}", minutes), true, "warning");
    }
  }
  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-session-keepalive]")) return;
    // An ended session answers with a redirect to the login page: not followed, it reads as "expired".
    fetch(keepAliveUrl, {method: "POST", credentials: "same-origin", redirect: "manual",
                         headers: {"X-CSRFToken": csrfToken()}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.expires_in) {
          expiresAt = Date.now() / 1000 - skew + data.expires_in;
          showBanner(strings.sessionKept || "", false, "success");
          setTimeout(function () { if (banner) { banner.remove(); banner = null; } }, 4000);
        } else {
          showBanner(strings.sessionExpired || "", false, "danger");
        }
      });
  });
  setInterval(check, 30 * 1000);
})();
