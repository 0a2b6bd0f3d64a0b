// Copy buttons on /app/batches/{id}/grants (app_grants.html): a button with
// data-copy="<id of a field>" copies that read-only field's text (a grantee link, an
// e-mail text) and says so in its data-copied-text, read out by the status element
// data-copy-status. The buttons are hidden until this script runs (class "js-only"):
// without JavaScript the fields can be selected and copied by hand.
(function () {
  "use strict";
  var buttons = document.querySelectorAll("button[data-copy]");

  function copied(button) {
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (status) {
      status.textContent = button.getAttribute("data-copied-text");
    }
  }

  function copy(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) {
      return;
    }
    var value = field.value;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(value).then(function () { copied(button); },
                                                function () { fallback(button, field); });
    } else {
      fallback(button, field);
    }
  }

  function fallback(button, field) {
    field.focus();
    field.select();
    try {
      if (document.execCommand("copy")) {
        copied(button);
      }
    } catch (ignored) {
      // the text is selected: the user can copy it with the keyboard
    }
    button.focus();
  }

  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { copy(button); });
  });
}());
