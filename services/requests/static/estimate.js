/* The new-request form's price: the server works it out (/my/estimate); this shows it as quantities change. */
(function () {
  "use strict";
  var panel = document.getElementById("estimate");
  var form = document.getElementById("new-request");
  if (!panel || !form) return;
  var timer = null, asked = 0;

  function query() {
    var params = new URLSearchParams();
    var depot = form.querySelector("#depot");
    if (depot && depot.value) params.set("depot", depot.value);
    form.querySelectorAll(".material input").forEach(function (input) {
      if (input.value.trim()) params.set(input.name, input.value.trim());
    });
    return params.toString();
  }

  function refresh() {
    var mine = ++asked;
    panel.setAttribute("aria-busy", "true");
    fetch(panel.dataset.estimate + "?" + query(), { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (mine !== asked) return;  // a newer question is on its way
        var found = new DOMParser().parseFromString(html, "text/html").getElementById("estimate-body");
        if (found) panel.replaceChildren.apply(panel, Array.prototype.slice.call(found.childNodes));
        panel.setAttribute("aria-busy", "false");
      }, function () { panel.setAttribute("aria-busy", "false"); });
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 350);
  }

  form.addEventListener("input", function (event) { if (event.target.closest(".material")) soon(); });
  form.addEventListener("change", function (event) { if (event.target.id === "depot") soon(); });
  refresh();
})();
