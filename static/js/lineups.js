// The completion chart of the lineup statistics page (data from a json_script element).
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("lineup-chart-data");
  var canvas = document.getElementById("lineup-chart");
  if (!holder || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(holder.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: data.label_complete, data: data.complete, backgroundColor: "#198754" },
        { label: data.label_incomplete, data: data.incomplete, backgroundColor: "#dc3545" }
      ]
    },
    options: { responsive: true, maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }
  });
});
