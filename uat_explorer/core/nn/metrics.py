"""How close the network is to the target, in the numbers people quote."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class FitMetrics:
    """MSE, RMSE, mean and max absolute error, and R² of y against t."""

    mse: float
    rmse: float
    mae: float
    max_abs_error: float
    r2: float

    @classmethod
    def of(cls, y: np.ndarray, t: np.ndarray) -> FitMetrics:
        with np.errstate(all="ignore"):  # huge weights: inf is the honest answer
            r = np.asarray(y, dtype=np.float64) - np.asarray(t, dtype=np.float64)
            abs_r = np.abs(r)
            mse = float(np.mean(r * r))
            variance = float(np.var(t))
        r2 = 1.0 - mse / variance if variance > 0 else (1.0 if mse == 0 else float("-inf"))
        return cls(mse, float(np.sqrt(mse)), float(abs_r.mean()), float(abs_r.max()), r2)

    def to_dict(self) -> dict[str, float]:
        return asdict(self)
