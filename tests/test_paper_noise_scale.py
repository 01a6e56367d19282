"""The default noise scale of ``noise_margin`` is the one the paper data show.

``glscore.core.synergy.PAPER_NOISE_SCALE`` is a constant (the core reads no
data); ``glscore.analysis.noise.measured_noise_scale`` estimates it from the
paper's repeated cells. The constant is written at full precision (17
significant digits), so the two agree up to the order of a floating-point
sum. When the estimator changes, update the constant here and in
``core/synergy/noise.py`` together.
"""

import pytest

from glscore.analysis.noise import measured_noise_scale
from glscore.core.synergy import PAPER_NOISE_SCALE


def test_the_constant_is_the_measured_scale():
    assert pytest.approx(measured_noise_scale(), rel=1e-12, abs=0) == PAPER_NOISE_SCALE
    # the precision the README and notebook 06 print it at
    assert f"{PAPER_NOISE_SCALE:.3f}" == f"{measured_noise_scale():.3f}"
