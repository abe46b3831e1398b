// The report's words in long tables: each passage link (a.evidence-link) becomes a disclosure whose words are
// fetched (/evidence/<passage>) the first time it opens. Without script the link leads to the passage page.
for (const link of document.querySelectorAll("a.evidence-link")) {
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
}
