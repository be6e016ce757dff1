/* The request for members (coop_new.html): each member's folded line says what is chosen for them as it is typed
   (without script it says it when the page comes back: the estimate, a split, a refusal); a box finds a member's
   line by name (either language), number or login; on a wide screen the lines are open, the grid at a glance. */
(function () {
  "use strict";
  var members = document.querySelector("#coop-request .coop-members");
  if (!members) return;
  var lines = Array.prototype.slice.call(members.querySelectorAll("details.member"));
  function say(member) {
    var chosen = [];
    member.querySelectorAll(".coop-cell[data-material]").forEach(function (cell) {
      var value = cell.querySelector("input").value.trim();
      if (value) chosen.push(cell.dataset.material + " " + value + " " + cell.dataset.unit);
    });
    member.querySelector("[data-chosen]").textContent = chosen.join(" · ") || members.dataset.none;
  }
  members.addEventListener("input", function (event) {
    var member = event.target.closest("details.member");
    if (member) say(member);
  });

  // Find a member: a line the server opened (a refusal, a split over quota) is never hidden.
  var find = members.querySelector("[data-find]"), box = find && find.querySelector("input"),
      found = find && find.querySelector("[data-found]");
  function filter() {
    var words = box.value.trim().toLowerCase().split(/\s+/).filter(Boolean), shown = 0;
    lines.forEach(function (line) {
      var text = line.dataset.search || "";
      line.hidden = !line.hasAttribute("data-opened") && !words.every(function (w) { return text.indexOf(w) >= 0; });
      if (!line.hidden) shown += 1;
    });
    found.textContent = found.dataset.says.replace("{n}", shown).replace("{all}", lines.length);
  }
  if (find && lines.length > 1) {
    find.hidden = false;
    box.addEventListener("input", filter);
    box.addEventListener("keydown", function (event) {  // Enter here finds; it never sends the form
      if (event.key === "Enter") event.preventDefault();
    });
    filter();
  }

  // A desk's wide screen shows every line open; a phone's keeps them folded but those the server opened.
  var wide = window.matchMedia("(min-width: 60rem)");
  function unfold() {
    lines.forEach(function (line) { line.open = wide.matches || line.hasAttribute("data-opened"); });
  }
  if (wide.matches) unfold();
  wide.addEventListener("change", unfold);
})();
