// The supervisor's view: every htmx request carries the page's CSRF token (the server checks it and the origin).
document.addEventListener("htmx:configRequest", (e) => {
  e.detail.headers["X-CSRF-Token"] = document.querySelector('meta[name="csrf-token"]').content;
});
