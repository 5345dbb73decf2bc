"""The book around the analyses: each chapter's preamble, the charts and their offline
renderer, the figure registry (a Sphinx extension), provenance and the PDF sources. Imports
the core library; nothing in the core imports it."""
