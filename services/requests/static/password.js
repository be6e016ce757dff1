/* Change my password: the new one typed twice alike before it is sent (the second is never sent). */
(function () {
  "use strict";
  var form = document.getElementById("password-form");
  if (!form) return;
  form.rbCheck = function () {
    var again = document.getElementById("new_password_again");
    return again.value === form.elements.new_password.value ? null : form.dataset.differ;
  };
})();
