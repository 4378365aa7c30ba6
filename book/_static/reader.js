/* What a reader can do with a page beyond reading it: preview the evidence behind an id, and open a figure
 * full size. Everything it shows was written into the page when the book was built (nothing is fetched).
 *
 * - Evidence previews: every excerpt or claim id links to its entry in the evidence index
 *   (a.evidence, livelihoods.book.evidence_links). Hovering over the link or moving to it with the
 *   keyboard shows the entry's text, kept in the page's hidden block of previews (the element the link's
 *   aria-describedby names, which a screen reader reads on focus). The tooltip stays while the pointer is on it
 *   and closes with Escape (WCAG 1.4.13).
 * - Figures: a click or tap on a figure opens it full size in a dialog that scrolls inside the screen; Escape,
 *   the close button or a click beside the figure closes it. Without this script the figure is still there.
 */
(function () {
  "use strict";

  // --- evidence previews ---------------------------------------------------------------------------
  function evidenceId(link) {
    var m = /#((?:ex|c)\d+)$/.exec(link.getAttribute("href") || "");
    return m ? m[1].toUpperCase() : null;
  }

  function describeLinks() {
    var data = window.livelihoodsEvidence || {};
    var store = null;
    document.querySelectorAll("a.evidence").forEach(function (link) {
      var id = evidenceId(link);
      if (!id || !data[id]) return;
      var pid = "ev-" + id.toLowerCase();
      if (!document.getElementById(pid)) {
        if (!store) {
          store = document.createElement("div");
          store.className = "livelihoods-previews";
          store.hidden = true;
          document.body.appendChild(store);
        }
        var item = document.createElement("span");
        item.id = pid;
        item.textContent = data[id];
        store.appendChild(item);
      }
      link.setAttribute("aria-describedby", pid);
    });
  }

  var tip = null;
  var owner = null;
  var hideTimer = null;

  function tooltip() {
    if (!tip) {
      tip = document.createElement("div");
      tip.id = "livelihoods-tooltip";
      tip.className = "livelihoods-tooltip";
      tip.setAttribute("role", "tooltip");
      tip.hidden = true;
      tip.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
      tip.addEventListener("mouseleave", function () { hideSoon(); });
      document.body.appendChild(tip);
    }
    return tip;
  }

  function show(link) {
    var source = document.getElementById(link.getAttribute("aria-describedby") || "");
    if (!source) return;
    clearTimeout(hideTimer);
    var t = tooltip();
    t.textContent = source.textContent;
    t.hidden = false;
    owner = link;
    var r = link.getBoundingClientRect();
    var width = Math.min(420, document.documentElement.clientWidth - 16);
    t.style.maxWidth = width + "px";
    var left = Math.max(8, Math.min(r.left, document.documentElement.clientWidth - t.offsetWidth - 8));
    var top = r.bottom + 6;
    if (top + t.offsetHeight > window.innerHeight && r.top - t.offsetHeight - 6 > 0) {
      top = r.top - t.offsetHeight - 6;
    }
    t.style.left = (left + window.scrollX) + "px";
    t.style.top = (top + window.scrollY) + "px";
  }

  function hide() {
    if (tip) tip.hidden = true;
    owner = null;
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 250);
  }

  function evidenceLink(target) {
    var link = target && target.closest ? target.closest("a.evidence") : null;
    return link && link.hasAttribute("aria-describedby") ? link : null;
  }

  document.addEventListener("mouseover", function (e) {
    var link = evidenceLink(e.target);
    if (link) show(link);
  });
  document.addEventListener("mouseout", function (e) {
    var link = evidenceLink(e.target);
    if (link && !(e.relatedTarget && (link.contains(e.relatedTarget) || (tip && tip.contains(e.relatedTarget))))) {
      hideSoon();
    }
  });
  document.addEventListener("focusin", function (e) {
    var link = evidenceLink(e.target);
    if (link) show(link); else if (owner) hide();
  });
  document.addEventListener("focusout", function (e) {
    if (evidenceLink(e.target)) hideSoon();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && tip && !tip.hidden) hide();
  });

  // --- figures full size ---------------------------------------------------------------------------
  var dialog = null;

  function zoomDialog() {
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.className = "livelihoods-zoom-dialog";
      dialog.setAttribute("aria-label", "Figure, full size");
      var close = document.createElement("button");
      close.type = "button";
      close.className = "livelihoods-zoom-close";
      close.textContent = "Close";
      close.addEventListener("click", function () { dialog.close(); });
      var frame = document.createElement("div");
      frame.className = "livelihoods-zoom-frame";
      dialog.appendChild(close);
      dialog.appendChild(frame);
      dialog.addEventListener("click", function (e) { if (e.target === dialog) dialog.close(); });
      document.body.appendChild(dialog);
    }
    return dialog;
  }

  function openFigure(img) {
    var d = zoomDialog();
    var frame = d.querySelector(".livelihoods-zoom-frame");
    frame.textContent = "";
    var big = document.createElement("img");
    big.src = img.currentSrc || img.src;
    big.alt = img.alt;
    // Full size: twice the width the page gives the figure, and never less than its own width.
    var shown = img.getBoundingClientRect().width;
    big.style.width = Math.round(Math.max(img.naturalWidth || shown, 2 * shown)) + "px";
    frame.appendChild(big);
    d.showModal();
    d.querySelector(".livelihoods-zoom-close").focus();
  }

  function enableZoom() {
    document.querySelectorAll(".bd-article figure img, .bd-article .cell_output img").forEach(function (img) {
      if (img.closest("a")) return;
      var link = document.createElement("a");
      link.href = img.getAttribute("src");
      link.className = "livelihoods-zoom";
      link.title = "Open the figure full size";
      img.parentNode.insertBefore(link, img);
      link.appendChild(img);
      link.addEventListener("click", function (e) {
        if (typeof HTMLDialogElement === "undefined") return;  // the image file itself, as a plain link
        e.preventDefault();
        openFigure(img);
      });
    });
  }

  function ready() {
    describeLinks();
    enableZoom();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
