// The desk's keyboard, and "select all" in a list. Plain listeners, no framework; nothing
// fires while a person types in a field, or with Ctrl, Alt or Cmd held.
(function () {
  "use strict";

  function typing(element) {
    return !!element && (element.isContentEditable ||
      ["INPUT", "TEXTAREA", "SELECT"].indexOf(element.tagName) >= 0);
  }

  document.querySelectorAll("input.select-all").forEach(function (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll('input[name="ids"]').forEach(function (box) {
        box.checked = all.checked;
      });
    });
  });

  // A reply being written is kept in this browser until it is sent: leaving the page, a
  // refused send or a crash does not lose it.
  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    var key = "handoff-draft-" + form.dataset.draft;
    var text = form.querySelector("textarea");
    if (!text || !window.localStorage) return;
    if (form.dataset.sent) localStorage.removeItem(key);  // the page after a reply went out
    if (!text.value && localStorage.getItem(key)) text.value = localStorage.getItem(key);
    text.addEventListener("input", function () {
      if (text.value) localStorage.setItem(key, text.value); else localStorage.removeItem(key);
    });
  });

  // Who else has this conversation open, or is writing a reply: said and heard every few
  // seconds while the page is open.
  var presence = document.getElementById("presence");
  if (presence && window.fetch) {
    var lastTyped = 0;
    var reply = document.getElementById("reply-text");
    if (reply) reply.addEventListener("input", function () { lastTyped = Date.now(); });
    var token = document.querySelector('input[name="csrfmiddlewaretoken"]');
    var tell = function () {
      var body = new URLSearchParams();
      body.set("typing", Date.now() - lastTyped < 10000 ? "1" : "0");
      fetch(presence.dataset.url, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" }
      }).then(function (response) { return response.ok ? response.json() : null; })
        .then(function (found) {
          if (!found) return;
          var names = found.others.map(function (other) {
            return other.name + (other.typing ? " (" + presence.dataset.typing + ")" : "");
          });
          presence.textContent = names.length ? presence.dataset.here + " " + names.join(", ") : "";
          presence.hidden = !names.length;
          window.setTimeout(tell, (found.poll || 5) * 1000);
        }).catch(function () { window.setTimeout(tell, 15000); });
    };
    tell();
  }

  // A reply waiting out its undo window: the Undo button goes once the reply has gone.
  document.querySelectorAll("form.waiting[data-until]").forEach(function (form) {
    var left = Date.parse(form.dataset.until) - Date.now();
    window.setTimeout(function () { form.hidden = true; }, Math.max(0, left) + 1000);
  });

  // j/k: the next or previous row of a list, or message of a conversation.
  var current = -1;
  function move(step) {
    var items = Array.prototype.slice.call(document.querySelectorAll("[data-item]"));
    if (!items.length) return;
    if (current >= 0 && items[current]) items[current].classList.remove("current");
    current = Math.max(0, Math.min(items.length - 1, current + step));
    var item = items[current];
    item.classList.add("current");
    item.scrollIntoView({ block: "nearest" });
    var link = item.querySelector("a[href]");
    (link || item).focus();
  }

  function focusOn(selector) {
    var field = document.querySelector(selector);
    if (field) { field.scrollIntoView({ block: "center" }); field.focus(); }
  }

  function press(selector) {
    var button = document.querySelector(selector);
    if (button) button.click();
  }

  function help() {
    var dialog = document.getElementById("shortcuts");
    if (!dialog) return;
    if (dialog.open) dialog.close(); else dialog.showModal();
  }

  var keys = {
    j: function () { move(1); },
    k: function () { move(-1); },
    r: function () { focusOn("#reply-text"); },
    n: function () { focusOn("#note-text"); },
    a: function () { press("#assign-me"); },
    s: function () { press("#solve"); },
    "/": function () {
      var box = document.querySelector('input[type="search"]');
      if (box) box.focus(); else window.location.href = document.body.dataset.search;
    },
    "?": help
  };

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var run = keys[event.key];
    if (!run) return;
    event.preventDefault();
    run();
  });
})();
