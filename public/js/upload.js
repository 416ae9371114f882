// Upload progress for forms marked data-upload. Without JavaScript the form posts as usual.
(function () {
  'use strict';
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-upload') || !window.XMLHttpRequest)
      return;
    var input = form.querySelector('input[type=file]');
    if (!input || !input.files || input.files.length === 0) return;
    event.preventDefault();
    var bar = form.querySelector('progress');
    var button = form.querySelector('button[type=submit]');
    if (bar) bar.hidden = false;
    if (button) button.disabled = true;
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.upload.addEventListener('progress', function (e) {
      if (bar && e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
    });
    xhr.addEventListener('load', function () {
      // The server answers with the record page (after a redirect) or the page with the error.
      document.open();
      document.write(xhr.responseText);
      document.close();
      if (xhr.responseURL) window.history.replaceState(null, '', xhr.responseURL);
    });
    xhr.addEventListener('error', function () {
      if (button) button.disabled = false;
      if (bar) bar.hidden = true;
      window.alert('The upload failed. Check your connection and try again.');
    });
    xhr.send(new FormData(form));
  });
})();
