"""Bringing other datasets in: UCDP and ACLED importers, merging several event tables, and
verified downloads. Imports the core library; nothing in the core imports it."""
