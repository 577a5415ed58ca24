/* aidreport serve adds this to every HTML page it sends (never to the files in output/).
   It asks the server for its state; a new generation reloads the page, problems show in a banner. */
(function () {
  var generation = __GENERATION__;
  var banner = null;

  function show(errors) {
    if (!banner) {
      banner = document.createElement("div");
      banner.id = "aidreport-problems";
      banner.setAttribute("role", "alert");
      banner.style.cssText = "position:fixed;left:0;right:0;top:0;z-index:2147483647;max-height:60vh;" +
        "overflow:auto;margin:0;padding:12px 16px;background:#fff4f4;color:#5a0000;" +
        "border-bottom:3px solid #a3171b;box-shadow:0 2px 8px rgba(0,0,0,.25);" +
        "font:13px/1.5 'Noto Sans Mono CJK SC','Noto Sans CJK SC',ui-monospace,monospace;white-space:pre-wrap;";
      document.body.appendChild(banner);
    }
    var title = document.createElement("strong");
    // In the page's language: the editor reads the banner over a Chinese or an English page.
    title.textContent = document.documentElement.lang.indexOf("zh") === 0
      ? "上次构建失败：本页是最后一次成功构建的结果。请按下列位置修改文件并保存。\n"
      : "The last build failed: this page is the last good output. Fix the file and save.\n";
    banner.replaceChildren(title, document.createTextNode(errors.join("\n")));
  }

  function hide() {
    if (banner) { banner.remove(); banner = null; }
  }

  function poll() {
    fetch("__STATE__", {cache: "no-store"}).then(function (response) {
      return response.json();
    }).then(function (state) {
      if (state.generation !== generation) { location.reload(); return; }
      if (state.errors.length) { show(state.errors); } else { hide(); }
      setTimeout(poll, __POLL_MS__);
    }).catch(function () {
      setTimeout(poll, 2000);  /* the server stopped, or is busy: ask again later */
    });
  }

  poll();
})();
