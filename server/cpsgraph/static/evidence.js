// The report's words in long tables: each passage link (a.evidence-link) becomes a disclosure whose words are
// fetched (/evidence/<passage>) the first time it opens. Without script the link leads to the passage page.
// A capped list's link to the rest (a.evidence-more, data-src: JSON whose "passages" are {locator, href}) shows
// the other passages in place when followed; without script it leads to the page of the whole evidence.
function disclose(link) {
  const details = document.createElement("details");
  details.className = "evidence";
  const summary = document.createElement("summary");
  summary.textContent = link.textContent;
  details.append(summary);
  const source = link.getAttribute("href").replace(/^\/page\/passage\//, "/evidence/");
  details.addEventListener("toggle", async () => {
    if (!details.open || details.dataset.loaded) return;
    details.dataset.loaded = "1";
    try {
      const response = await fetch(source, { headers: { Accept: "text/html" } });
      if (!response.ok) throw new Error(String(response.status));
      const holder = document.createElement("div");
      holder.innerHTML = await response.text();   // our own server's escaped template, same origin
      details.append(...holder.childNodes);
    } catch (error) {
      delete details.dataset.loaded;                // try again on the next opening
    }
  });
  link.replaceWith(details);
  return details;
}

for (const link of document.querySelectorAll("a.evidence-link")) disclose(link);

for (const more of document.querySelectorAll("a.evidence-more[data-src]")) {
  more.addEventListener("click", async (event) => {
    event.preventDefault();
    try {
      const response = await fetch(more.dataset.src, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      const list = more.closest(".evidence-list");
      const shown = new Set([...list.querySelectorAll("summary, a.evidence-link")].map((n) => n.textContent));
      let first = null;
      for (const passage of (await response.json()).passages) {
        if (shown.has(passage.locator)) continue;
        const link = document.createElement("a");
        link.className = "evidence-link";
        link.href = passage.href;
        link.textContent = passage.locator;
        more.before(link, " ");
        const details = disclose(link);
        first = first || details;
      }
      more.remove();
      if (first) first.querySelector("summary").focus();   // the keyboard stays where the list grew
    } catch (error) {
      window.location.href = more.href;                      // the page of the whole evidence instead
    }
  });
}
