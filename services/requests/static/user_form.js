/* The Users page's "Add a login" asks only what the chosen role needs: as the role is changed, the other roles'
   fields are hidden and disabled (so never sent), and the role goes in the form's own `role`. Without this script
   the role is chosen first ("Show the fields for this role" asks the page again) and the page comes with that
   role's fields only. */
(function () {
  "use strict";
  var form = document.getElementById("add-user-form"), choice = document.getElementById("role");
  if (!form || !choice) return;
  var show = document.getElementById("role-show");
  if (show) show.hidden = true;  // the fields change in place
  function fit() {
    form.elements.role.value = choice.value;
    form.querySelectorAll("[data-for-role]").forEach(function (box) {
      var ours = box.dataset.forRole === choice.value;
      box.hidden = !ours;
      box.querySelectorAll("input, select, textarea").forEach(function (field) { field.disabled = !ours; });
    });
  }
  choice.addEventListener("change", fit);
  fit();  // a role the browser kept from before (back to the page) is the one asked for
  form.rbField = function (name) {  // a refusal of the role: under it; of the artisan named by name: under that
    return name === "role" ? choice : name === "artisan_id" ? form.elements.artisan : null;
  };
})();
