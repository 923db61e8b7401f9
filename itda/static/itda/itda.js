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
        new Chart(canvas, JSON.parse(source.textContent));
      } catch (err) {
        canvas.dataset.itdaReady = "";
        if (window.console) console.error("itda: chart failed", err);
      }
    });
  }

  function init(root) {
    initMenuToggle(root);
    initDismiss(root);
    initBack(root);
    initConfirm(root);
    initCharts(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
  });
  // htmx fires htmx:load for every piece of content it swaps in.
  document.addEventListener("htmx:load", function (event) {
    init(event.target && event.target.querySelectorAll ? event.target : document);
  });
})();
