/* Picking an artisan by name in a form: <input data-pick="/api/v1/artisans" list="..."> fills its <datalist> as the
   person types, from the directory's own search (?q=, at most LIMIT artisans a time: never the whole registry). Each
   line says the name, district, craft and number, in the page's language, so two artisans of one name are told
   apart; the line picked (or a number, or a whole name typed) is sent as it is and the server finds the one artisan
   it names (services/requests/artisan_picks.py), refusing a name nobody or more than one artisan has. */
(function () {
  "use strict";
  var LIMIT = 20, WAIT_MS = 250, APART = " · ";
  var hindi = document.documentElement.lang === "hi";

  function districts() {
    var kept = document.getElementById("pick-districts");  // Hindi pages: each district's Hindi name, by depots
    return kept ? JSON.parse(kept.textContent) : {};
  }

  function plain(name) { return (name || "").trim().split(/\s+/).join(" ").toLowerCase(); }

  function line(a, named) {
    var name = (hindi && a.name_hi) || a.name, craft = (hindi && a.craft_hi) || a.craft;
    var district = (hindi && named[plain(a.district)]) || a.district;
    return [name, district, craft, a.artisan_id].filter(Boolean).join(APART);
  }

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list")), named = districts(), asked = 0, timer = null;
    if (!list) return;
    function fill(artisans) {
      list.textContent = "";
      artisans.forEach(function (a) {
        var option = document.createElement("option"), other = hindi ? a.name : a.name_hi;
        option.value = line(a, named);
        if (other && other !== ((hindi && a.name_hi) || a.name)) option.label = other;  // found by either name
        list.appendChild(option);
      });
    }
    function ask() {
      var typed = input.value.trim(), mine = ++asked;
      if (typed.length < 2 || typed.indexOf(APART.trim()) >= 0) return;  // too little to look for, or a line picked
      rb.api(input.dataset.pick + "?limit=" + LIMIT + "&q=" + encodeURIComponent(typed)).then(function (r) {
        if (r.ok && mine === asked) fill(r.data || []);
      });
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, WAIT_MS);
    });
  }

  document.querySelectorAll("input[data-pick]").forEach(attach);
})();
