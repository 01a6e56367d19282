"""Input and output: loaders that build a Benchmark from files, the curation of
``data/`` and the one atomic file writer.
"""
