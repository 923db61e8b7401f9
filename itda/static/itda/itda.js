/* itda.js — small behaviours for itda's pages. No inline JavaScript anywhere (CSP script-src 'self').
 *
 * Loaded in <head> without defer so that it can mark <html> with .itda-js before the first paint
 * (CSS then collapses the phone menu only when this script runs); everything else waits for
 * DOMContentLoaded and is re-applied to content htmx swaps in (htmx:load).
 *
 *   [data-itda-menu-toggle]   button with aria-controls="<nav id>": opens/closes the phone menu
 *   [data-itda-dismiss]       button inside an .itda-alert: removes the alert
 *   [data-itda-back]          button: goes back one page (falls back to its data-itda-back URL)
 *   [data-itda-confirm]       on a form: asks window.confirm(<text>) before submitting
 *   canvas[data-itda-chart]   builds a Chart.js chart from the JSON in #<data-itda-chart>
 *                             (write it with {{ config|json_script:"<id>" }})
 *   .itda-table-wrap          (added around a bare table.itda-table) while its table is wider
 *                             than the box (it scrolls sideways), the
 *                             box takes keyboard focus (arrow keys scroll it) and is a named
 *                             region (WCAG 2.1.1; axe scrollable-region-focusable)
 */
(function () {
  "use strict";

  document.documentElement.classList.add("itda-js");

  function closeMenu(button, nav) {
    nav.classList.remove("is-open");
    button.setAttribute("aria-expanded", "false");
  }

  function initMenuToggle(root) {
    root.querySelectorAll("[data-itda-menu-toggle]").forEach(function (button) {
      if (button.dataset.itdaReady) return;
      button.dataset.itdaReady = "1";
      var nav = document.getElementById(button.getAttribute("aria-controls"));
      if (!nav) return;
      button.addEventListener("click", function () {
        var open = !nav.classList.contains("is-open");
        nav.classList.toggle("is-open", open);
        button.setAttribute("aria-expanded", open ? "true" : "false");
        if (open) {
          var first = nav.querySelector("a, button");
          if (first) first.focus();
        }
      });
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && nav.classList.contains("is-open")) {
          closeMenu(button, nav);
          button.focus();
        }
      });
    });
  }

  function initDismiss(root) {
    root.querySelectorAll("[data-itda-dismiss]").forEach(function (button) {
      if (button.dataset.itdaReady) return;
      button.dataset.itdaReady = "1";
      button.addEventListener("click", function () {
        var alert = button.closest(".itda-alert");
        if (alert) alert.remove();
      });
    });
  }

  function initBack(root) {
    root.querySelectorAll("[data-itda-back]").forEach(function (button) {
      if (button.dataset.itdaReady) return;
      button.dataset.itdaReady = "1";
      button.addEventListener("click", function () {
        var sameOrigin = document.referrer && document.referrer.indexOf(location.origin) === 0;
        if (sameOrigin && history.length > 1) {
          history.back();
        } else {
          location.href = button.getAttribute("data-itda-back") || "/";
        }
      });
    });
  }

  function initConfirm(root) {
    root.querySelectorAll("form[data-itda-confirm]").forEach(function (form) {
      if (form.dataset.itdaReady) return;
      form.dataset.itdaReady = "1";
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-itda-confirm"))) {
          event.preventDefault();
          event.stopImmediatePropagation();
        }
      });
    });
  }

  // A fill pattern over a series' colour (white marks on it), so bars read without colour; the
  // legend draws the same pattern. Kinds: solid, diagonal, dots, cross, horizontal, vertical.
  function fillPattern(kind, colour) {
    if (!kind || kind === "solid") return colour;
    var tile = document.createElement("canvas");
    tile.width = tile.height = 10;
    var ctx = tile.getContext("2d");
    ctx.fillStyle = colour;
    ctx.fillRect(0, 0, 10, 10);
    ctx.strokeStyle = ctx.fillStyle = "#ffffff";
    ctx.lineWidth = 2;
    ctx.beginPath();
    if (kind === "dots") {
      ctx.arc(5, 5, 2, 0, 2 * Math.PI);
      ctx.fill();
    } else {
      if (kind === "diagonal" || kind === "cross") {
        ctx.moveTo(0, 10);
        ctx.lineTo(10, 0);
      }
      if (kind === "cross") {
        ctx.moveTo(0, 0);
        ctx.lineTo(10, 10);
      }
      if (kind === "horizontal") {
        ctx.moveTo(0, 5);
        ctx.lineTo(10, 5);
      }
      if (kind === "vertical") {
        ctx.moveTo(5, 0);
        ctx.lineTo(5, 10);
      }
      ctx.stroke();
    }
    return ctx.createPattern(tile, "repeat");
  }

  function initCharts(root) {
    if (typeof window.Chart === "undefined") return;
    var Chart = window.Chart;
    if (!Chart.itdaDefaults) {
      Chart.itdaDefaults = true;
      var family = getComputedStyle(document.body).fontFamily;
      Chart.defaults.font.family = family;
      Chart.defaults.color = "#464c53";
      Chart.defaults.maintainAspectRatio = false;
    }
    root.querySelectorAll("canvas[data-itda-chart]").forEach(function (canvas) {
      if (canvas.dataset.itdaReady) return;
      var source = document.getElementById(canvas.getAttribute("data-itda-chart"));
      if (!source) return;
      canvas.dataset.itdaReady = "1";
      try {
        var config = JSON.parse(source.textContent);
        ((config.data && config.data.datasets) || []).forEach(function (set) {
          if (set.itdaPattern) set.backgroundColor = fillPattern(set.itdaPattern, set.backgroundColor);
        });
        new Chart(canvas, config);
      } catch (err) {
        canvas.dataset.itdaReady = "";
        if (window.console) console.error("itda: chart failed", err);
      }
    });
  }

  function markScrollRegion(wrap) {
    if (wrap.scrollWidth > wrap.clientWidth + 1) {
      if (wrap.hasAttribute("tabindex")) return;
      var caption = wrap.querySelector("caption");
      var name = caption ? caption.textContent.trim().replace(/\s+/g, " ") : "";
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", name ? "표: " + name + " (옆으로 스크롤)" : "표 (옆으로 스크롤)");
    } else if (wrap.getAttribute("tabindex") === "0") {
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
      wrap.removeAttribute("aria-label");
    }
  }

  function initScrollRegions(root) {
    // A table written without its wrapper gets one, so that it too scrolls in a box of its own.
    root.querySelectorAll("table.itda-table").forEach(function (table) {
      if (table.parentElement.classList.contains("itda-table-wrap")) return;
      var wrap = document.createElement("div");
      wrap.className = "itda-table-wrap";
      table.parentElement.insertBefore(wrap, table);
      wrap.appendChild(table);
    });
    root.querySelectorAll(".itda-table-wrap").forEach(markScrollRegion);
    if (root.classList && root.classList.contains("itda-table-wrap")) markScrollRegion(root);
  }

  function init(root) {
    initMenuToggle(root);
    initDismiss(root);
    initBack(root);
    initConfirm(root);
    initCharts(root);
    initScrollRegions(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
  });
  // A turned phone or a resized window changes which tables overflow.
  var resizing = 0;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      initScrollRegions(document);
    }, 200);
  });
  // htmx fires htmx:load for every piece of content it swaps in.
  document.addEventListener("htmx:load", function (event) {
    init(event.target && event.target.querySelectorAll ? event.target : document);
  });
})();
