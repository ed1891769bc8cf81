/* Majlis page comfort, on every page: the compact header's menu button, and keyboard shortcuts
   (j/k next and previous post, r reply, / search, ? the list of shortcuts). Loaded in <head>: it marks
   the page as scripted at once, so the small-screen header collapses before it is drawn. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");
  const STORE = "majlis-shortcuts";

  function shortcutsOn() {
    try { return window.localStorage.getItem(STORE) !== "off"; } catch (error) { return true; }
  }

  function setupMenu() {
    const button = document.getElementById("menu-button");
    const menu = document.getElementById("site-menu");
    if (!button || !menu) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      const open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("open", open);
    });
  }

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']") !== null;
  }

  function posts() { return Array.from(document.querySelectorAll("#posts article.post")); }

  function moveBy(step) {
    const all = posts();
    if (!all.length) return;
    const current = all.findIndex((post) => post.classList.contains("keyboard-current"));
    let next = current === -1 ? (step > 0 ? 0 : all.length - 1) : current + step;
    next = Math.max(0, Math.min(all.length - 1, next));
    if (current !== -1) all[current].classList.remove("keyboard-current");
    const post = all[next];
    post.classList.add("keyboard-current");
    post.setAttribute("tabindex", "-1");
    post.focus({ preventScroll: true });
    post.scrollIntoView({ block: "start", behavior: "smooth" });
  }

  function reply() {
    const current = document.querySelector("#posts article.post.keyboard-current");
    const link = current && current.querySelector(".reply-link");
    if (link) { link.click(); return; }
    const box = document.querySelector("#reply-form textarea");
    if (box) box.focus();
  }

  function showHelp() {
    const dialog = document.getElementById("shortcuts-help");
    if (dialog && typeof dialog.showModal === "function" && !dialog.open) dialog.showModal();
  }

  function setupShortcuts() {
    const dialog = document.getElementById("shortcuts-help");
    const toggle = document.getElementById("shortcuts-toggle");
    if (toggle) {
      toggle.checked = shortcutsOn();
      toggle.addEventListener("change", function () {
        try { window.localStorage.setItem(STORE, toggle.checked ? "on" : "off"); } catch (error) { /* private mode */ }
      });
    }
    if (dialog) dialog.querySelector(".close-dialog").addEventListener("click", () => dialog.close());
    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      if (event.key === "?") { event.preventDefault(); showHelp(); return; }  // always: the list turns them back on
      if (!shortcutsOn()) return;
      const actions = {
        j: () => moveBy(1),
        k: () => moveBy(-1),
        r: reply,
        "/": () => { const search = document.getElementById("header-search-q"); if (search) search.focus(); },
      };
      const action = actions[event.key];
      if (action) { event.preventDefault(); action(); }
    });
  }

  function start() { setupMenu(); setupShortcuts(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
