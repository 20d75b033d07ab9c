"""Fail a browser test on any Content-Security-Policy violation Chromium reports.

Chromium writes each violation to the console ("Refused to apply inline style because it
violates the following Content Security Policy directive: ..."). `watch_csp(context)` collects
them for every page of a browser context; `assert_no_csp_violations` fails with the list.
The browser conftest wires this into every test's context; a crawler can call both directly.
"""

CSP_MARKERS = ("Content Security Policy", "Content-Security-Policy", "CSP violation")
# Chromium's console line does not say what was refused; the DOM event does (file, line, sample).
REPORTER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at `
    + `${e.sourceFile || "?"}:${e.lineNumber}:${e.columnNumber} `
    + `sample=${JSON.stringify(e.sample)}`);
});
"""


def is_csp_violation(text: str) -> bool:
    return text.startswith("Refused to") or any(marker in text for marker in CSP_MARKERS)


def watch_csp(target) -> list[str]:
    """Collects CSP violations reported on a page or on every page of a context."""
    violations: list[str] = []

    def on_console(message):
        if is_csp_violation(message.text):
            location = message.location or {}
            violations.append(f"{location.get('url', '')}: {message.text}")

    target.on("console", on_console)
    target.add_init_script(REPORTER)
    return violations


def assert_no_csp_violations(violations: list[str]) -> None:
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)
