"""Running the notebooks: the papermill runner (``python -m glscore.pipeline``)
and the helpers notebooks call (:mod:`glscore.pipeline.notebook`).
"""
