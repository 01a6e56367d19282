"""Colour science for the palettes: colour-vision simulation and perceptual distance.

Pure numpy, no colour package. Used by the tests of the house palettes
(:mod:`glscore.figures.style`) and by :func:`min_neighbour_distance`, which
says how far apart the closest two neighbours of an ordered palette are for a
reader with normal vision and under simulated dichromacy.

* **sRGB** hex colours are decoded and linearised with the IEC 61966-2-1
  transfer function: ``c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055)^2.4``.
* **Colour-vision deficiency** is simulated with the matrices of Machado,
  Oliveira and Fernandes (2009), "A physiologically-based model for
  simulation of color vision deficiency", IEEE TVCG 15(6), at severity 1.0
  (dichromacy), applied to linear RGB and clipped to [0, 1]:
  ``rgb' = M rgb``.
* **CIELAB** from linear sRGB through XYZ (D65 white,
  ``L* = 116 f(Y/Yn) - 16``, ``a* = 500 (f(X/Xn) - f(Y/Yn))``,
  ``b* = 200 (f(Y/Yn) - f(Z/Zn))``, ``f(t) = t^(1/3)`` above
  ``(6/29)^3``, else ``t / (3 (6/29)^2) + 4/29``).
* **CIEDE2000** colour difference (Sharma, Wu and Dalal 2005, "The CIEDE2000
  color-difference formula: implementation notes, supplementary test data,
  and mathematical observations", Color Res. Appl. 30(1)), with
  ``kL = kC = kH = 1``. A difference of about 1 is just noticeable side by
  side; categorical palettes aim at 10 or more between the colours a reader
  must tell apart.

>>> round(float(ciede2000([50, 2.6772, -79.7751], [50, 0, -82.7485])), 4)
2.0425
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np

__all__ = [
    "DEFICIENCIES",
    "MACHADO_2009",
    "ciede2000",
    "hex_to_srgb",
    "lab",
    "min_neighbour_distance",
    "neighbour_distances",
    "simulate",
]

#: Machado et al. (2009), Table 1, severity 1.0 (linear RGB -> linear RGB).
MACHADO_2009: Final[dict[str, np.ndarray]] = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
#: The visions a palette is checked under: normal, then the simulated dichromacies.
DEFICIENCIES: Final[tuple[str, ...]] = ("normal", "deuteranopia", "protanopia", "tritanopia")

# linear sRGB -> XYZ (D65), IEC 61966-2-1
_RGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375],
                        [0.2126729, 0.7151522, 0.0721750],
                        [0.0193339, 0.1191920, 0.9503041]])
_WHITE = _RGB_TO_XYZ.sum(axis=1)  # the XYZ of linear (1, 1, 1)


def hex_to_srgb(colours: Sequence[str] | str) -> np.ndarray:
    """``#RRGGBB`` (or ``RRGGBB``) colours as an (n, 3) array of sRGB in [0, 1].

    >>> hex_to_srgb(["#FF8000"]).tolist()
    [[1.0, 0.5019607843137255, 0.0]]
    """
    items = [colours] if isinstance(colours, str) else list(colours)
    out = np.empty((len(items), 3))
    for i, text in enumerate(items):
        h = text.lstrip("#")
        if len(h) != 6:
            raise ValueError(f"colour {text!r}: expected #RRGGBB")
        out[i] = [int(h[k:k + 2], 16) / 255.0 for k in (0, 2, 4)]
    return out


def _linear(srgb: np.ndarray) -> np.ndarray:
    srgb = np.asarray(srgb, dtype=float)
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def simulate(srgb: np.ndarray, vision: str) -> np.ndarray:
    """Linear RGB (n, 3) as seen under ``vision`` (:data:`DEFICIENCIES`) from sRGB (n, 3).

    ``normal`` returns the linearised input; a dichromacy applies its
    :data:`MACHADO_2009` matrix and clips to [0, 1].
    """
    lin = _linear(srgb)
    if vision == "normal":
        return lin
    if vision not in MACHADO_2009:
        raise ValueError(f"vision {vision!r}: choose one of {list(DEFICIENCIES)}")
    return np.clip(lin @ MACHADO_2009[vision].T, 0.0, 1.0)


def lab(linear_rgb: np.ndarray) -> np.ndarray:
    """CIELAB (n, 3) of linear sRGB (n, 3), D65 white (module docstring).

    >>> np.round(lab(np.array([[1.0, 1.0, 1.0]])), 6).tolist()
    [[100.0, 0.0, 0.0]]
    """
    xyz = np.asarray(linear_rgb, dtype=float) @ _RGB_TO_XYZ.T / _WHITE
    delta = 6.0 / 29.0
    f = np.where(xyz > delta ** 3, np.cbrt(xyz), xyz / (3 * delta ** 2) + 4.0 / 29.0)
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]),
                     200 * (f[:, 1] - f[:, 2])], axis=-1)


def ciede2000(lab1: np.ndarray | Sequence[float], lab2: np.ndarray | Sequence[float]
              ) -> np.ndarray:
    """CIEDE2000 difference between CIELAB colours (``..., 3`` arrays, broadcast).

    Following Sharma et al. (2005), equations (1)-(24): ``C*ab`` and the
    ``G`` factor that stretches ``a*`` for near-neutral colours, ``h'`` in
    degrees, the mean hue taken around the shorter arc, the weights
    ``S_L = 1 + 0.015 (L' - 50)^2 / sqrt(20 + (L' - 50)^2)``,
    ``S_C = 1 + 0.045 C'``, ``S_H = 1 + 0.015 C' T`` and the rotation term
    ``R_T = -sin(2 dtheta) R_C``;
    ``dE = sqrt((dL'/S_L)^2 + (dC'/S_C)^2 + (dH'/S_H)^2 + R_T (dC'/S_C)(dH'/S_H))``.
    """
    a = np.asarray(lab1, dtype=float)
    b = np.asarray(lab2, dtype=float)
    l1, a1, b1 = a[..., 0], a[..., 1], a[..., 2]
    l2, a2, b2 = b[..., 0], b[..., 1], b[..., 2]
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar ** 7 / (c_bar ** 7 + 25.0 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.where((a1p == 0) & (b1 == 0), 0.0, np.degrees(np.arctan2(b1, a1p)) % 360)
    h2p = np.where((a2p == 0) & (b2 == 0), 0.0, np.degrees(np.arctan2(b2, a2p)) % 360)
    dl = l2 - l1
    dc = c2p - c1p
    dh_angle = h2p - h1p
    dh_angle = np.where(dh_angle > 180, dh_angle - 360,
                        np.where(dh_angle < -180, dh_angle + 360, dh_angle))
    dh_angle = np.where(c1p * c2p == 0, 0.0, dh_angle)
    dh = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh_angle) / 2)
    l_bar = (l1 + l2) / 2
    cp_bar = (c1p + c2p) / 2
    h_sum = h1p + h2p
    h_bar = np.where(np.abs(h1p - h2p) <= 180, h_sum / 2,
                     np.where(h_sum < 360, (h_sum + 360) / 2, (h_sum - 360) / 2))
    h_bar = np.where(c1p * c2p == 0, h_sum, h_bar)
    t = (1 - 0.17 * np.cos(np.radians(h_bar - 30)) + 0.24 * np.cos(np.radians(2 * h_bar))
         + 0.32 * np.cos(np.radians(3 * h_bar + 6)) - 0.20 * np.cos(np.radians(4 * h_bar - 63)))
    d_theta = 30 * np.exp(-(((h_bar - 275) / 25) ** 2))
    r_c = 2 * np.sqrt(cp_bar ** 7 / (cp_bar ** 7 + 25.0 ** 7))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / np.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    r_t = -np.sin(np.radians(2 * d_theta)) * r_c
    return np.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (dh / s_h) ** 2
                   + r_t * (dc / s_c) * (dh / s_h))


def neighbour_distances(colours: Sequence[str], vision: str = "normal") -> np.ndarray:
    """CIEDE2000 between each colour and the next (an ordered palette), as seen
    under ``vision``."""
    seen = lab(simulate(hex_to_srgb(colours), vision))
    return ciede2000(seen[:-1], seen[1:])


def min_neighbour_distance(colours: Sequence[str],
                           visions: Sequence[str] = DEFICIENCIES) -> float:
    """The smallest CIEDE2000 between neighbours of ``colours`` over ``visions``."""
    return float(min(neighbour_distances(colours, v).min() for v in visions))
