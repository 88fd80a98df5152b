"""A logistic head: standardised features → a logit, fitted by Newton's method with an L2 penalty.

Small enough to read (one weight per named feature, stored as JSON beside the adapter) and exactly
reproducible: no random initialisation, no sampling, the same fit on every machine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class LogisticHead:
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    def logits(self, matrix: np.ndarray) -> np.ndarray:
        if len(matrix) == 0:
            return np.zeros(0)
        return ((matrix - self.mean) / self.scale) @ self.weights + self.bias

    def as_dict(self) -> dict:
        return {
            "features": list(self.features),
            "mean": self.mean.round(8).tolist(),
            "scale": self.scale.round(8).tolist(),
            "weights": self.weights.round(8).tolist(),
            "bias": round(float(self.bias), 8),
        }

    @classmethod
    def from_dict(cls, data: dict, expected: tuple[str, ...]) -> LogisticHead:
        if tuple(data["features"]) != expected:
            raise ValueError(f"head reads {data['features']}, this code computes {list(expected)}")
        arrays = [np.asarray(data[k], dtype=np.float64) for k in ("mean", "scale", "weights")]
        if any(a.shape != (len(expected),) for a in arrays):
            raise ValueError("head arrays do not match its feature list")
        return cls(tuple(expected), *arrays, float(data["bias"]))


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -40, 40)))


def fit_logistic(
    matrix: np.ndarray,
    labels: np.ndarray,
    features: tuple[str, ...],
    l2: float = 1.0,
    sample_weight: np.ndarray | None = None,
    iterations: int = 50,
) -> LogisticHead:
    """Penalised maximum likelihood (the bias is not penalised)."""
    mean = matrix.mean(axis=0)
    scale = np.maximum(matrix.std(axis=0), 1e-6)
    x = np.hstack([(matrix - mean) / scale, np.ones((len(matrix), 1))])
    y = labels.astype(np.float64)
    w = np.ones(len(y)) if sample_weight is None else sample_weight.astype(np.float64)
    beta = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = sigmoid(x @ beta)
        gradient = x.T @ (w * (p - y)) + penalty * beta
        hessian = (x * (w * p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return LogisticHead(tuple(features), mean, scale, beta[:-1], float(beta[-1]))
