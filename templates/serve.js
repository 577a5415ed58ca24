/* aidreport serve adds this to every HTML page it sends (never to the files in output/).
   It asks the server for its state; a new generation reloads the page, problems show in a banner,
   and so do the last build's warnings (a figure that no longer matches what the source printed).
   Its path tells the server which page is open (whose PDF is made first); a note in the corner says
   which formats of the change are still being made. */
(function () {
  var generation = __GENERATION__;
  var banner = null;
  var dismissed = null;  /* the warnings the editor closed: shown again only when they change */

  var zh = document.documentElement.lang.indexOf("zh") === 0;
  // In the page's language: the editor reads the banner over a Chinese or an English page.
  var titles = {
    errors: zh ? "上次构建失败：本页是最后一次成功构建的结果。请按下列位置修改文件并保存。\n"
               : "The last build failed: this page is the last good output. Fix the file and save.\n",
    warnings: zh ? "构建已完成，但有警告：发布前请按下列位置核对。\n"
                 : "Built, with warnings: check each place below before publishing.\n",
    close: zh ? "关闭" : "Close",
    making: zh ? "仍在生成：" : "Still being made: "
  };
  var formats = {html: "HTML", pdf: "PDF", docx: "Word (DOCX)", wechat: zh ? "微信版" : "WeChat"};
  var note = null;
  var colours = {
    errors: "background:#fff4f4;color:#5a0000;border-bottom:3px solid #a3171b;",
    warnings: "background:#fffbe6;color:#4d3800;border-top:3px solid #b58100;"
  };
  /* Problems cover the top of the stale page; warnings sit at the foot, clear of its links. */
  var places = {errors: "top:0;max-height:60vh;", warnings: "bottom:0;max-height:30vh;"};

  function show(lines, kind) {
    if (banner && banner.dataset.kind !== kind) { hide(); }
    if (!banner) {
      banner = document.createElement("div");
      banner.id = kind === "errors" ? "aidreport-problems" : "aidreport-warnings";
      banner.dataset.kind = kind;
      banner.setAttribute("role", kind === "errors" ? "alert" : "status");
      banner.style.cssText = "position:fixed;left:0;right:0;z-index:2147483647;overflow:auto;margin:0;" +
        "padding:12px 16px;" + places[kind] + colours[kind] + "box-shadow:0 2px 8px rgba(0,0,0,.25);" +
        "font:13px/1.5 'Noto Sans Mono CJK SC','Noto Sans CJK SC',ui-monospace,monospace;white-space:pre-wrap;";
      document.body.appendChild(banner);
    }
    var title = document.createElement("strong");
    title.textContent = titles[kind];
    var parts = [title, document.createTextNode(lines.join("\n"))];
    if (kind === "warnings") {
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "×";
      close.title = titles.close;
      close.setAttribute("aria-label", titles.close);
      close.style.cssText = "float:right;font:inherit;font-size:18px;line-height:1;border:0;background:none;" +
        "color:inherit;cursor:pointer;";
      close.onclick = function () { dismissed = lines.join("\n"); hide(); };
      parts.unshift(close);
    }
    banner.replaceChildren.apply(banner, parts);
  }

  function hide() {
    if (banner) { banner.remove(); banner = null; }
  }

  /* The formats still being made, in the top right corner; nothing once all are made. */
  function making(list) {
    if (!list.length) {
      if (note) { note.remove(); note = null; }
      return;
    }
    if (!note) {
      note = document.createElement("div");
      note.id = "aidreport-making";
      note.setAttribute("role", "status");
      note.style.cssText = "position:fixed;top:8px;right:8px;z-index:2147483646;padding:4px 10px;" +
        "border-radius:4px;background:#eef3f8;color:#123;border:1px solid #9ab;" +
        "font:12px/1.5 'Noto Sans CJK SC','Noto Sans',sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.2);";
      document.body.appendChild(note);
    }
    note.textContent = titles.making + list.map(function (f) { return formats[f] || f; }).join(zh ? "、" : ", ");
  }

  function poll() {
    var page = "?page=" + encodeURIComponent(location.pathname);
    fetch("__STATE__" + page, {cache: "no-store"}).then(function (response) {
      return response.json();
    }).then(function (state) {
      if (state.generation !== generation) { location.reload(); return; }
      if (state.errors.length) { show(state.errors, "errors"); }
      else if (state.warnings.length && state.warnings.join("\n") !== dismissed) { show(state.warnings, "warnings"); }
      else { hide(); }
      making(state.errors.length ? [] : state.making);
      setTimeout(poll, __POLL_MS__);
    }).catch(function () {
      setTimeout(poll, 2000);  /* the server stopped, or is busy: ask again later */
    });
  }

  poll();
})();
