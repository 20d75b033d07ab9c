"""Finds English left in a page the user reads: `english_words_in(html)`.

Only visible text counts: element text, a field's placeholder and a button's value; never
scripts, styles, code, hidden elements, other attributes (tooltips, alternative texts, machine
codes) or the contents of form fields. Words are matched whole and case-sensitively for the
capitalised ones ("Save", "None"), so that a Vietnamese word never matches by accident.
"""

import re
from html.parser import HTMLParser

# Common English words of Django's admin, forms and a careless template. Capitalised entries
# match only as written; lower-case ones in any case.
ENGLISH_WORDS = (
    "Save", "Delete", "Add", "Change", "History", "Search", "Filter", "Decision", "Outline",
    "Template", "Templates", "required", "This field", "Enter a valid", "Select", "Username",
    "Password", "Active", "Staff status", "Superuser status", "Groups", "Permissions", "None",
    "True", "False", "Yes", "No", "Unknown", "Home", "Log out", "Log in", "View site",
    "Welcome", "Action", "Go", "Submit", "Cancel", "Close", "Edit", "View", "Name", "Title",
    "Status", "Date", "Created", "Updated", "Report", "Reports", "Section", "Sections",
    "Appendix", "Indicator", "Indicators", "Column", "Columns", "Rule", "Rules", "Version",
    "Versions", "Period", "Periods", "Unit", "Units", "User", "Users", "Comment", "Comments",
    "Notification", "Notifications", "Designates", "Required.", "characters or fewer",
    "Raw passwords", "Hold down", "object", "objects", "by", "part versions", "created at",
    "updated at", "Loading", "Previous", "Next", "Page", "of", "the", "and", "or", "with",
    "Error", "Warning", "Please", "Select all", "Clear", "Show", "Hide", "Export", "Import",
    "Download", "Upload", "Back", "Total", "Number",
    # Django's admin of third-party models (django-axes, django-tasks) and a method shown as a
    # column without a description ("GET FULL NAME").
    "Access", "attempt", "attempts", "failure", "failures", "log", "logs", "Locked", "Expires",
    "Attempt", "Failed", "Logins", "Logout", "Agent", "Address", "Path", "Time", "Data",
    "Meta", "Form", "Get", "GET", "POST", "FULL", "NAME", "full", "name", "Axes", "Tasks",
    "Task", "result", "results", "Not set", "Remaining", "Clean", "expired", "Priority",
    "Queue", "Backend", "Enqueued", "Started", "Finished", "Worker", "Args", "Kwargs", "Ready",
    "Running", "Successful", "Can add", "Can change", "Can delete", "Can view", "Status",
)  # fmt: skip

# Proper nouns, format names and abbreviations the portal rightly prints as they are.
ALLOWED = {
    "PDF", "Excel", "Word", "CCHC", "TTHC", "ISO", "TCVN", "CNTT", "DVC", "HTQLCL", "UBND",
    "QPPL", "LAN", "Internet", "Zalo", "Email", "email", "Website", "website", "Online", "STT",
    "OK", "ID", "URL", "CSV", "XLSX", "DOCX", "JSON",
}  # fmt: skip

SKIPPED_TAGS = {"script", "style", "code", "pre", "textarea", "template", "noscript"}
READ_ATTRIBUTES = {"placeholder"}
VOID_TAGS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


def _pattern(word: str) -> re.Pattern:
    flags = 0 if word[0].isupper() else re.IGNORECASE
    # Whole words only, and not part of a Vietnamese word or a machine code ("so_tt", "a.b").
    return re.compile(rf"(?<![\w\-./@]){re.escape(word)}(?![\w\-/@]|\.\w)", flags)


PATTERNS = [(word, _pattern(word)) for word in ENGLISH_WORDS]


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping: list[str] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        hidden = (
            attributes.get("hidden") is not None
            or "d-none" in (attributes.get("class") or "").split()
        )
        if (tag in SKIPPED_TAGS or hidden or self.skipping) and tag not in VOID_TAGS:
            self.skipping.append(tag)
        if self.skipping or hidden:
            return
        for name in READ_ATTRIBUTES:
            if attributes.get(name):
                self.texts.append(attributes[name])
        if tag == "input" and attributes.get("type") in ("submit", "button", "reset"):
            self.texts.append(attributes.get("value") or "")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS and self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_endtag(self, tag):
        if tag in self.skipping:  # also closes what the page left open inside
            while self.skipping.pop() != tag:
                pass

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.texts.append(data)


def visible_texts(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return parser.texts


def english_words_in(html: str, *, allowed: set[str] = frozenset()) -> list[str]:
    """The English words of the list that a reader of `html` sees, each with the text it was
    found in: ["Save: Save and add another", …]; empty when the page is all Vietnamese."""
    found = []
    for text in visible_texts(html):
        words = set(re.findall(r"[\w.]+", text))
        if words and words <= ALLOWED | allowed:
            continue
        for word, pattern in PATTERNS:
            if word in ALLOWED or word in allowed:
                continue
            if pattern.search(text):
                found.append(f"{word}: {' '.join(text.split())[:120]}")
    return found
