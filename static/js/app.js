// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", function () {
  // Confirm dangerous actions: <form data-confirm="...">
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
});
