// The console's small script: charts (chart.js, served by the console), the file check (hashed
// here, in the browser: only the fingerprints are sent), and the print button.
(function () {
  "use strict";
  function data(id) { var el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; }
  function hex(buf) { return Array.prototype.map.call(new Uint8Array(buf), function (b) { return ("0" + b.toString(16)).slice(-2); }).join(""); }

  if (window.Chart) {
    var tally = data("tally-data");
    if (tally) {
      new Chart(document.getElementById("tally-chart"), {
        data: { labels: tally.labels, datasets: [
          { type: "bar", label: "", data: tally.values, backgroundColor: ["#1b5e20", "#a4000f", "#6b6b6b"] },
          { type: "line", label: tally.thresholdLabel + " " + tally.threshold, data: tally.labels.map(function () { return tally.threshold; }), borderColor: "#12355b", borderDash: [6, 4], pointRadius: 0 }
        ] },
        options: { animation: false, scales: { y: { beginAtZero: true } } }
      });
    }
    var merit = data("merit-data");
    if (merit) {
      new Chart(document.getElementById("merit-chart"), {
        type: "line",
        data: { labels: merit.points.map(function (p) { return p.t; }), datasets: [
          { label: merit.merit, data: merit.points.map(function (p) { return p.merit; }), borderColor: "#1b5e20", stepped: true },
          { label: merit.demerit, data: merit.points.map(function (p) { return p.demerit; }), borderColor: "#a4000f", stepped: true }
        ] },
        options: { animation: false }
      });
    }
    // village standings (SPEC §9): one grouped bar chart per village and year, a dataset per quarter
    var palette = ["#12355b", "#f0a500", "#1b5e20", "#a4000f", "#6b6b6b"];
    Array.prototype.forEach.call(document.querySelectorAll("script.village-data"), function (el) {
      var v = JSON.parse(el.textContent);
      new Chart(document.getElementById(el.getAttribute("data-canvas")), {
        type: "bar",
        data: { labels: v.labels, datasets: v.series.map(function (s, i) { return { label: s.label, data: s.values, backgroundColor: palette[i % palette.length] }; }) },
        options: { animation: false, plugins: { title: { display: true, text: v.title } } }
      });
    });
    var re = data("retally-data");
    if (re) {
      new Chart(document.getElementById("retally-chart"), {
        type: "bar",
        data: { labels: re.labels, datasets: [
          { label: re.rebuiltLabel, data: re.rebuilt, backgroundColor: "#12355b" },
          { label: re.contractLabel, data: re.contract, backgroundColor: "#f0a500" }
        ] },
        options: { animation: false, scales: { y: { beginAtZero: true } } }
      });
    }
  }

  var typed = document.getElementById("fp");
  if (typed) { typed.addEventListener("input", function () { document.getElementById("fp2").value = ""; }); }

  var file = document.getElementById("file");
  if (file) {
    file.addEventListener("change", function () {
      var f = file.files[0], status = document.getElementById("file-status");
      if (!f) { return; }
      status.textContent = "…";
      f.arrayBuffer().then(function (buf) {
        var sm3 = window.sm3 ? "0x" + window.sm3(Array.from(new Uint8Array(buf))) : "";
        return crypto.subtle.digest("SHA-256", buf).then(function (d) {
          document.getElementById("fp").value = "0x" + hex(d);
          document.getElementById("fp2").value = sm3;
          status.textContent = "SHA-256 0x" + hex(d) + (sm3 ? " · SM3 " + sm3 : "");
          document.getElementById("verify-form").submit();
        });
      });
    });
  }

  var print = document.getElementById("print");
  if (print) { print.addEventListener("click", function () { window.print(); }); }
})();
