"""The shared analysis library of the executable book on Mali's security crisis since 2012.

Layers, each importing only those above it in this list:

* core (this package's modules): ``study`` (the book's facts and period), ``paths`` (where
  files live, atomic writes), ``errors``, ``schema``, ``cells`` (parsing cell values),
  ``validate`` (checking files), ``geography``, ``data`` (one loader per table),
  ``transforms`` (tables from events) and the analyses ``ihl``, ``vacuums``, ``scenarios``,
  ``forecast``;
* ``ingest``: UCDP and ACLED importers, merging, verified downloads;
* ``book``: chapter context, charts, figures, provenance, PDF sources, Sphinx extensions;
* ``run``: refreshing the chapters and the command line (``python -m analysis``).
"""

from analysis.study import VERSION as __version__

__all__ = ["__version__"]
