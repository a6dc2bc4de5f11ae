// The page that waits for a PDF (tandem/exports/pages.py). Its status box polls with
// htmx; when the worker has made the PDF, the poll's answer triggers "tandem:open-file"
// naming it, and the file replaces this page in the history, so the browser's Back
// returns to the page that asked for it, not to one that would ask again.
document.addEventListener("tandem:open-file", (event) => {
  const detail = event.detail || {};
  const url = detail.url || (detail.value && detail.value.url);
  if (url) {
    window.location.replace(url);
  }
});

// A poll that fails (the session ended, the document expired) stops polling and says
// so, instead of asking again every second.
document.addEventListener("htmx:responseError", (event) => {
  const box = event.detail.elt;
  if (!box || box.id !== "export-status") {
    return;
  }
  const region = box.parentElement;
  const note = document.createElement("p");
  note.textContent = region.dataset.error;
  box.replaceWith(note);
});
