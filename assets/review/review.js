// Crowfoot review page: pan and zoom over the inline SVG diagram (the same drawing as
// `crowfoot render -o x.svg`), cards and edges outside the view hidden, table names drawn at a
// readable size when zoomed out, search, a detail panel per table, saved views, problems and
// the change overlay. Every name and text comes from the JSON island and is written with
// textContent only: nothing from the schema is ever parsed as HTML.
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("crowfoot-data").textContent);
  var root = document.documentElement;
  var viewport = document.getElementById("viewport");
  var stage = document.getElementById("stage");
  var svg = stage.querySelector("svg");
  var labels = document.getElementById("labels");
  var detail = document.getElementById("detail");
  var searchBox = document.getElementById("search");
  var VB = D.view; // the SVG's viewBox: canvas units
  var byName = {};
  var cards = [];
  var cardEls = svg.querySelectorAll("g.card");
  var elById = {};
  for (var i = 0; i < cardEls.length; i++) {
    elById[cardEls[i].getAttribute("data-id")] = cardEls[i];
  }
  D.tables.forEach(function (t, i) {
    byName[t.name] = i;
    cards.push(elById[String(t.id)]);
  });
  var edgeEls = {};
  svg.querySelectorAll("g.edge").forEach(function (g) {
    edgeEls[g.getAttribute("data-fk")] = g;
  });

  // ----- view: canvas point (x, y) shows at screen (x - VB.x0) * s + tx -----
  var s = 1, tx = 0, ty = 0;
  var MIN = 0.02, MAX = 4;
  var frameQueued = false;
  // While the view moves the stage is one composited layer (cheap to move, blurry when
  // scaled); 200 ms after the last move it is drawn again at its scale, crisp.
  var settle = 0;
  function schedule() {
    stage.style.willChange = "transform";
    clearTimeout(settle);
    settle = setTimeout(function () { stage.style.willChange = "auto"; }, 200);
    if (!frameQueued) {
      frameQueued = true;
      requestAnimationFrame(frame);
    }
  }
  function frame() {
    frameQueued = false;
    stage.style.transform = "translate(" + tx + "px," + ty + "px) scale(" + s + ")";
    document.getElementById("zoom-level").textContent = (s * 100 < 10 ? (s * 100).toFixed(1) : Math.round(s * 100)) + "%";
    cull();
    drawLabels();
  }
  function screenRect(t) {
    return {
      x0: (t.x - VB.x0) * s + tx,
      y0: (t.y - VB.y0) * s + ty,
      x1: (t.x + t.w - VB.x0) * s + tx,
      y1: (t.y + t.h - VB.y0) * s + ty
    };
  }
  var W = 0, H = 0;
  function measure() {
    W = viewport.clientWidth;
    H = viewport.clientHeight;
  }
  var visible = [];
  function cull() {
    var m = 80;
    visible = [];
    for (var i = 0; i < D.tables.length; i++) {
      var r = screenRect(D.tables[i]);
      var on = r.x1 > -m && r.x0 < W + m && r.y1 > -m && r.y0 < H + m;
      var el = cards[i];
      if (el) {
        if (on === el.classList.contains("culled")) el.classList.toggle("culled", !on);
      }
      if (on) visible.push(i);
    }
    for (var k = 0; k < D.edges.length; k++) {
      var e = D.edges[k]; // [fk id, x0, y0, x1, y1]: the box its route stays in
      var g = edgeEls[e[0]];
      if (!g) continue;
      var x0 = (e[1] - VB.x0) * s + tx, x1 = (e[3] - VB.x0) * s + tx;
      var y0 = (e[2] - VB.y0) * s + ty, y1 = (e[4] - VB.y0) * s + ty;
      var show = x1 > 0 && x0 < W && y1 > 0 && y0 < H;
      if (show === g.classList.contains("culled")) g.classList.toggle("culled", !show);
    }
  }
  // Below 45 % the cards' own titles are too small: each visible card's name is drawn at 12 px
  // where it fits, the widest tables first, skipping names that would overlap.
  var labelPool = [];
  function drawLabels() {
    var n = 0;
    if (s < 0.45) {
      var order = visible.slice().sort(function (a, b) {
        return D.tables[b].columns.length - D.tables[a].columns.length || a - b;
      });
      var placed = [];
      var cell = 64, grid = {};
      for (var j = 0; j < order.length && n < 600; j++) {
        var t = D.tables[order[j]];
        var r = screenRect(t);
        var cx = (r.x0 + r.x1) / 2, cy = (r.y0 + r.y1) / 2;
        if (cx < 0 || cy < 0 || cx > W || cy > H) continue;
        var w = Math.min(t.name.length * 7 + 8, 260), h = 16;
        var box = [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
        var gx0 = Math.floor(box[0] / cell), gx1 = Math.floor(box[2] / cell);
        var gy0 = Math.floor(box[1] / cell), gy1 = Math.floor(box[3] / cell);
        var clash = false;
        for (var gx = gx0; gx <= gx1 && !clash; gx++) {
          for (var gy = gy0; gy <= gy1 && !clash; gy++) {
            var list = grid[gx + "," + gy] || [];
            for (var q = 0; q < list.length; q++) {
              var o = placed[list[q]];
              if (box[0] < o[2] && o[0] < box[2] && box[1] < o[3] && o[1] < box[3]) {
                clash = true;
                break;
              }
            }
          }
        }
        if (clash) continue;
        placed.push(box);
        for (gx = gx0; gx <= gx1; gx++) {
          for (gy = gy0; gy <= gy1; gy++) {
            (grid[gx + "," + gy] = grid[gx + "," + gy] || []).push(placed.length - 1);
          }
        }
        var span = labelPool[n];
        if (!span) {
          span = document.createElement("span");
          labelPool.push(span);
          labels.appendChild(span);
        }
        if (span.textContent !== t.name) span.textContent = t.name;
        span.style.left = cx + "px";
        span.style.top = cy + "px";
        span.hidden = false;
        n++;
      }
    }
    for (var z = n; z < labelPool.length; z++) labelPool[z].hidden = true;
  }
  function zoomAt(px, py, f) {
    var ns = Math.max(MIN, Math.min(MAX, s * f));
    tx = px - (px - tx) * (ns / s);
    ty = py - (py - ty) * (ns / s);
    s = ns;
    schedule();
  }
  function fit() {
    measure();
    s = Math.max(MIN, Math.min(1, Math.min(W / VB.w, H / VB.h) * 0.98));
    tx = (W - VB.w * s) / 2;
    ty = (H - VB.h * s) / 2;
    schedule();
  }
  function centerOn(x, y, zoom) {
    measure();
    if (zoom) s = Math.max(MIN, Math.min(MAX, zoom));
    tx = W / 2 - (x - VB.x0) * s;
    ty = H / 2 - (y - VB.y0) * s;
    schedule();
  }
  function reveal(i) {
    var t = D.tables[i];
    centerOn(t.x + t.w / 2, t.y + t.h / 2, Math.max(s, 0.8));
  }

  // ----- pointer: drag pans, wheel and pinch zoom, a click without a drag selects -----
  var drag = null;
  var pointers = {};
  viewport.addEventListener("pointerdown", function (e) {
    pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
    viewport.setPointerCapture(e.pointerId);
    drag = { x: e.clientX, y: e.clientY, tx: tx, ty: ty, moved: false, target: e.target };
    viewport.focus();
  });
  viewport.addEventListener("pointermove", function (e) {
    var ids = Object.keys(pointers);
    if (ids.length === 2 && pointers[e.pointerId]) {
      var a = pointers[ids[0]], b = pointers[ids[1]];
      var before = Math.hypot(a.x - b.x, a.y - b.y);
      pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
      a = pointers[ids[0]];
      b = pointers[ids[1]];
      var after = Math.hypot(a.x - b.x, a.y - b.y);
      var rect = viewport.getBoundingClientRect();
      if (before > 0) zoomAt((a.x + b.x) / 2 - rect.left, (a.y + b.y) / 2 - rect.top, after / before);
      if (drag) drag.moved = true;
      return;
    }
    if (pointers[e.pointerId]) pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
    if (!drag) return;
    var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) {
      drag.moved = true;
      viewport.classList.add("dragging");
    }
    if (drag.moved) {
      tx = drag.tx + dx;
      ty = drag.ty + dy;
      schedule();
    }
  });
  function endPointer(e) {
    delete pointers[e.pointerId];
    if (drag && !drag.moved && e.type === "pointerup") {
      var card = drag.target.closest ? drag.target.closest("g.card") : null;
      if (card) card.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    }
    drag = null;
    viewport.classList.remove("dragging");
  }
  viewport.addEventListener("pointerup", endPointer);
  viewport.addEventListener("pointercancel", endPointer);
  svg.addEventListener("click", function (e) {
    var card = e.target.closest("g.card");
    if (!card) return;
    var id = card.getAttribute("data-id");
    for (var i = 0; i < D.tables.length; i++) {
      if (String(D.tables[i].id) === id) {
        select(i, false);
        return;
      }
    }
  });
  viewport.addEventListener("wheel", function (e) {
    e.preventDefault();
    var rect = viewport.getBoundingClientRect();
    var px = e.clientX - rect.left, py = e.clientY - rect.top;
    if (e.ctrlKey || Math.abs(e.deltaY) >= Math.abs(e.deltaX)) {
      zoomAt(px, py, Math.exp(-e.deltaY * (e.ctrlKey ? 0.01 : 0.0015)));
    } else {
      tx -= e.deltaX;
      schedule();
    }
  }, { passive: false });
  document.getElementById("zoom-in").onclick = function () { measure(); zoomAt(W / 2, H / 2, 1.25); };
  document.getElementById("zoom-out").onclick = function () { measure(); zoomAt(W / 2, H / 2, 0.8); };
  document.getElementById("fit").onclick = fit;
  document.addEventListener("keydown", function (e) {
    if (e.target === searchBox) {
      if (e.key === "Escape") { searchBox.value = ""; search(""); }
      return;
    }
    measure();
    if (e.key === "+" || e.key === "=") zoomAt(W / 2, H / 2, 1.25);
    else if (e.key === "-" || e.key === "_") zoomAt(W / 2, H / 2, 0.8);
    else if (e.key === "0" || e.key === "f") fit();
    else if (e.key === "/") { e.preventDefault(); searchBox.focus(); }
    else if (e.key === "Escape") closeDetail();
    else if (e.key === "ArrowLeft") { tx += 60; schedule(); }
    else if (e.key === "ArrowRight") { tx -= 60; schedule(); }
    else if (e.key === "ArrowUp") { ty += 60; schedule(); }
    else if (e.key === "ArrowDown") { ty -= 60; schedule(); }
  });
  window.addEventListener("resize", function () { measure(); schedule(); });

  // ----- small DOM helpers (text only) -----
  function el(tag, text, cls) {
    var x = document.createElement(tag);
    if (text !== undefined && text !== null) x.textContent = String(text);
    if (cls) x.className = cls;
    return x;
  }
  function link(text, i) {
    var a = el("a", text);
    a.onclick = function () { select(i, true); };
    return a;
  }

  // ----- the table list, search -----
  var tableList = document.getElementById("tables");
  D.tables.forEach(function (t, i) {
    var li = el("li", t.name);
    li.appendChild(el("small", t.columns.length));
    li.setAttribute("data-table", t.name);
    li.onclick = function () { select(i, true); };
    tableList.appendChild(li);
  });
  var results = document.getElementById("results");
  var hits = [];
  function search(q) {
    q = q.trim().toLowerCase();
    hits.forEach(function (i) { if (cards[i]) cards[i].classList.remove("hit"); });
    hits = [];
    results.textContent = "";
    if (q) {
      D.tables.forEach(function (t, i) {
        var why = null;
        if (t.name.toLowerCase().indexOf(q) >= 0) why = "table";
        else if ((t.comment || "").toLowerCase().indexOf(q) >= 0) why = "comment";
        else {
          for (var c = 0; c < t.columns.length; c++) {
            var col = t.columns[c];
            if (col.name.toLowerCase().indexOf(q) >= 0 || (col.comment || "").toLowerCase().indexOf(q) >= 0) {
              why = col.name;
              break;
            }
          }
        }
        if (why !== null) {
          hits.push(i);
          if (cards[i]) cards[i].classList.add("hit");
          if (hits.length <= 100) {
            var li = el("li", t.name);
            if (why !== "table") li.appendChild(el("small", why));
            li.onclick = function () { select(i, true); };
            results.appendChild(li);
          }
        }
      });
    }
    document.getElementById("search-count").textContent = q ? hits.length + " match" + (hits.length === 1 ? "" : "es") : "";
    root.setAttribute("data-hits", String(hits.length));
  }
  searchBox.addEventListener("input", function () { search(searchBox.value); });
  searchBox.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && hits.length) select(hits[0], true);
  });

  // ----- the detail panel -----
  var selected = -1;
  function closeDetail() {
    if (selected >= 0 && cards[selected]) cards[selected].classList.remove("sel");
    selected = -1;
    detail.hidden = true;
    if (location.hash.indexOf("#table=") === 0) history.replaceState(null, "", location.pathname + location.search);
  }
  function select(i, move) {
    if (selected >= 0 && cards[selected]) cards[selected].classList.remove("sel");
    selected = i;
    var t = D.tables[i];
    if (cards[i]) cards[i].classList.add("sel");
    document.querySelectorAll("#tables li.sel").forEach(function (x) { x.classList.remove("sel"); });
    if (tableList.children[i]) tableList.children[i].classList.add("sel");
    showDetail(t);
    if (move) reveal(i);
    var hash = "#table=" + encodeURIComponent(t.name);
    if (location.hash !== hash) history.replaceState(null, "", hash);
    root.setAttribute("data-selected", t.name);
  }
  function showDetail(t) {
    detail.textContent = "";
    detail.hidden = false;
    var close = el("button", "×", "close");
    close.title = "Close (Esc)";
    close.onclick = closeDetail;
    detail.appendChild(close);
    detail.appendChild(el("h2", t.name));
    if (t.change) detail.appendChild(el("p", t.change === "added" ? "Added since " + D.compare.other : "Changed since " + D.compare.other));
    if (t.comment) detail.appendChild(el("p", t.comment, "comment"));
    detail.appendChild(el("h3", "Columns (" + t.columns.length + ")"));
    var tbl = el("table");
    var head = el("tr");
    ["", "column", "type", "null", "default"].forEach(function (h) { head.appendChild(el("th", h)); });
    tbl.appendChild(head);
    t.columns.forEach(function (c) {
      var tr = el("tr");
      tr.setAttribute("data-column", c.name);
      tr.appendChild(el("td", c.pk ? "PK" : c.fk ? "FK" : ""));
      var name = el("td", c.name);
      if (c.comment) { name.appendChild(el("br")); name.appendChild(el("span", c.comment, "comment")); }
      (c.tags || []).forEach(function (g) { name.appendChild(el("span", g, "tag")); });
      tr.appendChild(name);
      tr.appendChild(el("td", c.type));
      tr.appendChild(el("td", c.nn ? "not null" : "null"));
      tr.appendChild(el("td", c["default"] || ""));
      tbl.appendChild(tr);
    });
    detail.appendChild(tbl);
    var keys = [];
    if (t.pk.length) keys.push("PRIMARY KEY (" + t.pk.join(", ") + ")");
    t.uniques.forEach(function (u) { keys.push("UNIQUE (" + u.join(", ") + ")"); });
    if (keys.length) {
      detail.appendChild(el("h3", "Keys"));
      var ul = el("ul");
      keys.forEach(function (k) { ul.appendChild(el("li", k)); });
      detail.appendChild(ul);
    }
    if (t.indexes.length) {
      detail.appendChild(el("h3", "Indexes"));
      var ix = el("ul");
      t.indexes.forEach(function (x) { ix.appendChild(el("li", x)); });
      detail.appendChild(ix);
    }
    if (t.out.length || t["in"].length) {
      detail.appendChild(el("h3", "Foreign keys"));
      var fl = el("ul");
      t.out.forEach(function (f) {
        var li = el("li", "(" + f.columns.join(", ") + ") → ");
        var j = byName[f.table];
        li.appendChild(j === undefined ? el("span", f.table) : link(f.table, j));
        li.appendChild(document.createTextNode(" (" + f.to_columns.join(", ") + ") " + f.on_delete));
        fl.appendChild(li);
      });
      t["in"].forEach(function (f) {
        var li = el("li", "← ");
        var j = byName[f.table];
        li.appendChild(j === undefined ? el("span", f.table) : link(f.table, j));
        li.appendChild(document.createTextNode(" (" + f.columns.join(", ") + ")"));
        fl.appendChild(li);
      });
      detail.appendChild(fl);
    }
    if (t.review.length) {
      detail.appendChild(el("h3", "Review comments"));
      var rl = el("ul");
      t.review.forEach(function (r) {
        rl.appendChild(el("li", (r.resolved ? "✓ " : "") + r.author + (r.column ? " on " + r.column : "") + ": " + r.text));
      });
      detail.appendChild(rl);
    }
    if (t.changes && t.changes.length) {
      detail.appendChild(el("h3", "Changes"));
      var cl = el("ul");
      t.changes.forEach(function (c) { cl.appendChild(el("li", c)); });
      detail.appendChild(cl);
    }
    detail.appendChild(el("h3", "DDL (" + D.dialect + ")"));
    detail.appendChild(el("pre", t.ddl));
  }

  // ----- tabs: saved views, problems, changes -----
  document.querySelectorAll(".tabs button").forEach(function (b) {
    b.onclick = function () {
      document.querySelectorAll(".tabs button").forEach(function (x) { x.classList.toggle("on", x === b); });
      document.querySelectorAll(".pane").forEach(function (p) { p.hidden = p.id !== b.getAttribute("data-tab"); });
    };
  });
  var views = document.getElementById("views");
  if (!D.views.length) views.appendChild(el("li", "No saved views (the studio's View ▸ Save view)"));
  D.views.forEach(function (v, k) {
    var li = el("li", v.name);
    li.onclick = function () { showView(k); };
    views.appendChild(li);
  });
  function showView(k) {
    var v = D.views[k];
    svg.querySelectorAll("g.card.hl").forEach(function (g) { g.classList.remove("hl"); });
    svg.classList.toggle("dim", v.highlight.length > 0);
    v.highlight.forEach(function (name) {
      var i = byName[name];
      if (i !== undefined && cards[i]) cards[i].classList.add("hl");
    });
    centerOn(v.x, v.y, v.zoom);
    Array.prototype.forEach.call(views.children, function (li, j) { li.classList.toggle("sel", j === k); });
  }
  var problems = document.getElementById("problems");
  document.querySelector('.tabs [data-tab="problems"]').textContent = "Problems (" + D.problems.length + ")";
  D.problems.forEach(function (p) {
    var li = el("li");
    li.appendChild(el("span", p.severity + "[" + p.code + "] ", "sev-" + p.severity));
    li.appendChild(document.createTextNode(p.object + ": " + p.message));
    var table = p.object.split(".")[0];
    var i = byName[p.object] !== undefined ? byName[p.object] : byName[table];
    if (i !== undefined) li.onclick = function () { select(i, true); };
    problems.appendChild(li);
  });
  if (D.compare) {
    var tab = document.querySelector('.tabs [data-tab="changes"]');
    tab.hidden = false;
    tab.textContent = "Changes (" + D.compare.lines.length + ")";
    var ch = document.getElementById("changes");
    ch.appendChild(el("p", "From " + D.compare.other + " to this project."));
    ch.appendChild(el("h4", "Changes"));
    var ul = el("ul");
    D.compare.lines.forEach(function (l) { ul.appendChild(el("li", l)); });
    ch.appendChild(ul);
    ch.appendChild(el("h4", "Migration safety (" + D.dialect + ")"));
    var sl = el("ul");
    if (!D.compare.safety.length) sl.appendChild(el("li", "No zero-downtime risk."));
    D.compare.safety.forEach(function (x) { sl.appendChild(el("li", x.code + " " + x.object + ": " + x.message)); });
    ch.appendChild(sl);
    D.tables.forEach(function (t, i) { if (t.change && cards[i]) cards[i].classList.add(t.change); });
  }

  // ----- start: the URL fragment opens a table (#table=NAME), a search (#search=TEXT), a
  // saved view (#view=N); #click=NAME clicks a card as a pointer would; #bench measures -----
  // Read once: opening a table rewrites the fragment.
  var startHash = location.hash;
  function param(name, hash) {
    var m = (hash === undefined ? startHash : hash).slice(1).split("&")
      .map(function (kv) { return kv.split("="); })
      .filter(function (kv) { return kv[0] === name; })[0];
    return m ? decodeURIComponent(m.slice(1).join("=")) : null;
  }
  fit();
  frame();
  var t0 = param("table");
  if (t0 !== null && byName[t0] !== undefined) select(byName[t0], true);
  var q0 = param("search");
  if (q0 !== null) {
    searchBox.value = q0;
    searchBox.dispatchEvent(new Event("input"));
  }
  var v0 = param("view");
  if (v0 !== null && D.views[+v0]) showView(+v0);
  var c0 = param("click");
  if (c0 !== null && byName[c0] !== undefined && cards[byName[c0]]) {
    var target = cards[byName[c0]].querySelector("text") || cards[byName[c0]];
    target.dispatchEvent(new MouseEvent("click", { bubbles: true }));
  }
  window.addEventListener("hashchange", function () {
    var t = param("table", location.hash);
    if (t !== null && byName[t] !== undefined && byName[t] !== selected) select(byName[t], true);
  });
  if (param("bench") !== null) bench();
  root.setAttribute("data-ready", "1");
  root.setAttribute("data-tables", String(D.tables.length));

  // Pan and zoom for 120 frames through the same code as a drag and the wheel, each frame's
  // script, style and layout forced and timed (the transform itself is composited), and write
  // the median and 95th percentile (ms) to the root element. Runs while the page loads, so a
  // headless `--dump-dom` sees the result.
  function bench() {
    var times = [];
    measure();
    for (var n = 0; n < 120; n++) {
      var start = performance.now();
      if (n < 40) { tx -= 15; ty -= 8; }
      else if (n < 80) zoomAt(W / 2, H / 2, 0.93);
      else zoomAt(W / 2, H / 2, 1.07);
      frame();
      void labels.offsetHeight;
      void getComputedStyle(svg).transform;
      times.push(performance.now() - start);
    }
    times.sort(function (a, b) { return a - b; });
    root.setAttribute("data-bench-median", times[Math.floor(times.length / 2)].toFixed(2));
    root.setAttribute("data-bench-p95", times[Math.floor(times.length * 0.95)].toFixed(2));
    root.setAttribute("data-load-ms", performance.now().toFixed(0));
  }
})();
