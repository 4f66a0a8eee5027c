// storydesk reader: small enhancements only; every page works without this file.
// "No time to read? Get a summary" shows the summary in place instead of opening
// the summary page. Text is inserted as text (textContent), never as markup.
document.addEventListener("click", async (event) => {
  const link = event.target.closest("a.get-summary");
  if (!link || !link.dataset.api) return;
  const box = link.parentElement.querySelector(".summary-box");
  if (!box) return;
  event.preventDefault();
  if (!box.hidden) { box.hidden = true; link.setAttribute("aria-expanded", "false"); return; }
  if (!box.dataset.loaded) {
    box.textContent = "Summarising…";
    box.hidden = false;
    try {
      const reply = await fetch(link.dataset.api, { headers: { Accept: "application/json" } });
      if (!reply.ok) throw new Error("HTTP " + reply.status);
      const data = await reply.json();
      const list = document.createElement("ol");
      list.className = "summary-sentences";
      for (const s of data.sentences || []) {
        const item = document.createElement("li");
        item.append(s.text + " ");
        const ref = document.createElement("a");
        ref.className = "ref";
        ref.href = "#s" + s.index;
        ref.textContent = "[sentence " + s.index + "]";
        item.append(ref);
        list.append(item);
      }
      box.replaceChildren(list);
      box.dataset.loaded = "1";
    } catch (err) {
      window.location.href = link.href;  // fall back to the summary page
      return;
    }
  }
  box.hidden = false;
  link.setAttribute("aria-expanded", "true");
});
