"""Exports of a finished report: PDF in the official document format, and Word.

document.py builds the data both renderers print; pdf.py and docx.py only lay it out.
"""
