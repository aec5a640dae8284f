/* Desk queue keyboard shortcuts: j/k select the next/previous case, c claims it, o opens it,
   d opens it at its decision form, ? shows or hides the list of keys.
   The queue works fully without this file; it only drives the links and buttons on the page.
   Loaded from /static (the Content-Security-Policy allows no inline script). */
(function () {
  "use strict";

  var help = document.getElementById("queue-keys-help");
  var table = document.querySelector("table.queue");
  var rows = table ? Array.prototype.slice.call(table.tBodies[0].rows) : [];
  var current = -1;

  function link(row) { return row.querySelector(".case-title a"); }

  function select(index) {
    if (!rows.length) { return; }
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach(function (row, i) {
      row.classList.toggle("selected", i === current);
      if (i === current) { row.setAttribute("aria-current", "true"); }
      else { row.removeAttribute("aria-current"); }
    });
    link(rows[current]).focus();  // the focus ring shows where c, o and d act
  }

  function selected() {
    // A row whose link has focus (Tab, a click) is the selection too.
    var index = rows.findIndex(function (row) { return row.contains(document.activeElement); });
    if (index >= 0) { current = index; }
    return current >= 0 ? rows[current] : null;
  }

  function toggleHelp() {
    if (!help) { return; }
    if (help.open) { help.close(); } else { help.showModal(); }
  }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" ||
      (target && target.isContentEditable);
  }

  var actions = {
    j: function () { select(selected() ? current + 1 : 0); },
    k: function () { select(selected() ? current - 1 : 0); },
    c: function (row) {
      var button = row && row.querySelector("td.claim button[data-claim]");
      if (button) { button.click(); }
    },
    o: function (row) { if (row) { window.location.assign(link(row).href); } },
    d: function (row) { if (row) { window.location.assign(link(row).href + "#decision"); } }
  };

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented ||
        typing(event.target)) { return; }
    if (event.key === "?") {
      event.preventDefault();
      toggleHelp();
      return;
    }
    if (help && help.open) { return; }  // the dialog is modal: the queue waits behind it
    var action = actions[event.key];
    if (!action) { return; }
    event.preventDefault();
    action(selected());
  });

  // Back from claiming in place (queue#case-N): that case is still the selection. After
  // load, as the browser's own jump to the #fragment would otherwise take the focus away.
  var hash = window.location.hash.match(/^#case-(\d+)$/);
  if (hash) {
    var index = rows.findIndex(function (row) { return row.dataset.caseId === hash[1]; });
    if (index >= 0) {
      window.addEventListener("load", function () {
        window.setTimeout(function () { select(index); }, 0);
      });
    }
  }
  var opener = document.getElementById("queue-keys-open");
  if (opener && help) {
    opener.hidden = false;
    opener.addEventListener("click", toggleHelp);
  }
  var closer = document.getElementById("queue-keys-close");
  if (closer && help) { closer.addEventListener("click", function () { help.close(); }); }
}());
