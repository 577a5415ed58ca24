/* aidreport serve adds this to every HTML page it sends, after serve.js (never to the files in output/).
   The editor's wording of a block, written in the page: "Edit text" turns editing on; a click on a block
   (a headline, the lead, a paragraph, a sentence) opens it below, with its text as generated (each figure
   as its {reference}) and the editor's text of it, if any. Save writes data/overrides/, the server
   rebuilds, and the page reloads with the edit. A stale override (written against text that has changed
   since) is outlined, and its panel shows the text it replaced, the text now and the editor's side by side. */
(function () {
  var parts = location.pathname.split("/").filter(Boolean);
  var langs = {"zh": 1, "en": 1, "zh-Hant": 1};
  if (parts.length !== 3 || !langs[parts[0]] || !/\.html$/.test(parts[2])) { return; }  /* not one document's page */
  var lang = parts[0], doc = parts[1] + "/" + parts[2].replace(/\.html$/, "");
  var zh = lang.indexOf("zh") === 0;
  var say = lang === "zh-Hant" ? {
    edit: "編輯文字", done: "結束編輯", generated: "生成的文字（數字寫作 {引用}）", yours: "編輯的文字",
    replaced: "覆蓋時的生成文字", now: "現在的生成文字", save: "保存", cancel: "取消", outer: "改為編輯整段：",
    all: "全部覆蓋",
    saved: "已保存，正在重新生成……", stale: "過時的覆蓋：生成文字已改變，請核對後保存或確認",
    hint: "數字請寫成 {引用}（如 {luoping-investment}），地名寫成 @地名編號，術語寫成 #術語編號，以便數字更新。"
  } : zh ? {
    edit: "编辑文字", done: "结束编辑", generated: "生成的文字（数字写作 {引用}）", yours: "编辑的文字",
    replaced: "覆盖时的生成文字", now: "现在的生成文字", save: "保存", cancel: "取消", outer: "改为编辑整段：",
    all: "全部覆盖",
    saved: "已保存，正在重新生成……", stale: "过时的覆盖：生成文字已改变，请核对后保存或确认",
    hint: "数字请写成 {引用}（如 {luoping-investment}），地名写成 @地名编号，术语写成 #术语编号，以便数字更新。"
  } : {
    edit: "Edit text", done: "Stop editing", generated: "Generated text (figures as {references})", yours: "Your text",
    replaced: "Text it replaced", now: "Generated text now", save: "Save", cancel: "Cancel", outer: "Edit the whole block instead: ",
    all: "All overrides",
    saved: "Saved; rebuilding…", stale: "Stale override: the generated text has changed since; read it against the new text, then save or confirm it",
    hint: "Write figures as {references} (e.g. {luoping-investment}), places as @place-id and terms as #term-id, so that they stay live."
  };
  var editing = false, panel = null;
  var font = "font:13px/1.5 'Noto Sans CJK SC','Noto Sans',sans-serif;";

  var style = document.createElement("style");
  style.textContent = "body.aidreport-editing [data-block]:hover{outline:2px dashed #3b7dd8;cursor:text}" +
    "[data-aidreport-state=stale]{outline:2px solid #b58100;outline-offset:2px}";
  document.head.appendChild(style);

  var toggle = document.createElement("button");
  toggle.type = "button";
  toggle.id = "aidreport-edit";
  toggle.textContent = say.edit;
  toggle.style.cssText = "position:fixed;left:8px;bottom:8px;z-index:2147483646;padding:4px 10px;border-radius:4px;" +
    "border:1px solid #9ab;background:#eef3f8;color:#123;cursor:pointer;" + font;
  toggle.onclick = function () {
    editing = !editing;
    document.body.classList.toggle("aidreport-editing", editing);
    toggle.textContent = editing ? say.done : say.edit;
    if (!editing) { close(); }
  };
  document.body.appendChild(toggle);

  document.addEventListener("click", function (event) {
    if (!editing || (panel && panel.contains(event.target)) || event.target === toggle) { return; }
    var block = event.target.closest("[data-block]");
    if (!block) { return; }
    event.preventDefault();
    open(block);
  }, true);

  function ask(route, query) {
    return fetch("__EDIT__" + route + "?" + new URLSearchParams(query), {cache: "no-store"}).then(function (r) {
      return r.json().then(function (body) { return r.ok ? body : Promise.reject(body.error); });
    });
  }

  function close() { if (panel) { panel.remove(); panel = null; } }

  function field(label, text, editable) {
    var box = document.createElement("label");
    box.style.cssText = "display:flex;flex-direction:column;flex:1;min-width:0;gap:2px;";
    var name = document.createElement("strong");
    name.textContent = label;
    var area = document.createElement("textarea");
    area.value = text;
    area.readOnly = !editable;
    area.rows = 6;
    area.style.cssText = "width:100%;box-sizing:border-box;" + font + (editable ? "" : "background:#f4f4f4;color:#333;");
    box.append(name, area);
    return {box: box, area: area};
  }

  function open(element) {
    var id = doc + "#" + element.dataset.block;
    ask("block", {lang: lang, id: id}).then(function (info) {
      close();
      panel = document.createElement("div");
      panel.id = "aidreport-editor";
      panel.setAttribute("role", "dialog");
      panel.dataset.block = info.block;
      panel.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:2147483647;background:#fff;color:#111;" +
        "border-top:3px solid #3b7dd8;box-shadow:0 -2px 8px rgba(0,0,0,.25);padding:10px 16px;max-height:60vh;overflow:auto;" + font;
      var title = document.createElement("code");
      title.textContent = info.block + " (" + lang + ")";
      var rows = document.createElement("div");
      rows.style.cssText = "display:flex;gap:12px;margin:6px 0;";
      var mine = info.override;
      var text = field(say.yours, mine ? mine.text : info.skeleton, true);
      text.area.name = "text";
      if (mine && mine.state === "stale") {
        rows.append(field(say.replaced, mine.replaced, false).box, field(say.now, info.skeleton, false).box, text.box);
      } else {
        rows.append(field(say.generated, info.skeleton, false).box, text.box);
      }
      var status = document.createElement("p");
      status.id = "aidreport-editor-status";
      status.setAttribute("role", "status");
      status.style.margin = "4px 0";
      status.textContent = mine && mine.state === "stale" ? say.stale : say.hint;
      var save = button(say.save, function () {
        save.disabled = true;
        fetch("__EDIT__override", {method: "POST", cache: "no-store",
          headers: {"Content-Type": "application/json", "X-Aidreport-Token": "__TOKEN__"},
          body: JSON.stringify({block: info.block, lang: lang, text: text.area.value, seen: info.skeleton})
        }).then(function (r) { return r.json().then(function (body) { return r.ok ? body : Promise.reject(body.error); }); })
          .then(function () { status.textContent = say.saved; },
                function (error) { status.textContent = String(error); save.disabled = false; });
      });
      save.id = "aidreport-save";
      var bar = document.createElement("div");
      bar.style.cssText = "display:flex;gap:8px;align-items:center;";
      bar.append(save, button(say.cancel, close));
      var outer = element.parentElement && element.parentElement.closest("[data-block]");
      if (outer) {
        var up = button(say.outer + outer.dataset.block, function () { open(outer); });
        bar.append(up);
      }
      var list = document.createElement("a");
      list.href = "__EDIT__overrides";
      list.target = "_blank";
      list.textContent = say.all;
      bar.append(list);
      panel.append(title, rows, bar, status);
      document.body.appendChild(panel);
      text.area.focus();
    }, function (error) { window.alert(String(error)); });
  }

  function button(label, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.style.cssText = "padding:3px 12px;cursor:pointer;" + font;
    b.onclick = action;
    return b;
  }

  /* Mark this page's stale overrides. */
  ask("page-overrides", {page: location.pathname}).then(function (list) {
    list.forEach(function (o) {
      var el = document.querySelector('[data-block="' + CSS.escape(o.block) + '"]');
      if (el) { el.dataset.aidreportState = o.state; if (o.state === "stale") { el.title = say.stale; } }
    });
  }, function () {});
})();
