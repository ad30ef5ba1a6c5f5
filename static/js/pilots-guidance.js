// The per-instructor chart on the guidance page (Chart.js from static/vendor); data from a json_script block.
document.addEventListener("DOMContentLoaded", function () {
  var canvas = document.getElementById("guidance-chart");
  var source = document.getElementById("guidance-data");
  if (!canvas || !source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: canvas.dataset.labelVisits, data: data.visits, backgroundColor: "#b3121d" },
        { label: canvas.dataset.labelActivities, data: data.activities, backgroundColor: "#0d6efd" },
        { label: canvas.dataset.labelSolved, data: data.solved, backgroundColor: "#198754" }
      ]
    },
    options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
  canvas.dataset.ready = "1";
});
