// Shows that scripts load: the caption says when the page was rendered.
document.getElementById("served-by").textContent =
  "Served by modhttpd; rendered " + new Date().toISOString() + ".";
