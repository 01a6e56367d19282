"""The scoring core: the Benchmark type, metric registry, profiles, normalisation,
synergy rules, level formulas and the scoring pass. Imports nothing above it.
"""
