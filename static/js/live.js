/* Majlis live updates: every room event carries a per-room sequence number. The page remembers the
   last one it applied; on (re)connect it asks for what it missed, and whenever an event arrives out of
   order it fetches the gap first, so nothing is applied twice or lost. Without this script (or with
   the socket down) the pages still work by reload. */
(function () {
  "use strict";

  const body = document.body;
  const userId = body.dataset.userId ? Number(body.dataset.userId) : null;
  const statusEl = document.getElementById("live-status");

  function setStatus(state) {
    if (!statusEl) return;
    statusEl.hidden = false;
    statusEl.dataset.state = state;
    statusEl.textContent = statusEl.dataset[state] || state;
  }

  function announce(regionId, text) {
    const region = document.getElementById(regionId) || document.getElementById("global-announcer");
    if (!region) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function fragment(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content;
  }

  /* One feed per room: applies events strictly in sequence order, exactly once. */
  class RoomFeed {
    constructor(socket, kind, id, lastSeq, apply) {
      this.socket = socket;
      this.kind = kind;
      this.id = id;
      this.room = kind + ":" + id;
      this.last = lastSeq;
      this.apply = apply;
      this.pending = new Map();
      this.fetching = false;
    }

    join() {
      this.socket.emit("join", { kind: this.kind, id: this.id, since: this.last }, (ack) => this.takeReplay(ack));
    }

    takeReplay(ack) {
      this.fetching = false;
      if (!ack || !ack.ok) return;
      if (ack.reload) { this.mustReload(); return; }
      ack.events.forEach((envelope) => this.receive(envelope));
    }

    receive(envelope) {
      if (envelope.seq <= this.last) return; // already applied
      this.pending.set(envelope.seq, envelope);
      this.drain();
      if (this.pending.size) this.fillGap();
    }

    drain() {
      while (this.pending.has(this.last + 1)) {
        const envelope = this.pending.get(this.last + 1);
        this.pending.delete(this.last + 1);
        try { this.apply(envelope); } catch (error) { console.error("live update failed", error); }
        this.last = envelope.seq;
      }
      for (const seq of Array.from(this.pending.keys())) if (seq <= this.last) this.pending.delete(seq);
    }

    fillGap() {
      if (this.fetching) return;
      this.fetching = true;
      this.socket.emit("replay", { kind: this.kind, id: this.id, since: this.last }, (ack) => this.takeReplay(ack));
    }

    mustReload() {
      const notice = document.getElementById("elsewhere-notice") || document.getElementById("new-threads-bar");
      if (notice) notice.hidden = false;
    }
  }

  /* ---- thread page ---- */
  /* Post events carry ids, never markup: the posts they name (created, edited, hidden, deleted or
     restored alike) are fetched from the thread's /posts route, rendered from the current row by the
     page's own template for this reader (with the controls a reload would show), and swapped in.
     This script builds no markup. Events are queued and applied in order once their markup is in;
     events that arrive together share one request. */
  function threadApplier(section) {
    const view = section.dataset.view;
    const onLastPage = section.dataset.page === section.dataset.pages;
    const canModerate = section.dataset.canModerate === "true";
    const postsUrl = section.dataset.postsUrl;
    const POSTS_PER_REQUEST = 50; // LIVE_POSTS_MAX in app/discussions/routes.py
    const needsMarkup = new Set(["post_created", "post_edited", "post_removed", "post_restored", "post_reacted"]);
    let queue = [];
    let scheduled = false;
    let applying = Promise.resolve();

    function markFresh(article) {
      article.classList.add("fresh");
      window.setTimeout(function () { article.classList.remove("fresh"); }, 3000);
    }

    function showNotice(id) {
      const notice = document.getElementById(id);
      if (notice) notice.hidden = false;
    }

    function showElsewhereNotice() { showNotice("elsewhere-notice"); }

    /* A reply's parent shows its branch (rendered hidden while it had no replies) with the count of
       replies a reload would show. */
    function showBranch(container, label) {
      const branch = container.parentElement;
      if (!branch.matches("details.branch")) return; // the thread's own list of posts
      branch.hidden = false;
      if (label) branch.querySelector(":scope > summary").textContent = label;
    }

    function insertPost(data, fetched) {
      if (document.getElementById("p" + data.post_id)) return;
      let container = null;
      if (view === "tree") {
        container = data.parent_id ? section.querySelector('ol.replies[data-parent-id="' + data.parent_id + '"]') : null;
      } else if (onLastPage) {
        container = document.getElementById("posts");
      }
      const html = fetched.html.get(data.post_id);
      if (!container || !html) { showElsewhereNotice(); return; }
      const node = fragment(html).firstElementChild;
      container.appendChild(node);
      if (view === "tree") showBranch(container, fetched.replyLabels[String(data.parent_id)]);
      markFresh(node.querySelector("article"));
      refreshReading();  // the header's count of what is new
      const label = section.dataset.newPostLabel || "";
      announce("live-announcer", label.replace("{name}", data.author));
    }

    /* The post as the server renders it now; false when it is not on this page or could not be fetched. */
    function refreshPost(data, fetched) {
      const article = document.getElementById("p" + data.post_id);
      const html = fetched.html.get(data.post_id);
      if (!article || !html) return false;
      const fresh = fragment(html).firstElementChild.querySelector("article");
      article.replaceWith(fresh);
      markFresh(fresh);
      return true;
    }

    /* The removed post's placeholder as the server renders it for this reader. Should its rendering
       not arrive (the request failed), its text still goes, and the page says it is out of date. */
    function removePost(data, fetched) {
      if (refreshPost(data, fetched)) return;
      const article = document.getElementById("p" + data.post_id);
      if (!article) return;
      article.querySelectorAll(".body, .post-actions > *").forEach((node) => node.remove());
      showNotice("stale-notice");
    }

    /* Only the post's reactions change: swap them in without flashing the post. */
    function refreshReactions(data, fetched) {
      const article = document.getElementById("p" + data.post_id);
      const html = fetched.html.get(data.post_id);
      if (!article || !html) return;
      const fresh = fragment(html).firstElementChild.querySelector("article .reactions");
      const current = article.querySelector(".reactions");
      if (current && fresh) current.replaceWith(fresh);
      else if (current) current.remove();
      else if (fresh) article.querySelector(".post-actions").appendChild(fresh);
    }

    function changeThread(data, fetched) {
      const toggle = (selector, on) => section.querySelectorAll(selector).forEach((el) => { el.hidden = !on; });
      toggle(".pinned-badge", data.pinned);
      toggle(".locked-badge", data.locked);
      toggle(".locked-notice", data.locked);
      const form = document.getElementById("reply-form");
      if (form) form.hidden = data.locked && !canModerate;
      const title = section.querySelector(".thread-header h1");
      if (title && fetched && fetched.title) title.textContent = fetched.title;
    }

    function showCount(answer) {
      const count = document.getElementById("post-count");
      if (count && answer.post_count_label) count.textContent = answer.post_count_label;
    }

    const handlers = {
      post_created: insertPost,
      post_edited: refreshPost,
      post_removed: removePost,
      post_restored: refreshPost,
      post_reacted: refreshReactions,
      thread_changed: changeThread,
    };

    function fetchChunk(ids) {
      const url = postsUrl + "?view=" + encodeURIComponent(view) + "&ids=" + ids.join(",");
      return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : null))
        .catch(() => null);
    }

    /* The route answers at most POSTS_PER_REQUEST posts at a time (a long replay takes several). */
    function fetchMarkup(ids, titleChanged) {
      if ((!ids.length && !titleChanged) || !postsUrl) return Promise.resolve(null);
      const chunks = ids.length ? [] : [[]];
      for (let i = 0; i < ids.length; i += POSTS_PER_REQUEST) chunks.push(ids.slice(i, i + POSTS_PER_REQUEST));
      return Promise.all(chunks.map(fetchChunk)).then(function (answers) {
        const got = answers.filter(Boolean);
        if (!got.length) return null;
        const last = got[got.length - 1];
        return {
          posts: [].concat(...got.map((answer) => answer.posts)),
          title: last.title,
          post_count_label: last.post_count_label,
          reply_count_labels: Object.assign({}, ...got.map((answer) => answer.reply_count_labels)),
        };
      });
    }

    function flush() {
      scheduled = false;
      const batch = queue;
      queue = [];
      const ids = Array.from(new Set(batch.filter((e) => needsMarkup.has(e.type)).map((e) => e.data.post_id)));
      const titleChanged = batch.some((e) => e.type === "thread_changed" && e.data.change === "title");
      const loading = fetchMarkup(ids, titleChanged);
      applying = applying.then(() => loading).then(function (answer) {
        const fetched = {
          html: new Map(answer ? answer.posts.map((post) => [post.id, post.html]) : []),
          replyLabels: (answer && answer.reply_count_labels) || {},
          title: answer && answer.title,
        };
        batch.forEach(function (envelope) {
          try { (handlers[envelope.type] || function () {})(envelope.data, fetched); } catch (error) { console.error("live update failed", error); }
        });
        if (answer) showCount(answer);
      });
    }

    return function (envelope) {
      queue.push(envelope);
      if (!scheduled) { scheduled = true; window.setTimeout(flush, 0); }
    };
  }

  function enhanceReplyForm(section, socket) {
    const form = document.getElementById("reply-form");
    if (!form) return;
    const parentInput = document.getElementById("parent_id");
    const replyingTo = document.getElementById("replying-to");
    const replyingLink = document.getElementById("replying-to-link");
    const textarea = form.querySelector("textarea");
    const threadId = Number(section.dataset.threadId);

    function aimAt(postId) {
      parentInput.value = postId || "";
      replyingTo.hidden = !postId;
      if (postId) {
        replyingLink.textContent = "#" + postId;
        replyingLink.href = "#p" + postId;
      }
    }

    /* A restored draft answers the post it was written to. */
    form.addEventListener("draft-restored", function (event) { aimAt(event.detail.parent_id || ""); });

    section.addEventListener("click", function (event) {
      const reply = event.target.closest("[data-reply-to]");
      const quote = event.target.closest("[data-quote]");
      const toThread = event.target.closest("#reply-to-thread");
      if (toThread) { event.preventDefault(); aimAt(null); textarea.focus(); return; }
      if (!reply && !quote) return;
      event.preventDefault();
      const postId = (reply || quote).dataset.replyTo || quote.dataset.quote;
      aimAt(postId);
      if (quote) {
        const article = document.getElementById("p" + postId);
        const bodyEl = article && article.querySelector(".body");
        const profile = article && article.querySelector(".author a");
        const username = profile ? decodeURIComponent(profile.getAttribute("href").split("/").pop()) : "";
        const lines = bodyEl ? bodyEl.innerText.trim().split("\n").map((line) => "> " + line) : [];
        /* As the server quotes (services.quote): the author, and a link back to the quoted post. */
        const heading = (username ? "@" + username + " " : "") + "[" + (section.dataset.wroteLabel || "wrote ↩") + "](/p/" + postId + "):\n";
        textarea.value = heading + lines.join("\n") + "\n\n" + textarea.value;
      }
      textarea.focus();
    });

    let lastTyping = 0;
    textarea.addEventListener("input", function () {
      const now = Date.now();
      if (now - lastTyping < 3000) return;
      lastTyping = now;
      socket.emit("typing", { id: threadId });
    });
    form.addEventListener("submit", function () { socket.emit("typing", { id: threadId, stopped: true }); });
  }

  /* A reaction is sent without leaving the page; the room's post_reacted event redraws it. */
  function enhanceReactions(section) {
    section.addEventListener("submit", function (event) {
      const form = event.target;
      if (!form.classList || !form.classList.contains("reactions")) return;
      event.preventDefault();
      const body = new FormData(form);
      if (event.submitter && event.submitter.name) body.set(event.submitter.name, event.submitter.value);
      fetch(form.action, { method: "POST", credentials: "same-origin", body: body, headers: { Accept: "application/json" } })
        .then(function (response) { if (!response.ok) form.submit(); })
        .catch(function () { form.submit(); });
    });
  }

  function showPresence(section, data) {
    const line = document.getElementById("presence");
    if (!line || data.room !== "thread:" + section.dataset.threadId) return;
    line.textContent = line.dataset.template
      .replace("{reading}", String(data.reading))
      .replace("{replying}", String(data.replying));
  }

  /* ---- community page ---- */
  function communityApplier(section) {
    let newThreads = 0;
    const bar = document.getElementById("new-threads-bar");
    const link = document.getElementById("new-threads-link");
    const relative = new Intl.RelativeTimeFormat(document.documentElement.lang || "en", { numeric: "auto" });

    return function (envelope) {
      const data = envelope.data;
      if (envelope.type === "thread_created") {
        newThreads += 1;
        const label = newThreads === 1 ? section.dataset.newThreadLabel : section.dataset.newThreadsLabel.replace("{n}", String(newThreads));
        link.textContent = label;
        bar.hidden = false;
        announce("community-announcer", label);
      } else if (envelope.type === "thread_activity") {
        const row = document.getElementById("thread-row-" + data.thread_id);
        if (!row) return;
        row.querySelector(".post-count").textContent = String(data.post_count);
        const time = row.querySelector(".latest time");
        time.dateTime = data.last_activity_at;
        time.textContent = relative.format(0, "second");
        refreshReading();
      }
    };
  }

  /* On a phone the counts sit in the folded menu: its button carries a mark while one is showing. */
  function markMenu() {
    const button = document.getElementById("menu-button");
    if (!button) return;
    const shown = ["new-count", "notification-count"].some(function (id) {
      const count = document.getElementById(id);
      return count && !count.hidden && count.textContent.trim() !== "0";
    });
    button.toggleAttribute("data-news", shown);
    const note = button.querySelector(".menu-news");
    if (note) note.hidden = !shown;
  }

  /* ---- reading state: the header's "New" count and the list rows' "N new" ---- */
  const newLink = document.getElementById("new-link");
  let readingTimer = null;

  function showReading(answer) {
    const count = document.getElementById("new-count");
    if (count) { count.textContent = String(answer.count); count.hidden = !answer.count; }
    markMenu();
    document.querySelectorAll("tr[data-thread-id]").forEach(function (row) {
      const badge = row.querySelector(".new-count");
      const link = row.querySelector("a.thread-link");
      if (!badge || !link) return;
      const state = answer.threads[row.dataset.threadId];
      badge.hidden = !state;
      badge.textContent = state ? state.label : "";
      link.classList.toggle("unread", Boolean(state));
      if (state) link.href = state.href;
    });
  }

  /* Asks again for the counts shortly after something changed (a post arrived, the member read on another device). */
  function refreshReading() {
    if (!newLink) return;
    window.clearTimeout(readingTimer);
    readingTimer = window.setTimeout(function () {
      const rows = Array.from(document.querySelectorAll("tr[data-thread-id]")).map((row) => row.dataset.threadId);
      const url = newLink.dataset.countUrl + (rows.length ? "?threads=" + rows.join(",") : "");
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : null))
        .then(function (answer) { if (answer) showReading(answer); })
        .catch(function () {});
    }, 300);
  }

  /* ---- notifications ---- */
  function notificationApplier() {
    return function (envelope) {
      const count = document.getElementById("notification-count");
      if (!count) return;
      const unread = envelope.data.unread;
      count.textContent = String(unread);
      count.hidden = !unread;
      markMenu();
      if (envelope.type === "notification") {
        announce("global-announcer", body.dataset.newNotificationLabel || "New notification");
      }
    };
  }

  /* The rooms this page follows: its thread, its community, the signed-in person's notifications. */
  function pageFeeds() {
    const threadSection = document.getElementById("thread");
    const communitySection = document.getElementById("community");
    const wanted = [];
    if (threadSection) {
      wanted.push(["thread", Number(threadSection.dataset.threadId), Number(threadSection.dataset.seq), threadApplier(threadSection)]);
    }
    if (communitySection) {
      wanted.push(["community", Number(communitySection.dataset.communityId), Number(communitySection.dataset.seq), communityApplier(communitySection)]);
    }
    if (userId !== null) wanted.push(["user", userId, Number(body.dataset.userSeq || 0), notificationApplier()]);
    return wanted;
  }

  /* Pages that follow no room where posts arrive (the home page, search, settings) ask again every
     minute while they are in view, so the header's count still moves when others post. */
  function keepReadingFresh() {
    if (!newLink || document.getElementById("thread") || document.getElementById("community")) return;
    window.setInterval(function () { if (document.visibilityState === "visible") refreshReading(); }, 60000);
  }

  function start() {
    refreshReading();
    keepReadingFresh();
    if (typeof io === "undefined") return;
    const wanted = pageFeeds();
    if (!wanted.length) return; // a page with no live feed opens no socket
    const socket = io({ transports: ["websocket", "polling"] });
    const feeds = new Map();
    for (const [kind, id, seq, apply] of wanted) {
      const feed = new RoomFeed(socket, kind, id, seq, apply);
      feeds.set(feed.room, feed);
    }
    const threadSection = document.getElementById("thread");
    if (threadSection) {
      enhanceReplyForm(threadSection, socket);
      enhanceReactions(threadSection);
      socket.on("presence", (data) => showPresence(threadSection, data));
    }

    /* Silent until the first connection: a page that never connects says nothing, rather than
       "reconnecting" about a connection it never had. */
    let connectedOnce = false;
    socket.on("connect", function () {
      connectedOnce = true;
      setStatus("live");
      feeds.forEach((feed) => feed.join());
    });
    socket.on("disconnect", function () { if (connectedOnce) setStatus("reconnecting"); });
    socket.on("session_revoked", function () { socket.disconnect(); setStatus("offline"); });
    socket.on("access_ended", function (data) {  // the room was closed to this reader: the page is stale
      const feed = data && feeds.get(data.room);
      if (feed) { feeds.delete(data.room); feed.mustReload(); }
    });
    socket.on("reading", refreshReading);  // the member read something, here or on another device
    socket.on("room_event", function (envelope) {
      const feed = feeds.get(envelope.room);
      if (feed) feed.receive(envelope);
    });
    window.majlisLive = { socket: socket, feeds: feeds };
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
