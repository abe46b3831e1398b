// Search as you type: GitHub's <auto-complete> element fetches /search/suggest (server-rendered options) and
// makes the input an ARIA combobox (arrow keys, Enter, Escape). Here: a status line in the page's language
// ("8 suggestions", read by screen readers), and, in the paths form, the chosen actor's id into the hidden
// field the form submits (typing again clears it; the server then resolves the typed name itself).
import "./vendor/auto-complete-element/bundle.js";

for (const box of document.querySelectorAll("auto-complete")) {
  const list = document.getElementById(box.getAttribute("for"));
  const input = box.querySelector("input");
  const status = list && document.getElementById(list.id + "-status");
  box.addEventListener("load", () => {
    if (!status) return;
    const n = list.querySelectorAll('[role="option"]:not(.s-all)').length;
    status.textContent = n ? status.dataset.found.replace("{n}", n) : status.dataset.none;
  });
  const target = box.dataset.target && document.getElementById(box.dataset.target);
  if (target && list && input) {
    list.addEventListener("combobox-commit", (event) => {
      const option = event.target.closest('[role="option"]');
      if (option && option.dataset.id) target.value = option.dataset.id;
    });
    input.addEventListener("input", () => { target.value = ""; });
  }
  // Text typed before this module ran (a slow connection, a quick reader) fired its input events before the
  // element listened: ask for its suggestions now. A value the server put there (its default) is left alone.
  if (input && input.value && input.value !== input.defaultValue) {
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }
}
