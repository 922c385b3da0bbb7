// Search as you type: fetch the same page for the new query and swap the results in; the URL follows, so it can be shared.
(() => {
  "use strict";
  const box = document.querySelector("[data-live-search]");
  const results = document.getElementById("results");
  if (!box || !results) return;
  let timer = 0;
  let current = null;
  box.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const url = new URL(location.href);
      const q = box.value.trim();
      if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
      url.searchParams.delete("after");
      if (current) current.abort();
      current = new AbortController();
      try {
        const response = await fetch(url, { signal: current.signal, headers: { Accept: "text/html" }, credentials: "same-origin" });
        if (!response.ok) return;
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        const fresh = page.getElementById("results");
        const facets = page.querySelector(".facets");
        if (fresh) results.replaceChildren(...fresh.childNodes);
        if (facets) document.querySelector(".facets")?.replaceChildren(...facets.childNodes);
        history.replaceState(null, "", url);
      } catch (e) {
        if (e.name !== "AbortError") throw e;
      }
    }, 250);
  });
})();
