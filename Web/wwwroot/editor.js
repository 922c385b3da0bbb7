// The Markdown editor: live findings (POST /api/validate) and preview (POST /preview) while typing, save with
// If-Match, and on 412 the other author's change as a diff to merge before saving again. Every request carries the
// CSRF token from the page's meta tag; the session itself is an HttpOnly cookie this script never sees.
(() => {
  "use strict";
  const root = document.getElementById("editor");
  if (!root) return;
  const text = document.getElementById("markdown");
  const findings = document.getElementById("findings");
  const score = document.getElementById("score");
  const preview = document.getElementById("preview");
  const status = document.getElementById("status");
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
  let name = root.dataset.name || null;
  let etag = root.dataset.etag || null;
  let revision = Number(root.dataset.revision || 0);
  let isNew = root.dataset.new === "true";
  let timer = 0;

  const headers = (type) => ({ "Content-Type": type, "X-Catalog-Csrf": csrf });

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    Object.assign(node, props);
    node.append(...children);
    return node;
  }

  async function lint() {
    const body = text.value;
    const [validated, rendered] = await Promise.all([
      fetch("/api/validate", { method: "POST", headers: headers("text/markdown"), body, credentials: "same-origin" }),
      fetch("/preview", { method: "POST", headers: headers("text/markdown"), body, credentials: "same-origin" }),
    ]);
    if (validated.ok) {
      const report = await validated.json();
      score.textContent = "score " + report.score;
      findings.replaceChildren(...report.findings.map(f =>
        el("li", { className: "finding " + f.severity.toLowerCase() }, el("span", { className: "sev", textContent: f.severity }), " " + f.section + ": " + f.message)));
      if (report.findings.length === 0) findings.replaceChildren(el("li", { textContent: "No findings." }));
    }
    if (rendered.ok) {
      // Server-rendered, sanitised HTML (Markdown with raw HTML disabled, unsafe links dropped).
      const page = new DOMParser().parseFromString(await rendered.text(), "text/html");
      preview.replaceChildren(...page.body.childNodes);
    }
  }

  text.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(lint, 400);
  });

  async function showConflict() {
    const current = await fetch(`/api/components/${encodeURIComponent(name)}`, { headers: { Accept: "text/markdown", "X-Catalog-Csrf": csrf }, credentials: "same-origin" });
    const theirs = await current.text();
    const theirEtag = current.headers.get("ETag");
    const head = await fetch(`/api/components/${encodeURIComponent(name)}/revisions`, { headers: { "X-Catalog-Csrf": csrf }, credentials: "same-origin" });
    const latest = head.ok ? Math.max(...(await head.json()).items.map(i => i.revision)) : revision + 1;
    const diff = await fetch(`/api/components/${encodeURIComponent(name)}/diff?from=${revision}&to=${latest}`, { headers: { "X-Catalog-Csrf": csrf }, credentials: "same-origin" });
    const box = document.getElementById("conflict-diff");
    box.replaceChildren();
    if (diff.ok) {
      const changes = await diff.json();
      for (const change of changes.sections ?? changes.changes ?? changes.items ?? []) {
        box.append(el("h3", { textContent: `${change.section} (${change.change})` }), el("pre", { className: "diff", textContent: change.diff }));
      }
    }
    document.getElementById("conflict-theirs").textContent = theirs;
    document.getElementById("conflict-revision").textContent = String(latest);
    document.getElementById("conflict").hidden = false;
    etag = theirEtag;
    revision = latest;
    status.textContent = `Not saved: revision ${latest} was saved by someone else meanwhile. Merge their change, then save again.`;
  }

  document.getElementById("save").addEventListener("click", async () => {
    status.textContent = "Saving…";
    const request = isNew
      ? fetch("/api/components", { method: "POST", headers: { ...headers("text/markdown"), Accept: "application/json" }, body: text.value, credentials: "same-origin" })
      : fetch(`/api/components/${encodeURIComponent(name)}`, { method: "PUT", headers: { ...headers("text/markdown"), Accept: "application/json", "If-Match": etag }, body: text.value, credentials: "same-origin" });
    const response = await request;
    if (response.status === 412) {
      await showConflict();
      return;
    }
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      const details = problem.errors ? " " + Object.entries(problem.errors).map(([k, v]) => `${k}: ${[].concat(v).join(" ")}`).join("; ") : "";
      status.textContent = `Not saved (${response.status}): ${problem.detail ?? problem.title ?? "error"}.${details}`;
      return;
    }
    const saved = await response.json();
    name = saved.name;
    etag = response.headers.get("ETag");
    revision = saved.revision;
    isNew = false;
    document.getElementById("conflict").hidden = true;
    status.replaceChildren(`Saved revision ${saved.revision}. `, el("a", { href: `/components/${encodeURIComponent(saved.name)}`, textContent: "View the page" }));
    root.dataset.revision = String(saved.revision);
  });

  lint();
})();
