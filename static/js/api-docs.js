/* The API reference page: Swagger UI (vendored, static/vendor/swagger-ui-*) on our own OpenAPI document. */
(function () {
  "use strict";
  window.addEventListener("DOMContentLoaded", function () {
    const target = document.getElementById("swagger-ui");
    if (!target || !window.SwaggerUIBundle) return;
    window.SwaggerUIBundle({ url: target.dataset.specUrl, domNode: target, deepLinking: true });
  });
})();
