"""Text as every input is kept: only characters XML (xlsx, docx) can carry.

A report's text ends up in Word and Excel files, whose XML cannot hold most control characters;
one stray vertical tab pasted from Word used to break every later export. So text is cleaned
where it enters (forms, autosave, Excel import, services), never at export
(docs/value-formats.md, "Control characters").
"""

import re

from django import forms

from .limits import MaxChars

# Word writes a manual line break as a vertical tab and a page break as a form feed.
_LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
# What XML 1.0 cannot carry: C0 controls except tab, LF and CR (NUL included), lone surrogates,
# U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` with Word's line/page breaks as line breaks and other control characters dropped."""
    if not text:
        return text
    return _NOT_XML.sub("", text.translate(_LINE_BREAKS))


class XmlSafeCharField(forms.CharField):
    """A form's text field: cleaned by xml_safe before validation, so a NUL pasted into it is
    dropped instead of reaching the database (PostgreSQL refuses NUL: a 500). `limit` bounds its
    length (lib.limits), refused with a Vietnamese message."""

    def __init__(self, *args, limit: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if limit is not None:
            self.validators.append(MaxChars(limit))

    def to_python(self, value):
        return xml_safe(super().to_python(value))
