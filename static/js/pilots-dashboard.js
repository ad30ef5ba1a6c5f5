// The dashboard's completion chart (Chart.js from static/vendor); data comes from a json_script block.
document.addEventListener("DOMContentLoaded", function () {
  var canvas = document.getElementById("completion-chart");
  var source = document.getElementById("completion-data");
  if (!canvas || !source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [
        { label: canvas.dataset.labelCompletion, data: data.completion, borderColor: "#b3121d", backgroundColor: "rgba(179,18,29,.15)", fill: true, tension: .2 },
        { label: canvas.dataset.labelOnTime, data: data.on_time, borderColor: "#198754", tension: .2 }
      ]
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: { y: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } }
    }
  });
  canvas.dataset.ready = "1";
});
