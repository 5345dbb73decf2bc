"""The shared analysis library of the executable book on Mali's security crisis since 2012.

Modules: ``paths`` (where files live), ``schema`` (the event schema), ``validate`` (checking
files), ``data`` (loading), ``transforms`` (tables from events), ``charts`` (Altair),
``chapter`` (the preamble every chapter runs), ``provenance`` (data package and sources),
``refresh`` (re-executing the chapters).
"""

__version__ = "0.1.0"
BOOK_TITLE = "Mali's Security Crisis since 2012: An Executable Book"
