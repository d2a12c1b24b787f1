"""Inline SVG illustrations of the item bank, by name. Each SVG is drawn by hand for the
bank, has role="img" and a <title>, and uses currentColor or a high-contrast palette."""

from .illustrations_a import SVG as _A
from .illustrations_b import SVG as _B

ILLUSTRATIONS: dict[str, str] = {**_A, **_B}
