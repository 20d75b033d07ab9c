"use strict";
// Swagger UI over the API's OpenAPI schema; the bundle is served from our own static files
// (drf-spectacular-sidecar), and nothing runs inline, so the site's CSP holds.
window.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    domNode: root,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: false,  // its links sit inside the operation buttons (nested interactive)
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
  });
});
