// Star distribution chart on the ratings page (Chart.js from static/vendor; data from json_script blocks).
document.addEventListener("DOMContentLoaded", function () {
  var canvas = document.getElementById("star-chart");
  var data = document.getElementById("star-data");
  var labels = document.getElementById("star-labels");
  if (!canvas || !data || !labels || typeof Chart === "undefined") { return; }
  new Chart(canvas, {
    type: "bar",
    data: { labels: JSON.parse(labels.textContent),
            datasets: [{ data: JSON.parse(data.textContent).cells, backgroundColor: ["#198754", "#20c997", "#0d6efd", "#ffc107", "#dc3545"] }] },
    options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } },
               scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
  canvas.dataset.ready = "1";
});
