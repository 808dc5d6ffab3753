// The invitation link carries its code after '#', which browsers never send to a server: it stays out of every
// address bar history sent on, access log and Referer. This puts the code into the form and sends it once.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-invitation-open]");
  const code = decodeURIComponent(window.location.hash.slice(1));
  if (!form || !code) {
    return;
  }
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
  form.elements.token.value = code;
  form.submit();
});
