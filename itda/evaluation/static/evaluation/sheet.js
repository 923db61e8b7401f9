/* sheet.js — the live total of an evaluator's score sheet (evaluation/sheet.html).
 *
 * Without JavaScript the page shows the total of the saved scores; with it, the total follows
 * what is typed. Nothing here decides anything: bounds and required comments are the server's.
 *
 *   form[data-sheet-form]          the sheet
 *   input[data-sheet-points]       one score per criterion
 *   output[data-sheet-total]       the total shown
 *   [data-sheet-total-note]        the note saying what the total is based on
 */
(function () {
  "use strict";

  function format(value) {
    // 63.50 → 63.5, 40.0 → 40 (the server's |number filter does the same).
    return String(Math.round(value * 10) / 10);
  }

  function init(form) {
    if (form.dataset.sheetReady) return;
    form.dataset.sheetReady = "1";
    var inputs = form.querySelectorAll("input[data-sheet-points]");
    var output = form.querySelector("output[data-sheet-total]");
    var note = form.querySelector("[data-sheet-total-note]");
    if (!output) return;

    function update() {
      var total = 0;
      var invalid = false;
      inputs.forEach(function (input) {
        if (input.value === "") return;
        var value = Number(input.value);
        if (!isFinite(value)) {
          invalid = true;
          return;
        }
        if (!input.checkValidity()) invalid = true;
        total += value;
      });
      output.textContent = format(total);
      if (note) note.textContent = invalid ? "(범위를 벗어난 점수가 있습니다)" : "(입력 중인 점수 기준)";
    }

    inputs.forEach(function (input) {
      input.addEventListener("input", update);
    });
    update();
  }

  function initAll(root) {
    root.querySelectorAll("form[data-sheet-form]").forEach(init);
  }

  document.addEventListener("DOMContentLoaded", function () {
    initAll(document);
  });
  document.addEventListener("htmx:load", function (event) {
    initAll(event.target);
  });
})();
