// Live progress of a batch on /app/batches/{id} (app_batch.html): polls progress.json,
// updates the <progress> element and its text, and loads the page again when the batch
// has ended (the downloads are then on it). Without JavaScript, the page's link does it.
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box || box.getAttribute("data-ended") === "true" || !window.fetch) {
    return;
  }
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");
  var url = box.getAttribute("data-progress-url");
  var every = 1000;

  function show(p) {
    bar.max = Math.max(p.total, 1);
    bar.value = p.finished;
    if (text.textContent !== p.text) {
      text.textContent = p.text;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store",
                 headers: { "Accept": "application/json" } })
      .then(function (answer) {
        if (!answer.ok) {
          throw new Error("progress " + answer.status);
        }
        return answer.json();
      })
      .then(function (p) {
        show(p);
        if (p.ended) {
          window.location.reload();
        } else {
          window.setTimeout(poll, every);
        }
      })
      .catch(function () {
        window.setTimeout(poll, every * 5);
      });
  }

  window.setTimeout(poll, every);
}());
