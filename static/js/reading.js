/* Majlis reading state: the posts of a thread page that scroll into view are reported read, in
   batches (every few seconds, and when the page is hidden), with the post last looked at. Posts the
   member has not read yet carry an "unread" mark until then. Without this script the page's
   no-script image reports the posts the page showed. */
(function () {
  "use strict";

  const marker = document.getElementById("reading");
  const posts = document.getElementById("posts");
  if (!marker || !posts || !("IntersectionObserver" in window)) return;

  const url = marker.dataset.readUrl;
  const me = Number(marker.dataset.userId);
  const opened = marker.dataset.opened === "true";
  const readThrough = Number(marker.dataset.readThrough || 0);
  // Posts older than the unread window are read to everyone (UNREAD_WINDOW_DAYS).
  const unreadAfter = Date.parse(marker.dataset.unreadAfter || "") || 0;
  const beyond = new Set((marker.dataset.readBeyond || "").split(",").filter(Boolean).map(Number));
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const reported = new Set();
  const pending = new Set();
  let seen = null;
  let timer = null;

  function tooOld(article) {
    const time = article.querySelector("time[datetime]");
    return time !== null && Date.parse(time.getAttribute("datetime")) <= unreadAfter;
  }
  function postId(article) { return Number(article.dataset.postId); }
  function known(id) { return reported.has(id) || (opened && (id <= readThrough || beyond.has(id))); }

  function flush() {
    timer = null;
    if (!pending.size) return;
    const ids = Array.from(pending);
    pending.clear();
    const form = new URLSearchParams({ ids: ids.join(","), csrf_token: token });
    if (seen !== null) form.set("seen", String(seen));
    fetch(url, { method: "POST", credentials: "same-origin", keepalive: true, body: form }).catch(function () { ids.forEach(function (id) { reported.delete(id); pending.add(id); }); });
  }

  function schedule() { if (!timer) timer = window.setTimeout(flush, 2000); }

  const observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      const tall = entry.boundingClientRect.height > window.innerHeight * 0.6;
      if (entry.intersectionRatio < 0.6 && !tall) return;
      const article = entry.target;
      const id = postId(article);
      seen = id;
      window.setTimeout(function () { article.classList.remove("unread"); }, 4000);  // seen, then it fades
      observer.unobserve(article);
      if (known(id)) { schedule(); return; }
      reported.add(id);
      pending.add(id);
      schedule();
    });
  }, { threshold: [0, 0.6, 1] });

  function watch(article) {
    if (!article.dataset.postId) return;
    const id = postId(article);
    if (opened && !known(id) && Number(article.dataset.authorId) !== me && !article.classList.contains("removed") && !tooOld(article)) {
      article.classList.add("unread");
    }
    observer.observe(article);
  }

  posts.querySelectorAll("article.post").forEach(watch);
  /* Posts that arrive live are watched too. */
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      change.addedNodes.forEach(function (node) {
        if (node.nodeType !== 1) return;
        if (node.matches("article.post")) watch(node);
        node.querySelectorAll("article.post").forEach(watch);
      });
    });
  }).observe(posts, { childList: true, subtree: true });

  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") flush(); });
  window.addEventListener("pagehide", flush);
})();
