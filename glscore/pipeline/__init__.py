"""Running the notebooks: the papermill runner (:mod:`glscore.pipeline.runner`,
``glscore run``) and the helpers notebooks call (:mod:`glscore.pipeline.notebook`).
"""

#: Seconds a notebook cell may run before the run fails (``glscore run --timeout``).
DEFAULT_TIMEOUT = 600
