"""One module per command of the ``glscore`` command line."""
