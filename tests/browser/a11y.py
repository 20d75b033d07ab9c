"""Accessibility checks with axe-core (WCAG 2.0 A/AA and 2.1 A/AA rules) in Chromium.

`watch_a11y(context)` puts axe-core (installed from npm by scripts/test into
tests/browser/axe/node_modules) into every page of a browser context as an init script, which
neither the Content-Security-Policy nor a navigation can stop, and runs it when each page has
loaded; the results come back on the console, like the CSP watcher's. `audit(page)` runs it
once more on the page as it stands now and waits for the answer. `assert_accessible(results)`
fails with every violation not in the allow-list (tests/browser/axe/allow.toml).
See docs/accessibility.md.
"""

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent / "axe"
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
ALLOW_FILE = HERE / "allow.toml"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MARKER = "AXE-RESULT "

RUNNER = """
(() => {
  if (window.top !== window || !window.axe) return;
  const options = {runOnly: {type: "tag", values: %(tags)s}, resultTypes: ["violations"]};
  const brief = (results) => results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), html: n.html.slice(0, 200),
                               summary: n.failureSummary})),
  }));
  // axe refuses a second run while one is going: queue them.
  let queue = Promise.resolve();
  window.__a11y = () => (queue = queue.catch(() => null).then(() => axe.run(document, options))
                                       .then(brief));
  if (%(auto)s) window.addEventListener("load", () => {
    window.__a11y().then((violations) => console.log(%(marker)s + JSON.stringify(
      {url: location.pathname + location.search, title: document.title, violations})));
  });
})();
"""


@dataclass
class Finding:
    url: str
    rule: str
    help: str
    nodes: list[dict] = field(default_factory=list)

    def __str__(self):
        lines = [f"{self.url}: {self.rule} ({self.help})"]
        for node in self.nodes[:6]:
            lines.append(f"    {node['target']}: {node['html']}")
            lines.append("      " + node["summary"].replace("\n", "\n      "))
        if len(self.nodes) > 6:
            lines.append(f"    ... and {len(self.nodes) - 6} more")
        return "\n".join(lines)


@dataclass
class Results:
    pages: list[str] = field(default_factory=list)  # each page checked, in order
    findings: list[Finding] = field(default_factory=list)

    def add(self, report: dict) -> None:
        self.pages.append(report["url"])
        for v in report["violations"]:
            self.findings.append(Finding(report["url"], v["id"], v["help"], v["nodes"]))


def allow_list() -> list[dict]:
    """Each entry: rule, url (a regular expression over path and query), why."""
    entries = tomllib.loads(ALLOW_FILE.read_text(encoding="utf-8")).get("allow", [])
    for entry in entries:
        assert entry.get("why"), f"allow-list entry without a reason: {entry}"
    return entries


def init_script(auto: bool = True) -> str:
    if not AXE_JS.exists():
        raise RuntimeError(f"{AXE_JS} is missing: run scripts/test (or npm ci --prefix {HERE})")
    runner = RUNNER % {
        "tags": json.dumps(TAGS),
        "marker": json.dumps(MARKER),
        "auto": json.dumps(auto),
    }
    return AXE_JS.read_text(encoding="utf-8") + "\n" + runner


def watch_a11y(context, auto: bool = True) -> Results:
    """Checks every page of a context when it has loaded (with auto=False: only when audit()
    is called)."""
    results = Results()

    def on_console(message):
        if message.text.startswith(MARKER):
            results.add(json.loads(message.text.removeprefix(MARKER)))

    context.on("console", on_console)
    context.add_init_script(init_script(auto))
    return results


def audit(page, results: Results) -> None:
    """Checks the page as it stands now (after a script changed it, or before it closes)."""
    violations = page.evaluate("() => window.__a11y ? window.__a11y() : null")
    if violations is not None:
        url = page.evaluate("() => location.pathname + location.search")
        results.add({"url": url, "violations": violations})


def unexplained(results: Results) -> list[Finding]:
    allowed = allow_list()
    return [
        f
        for f in results.findings
        if not any(a["rule"] == f.rule and re.search(a["url"], f.url) for a in allowed)
    ]


def assert_accessible(results: Results) -> None:
    """Fails with each problem once (rule and element), and the pages it was found on."""
    findings = unexplained(results)
    grouped: dict[tuple, list[str]] = {}
    examples: dict[tuple, Finding] = {}
    for f in findings:
        for node in f.nodes:
            key = (f.rule, node["target"], node["summary"])
            grouped.setdefault(key, [])
            if f.url not in grouped[key]:
                grouped[key].append(f.url)
            examples[key] = Finding(f.url, f.rule, f.help, [node])
    lines = []
    for key, urls in grouped.items():
        shown = ", ".join(urls[:4]) + (f" and {len(urls) - 4} more" if len(urls) > 4 else "")
        lines.append(f"{examples[key]}\n    on {shown}")
    assert not findings, (
        f"axe-core: {len(grouped)} WCAG 2.1 A/AA violations on {len(results.pages)} pages "
        "checked:\n" + "\n".join(lines)
    )
