/* The request for members (coop_new.html): each member's folded line says what is chosen for them as it is typed
   (without script it says it when the page comes back: the estimate, a split, a refusal). */
(function () {
  "use strict";
  var members = document.querySelector("#coop-request .coop-members");
  if (!members) return;
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
})();
