"""A multinomial logistic regression with L2, fitted full batch by a small L-BFGS in float64:
deterministic, and no scikit-learn on the install."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

MAX_ITER = 300


def _lbfgs(
    fun: Callable[[np.ndarray], tuple[float, np.ndarray]],
    x: np.ndarray,
    iters: int = MAX_ITER,
    memory: int = 10,
    gtol: float = 1e-6,
) -> np.ndarray:
    """Minimise `fun` (value, gradient) from `x`: L-BFGS with Armijo backtracking. Plain float64
    arithmetic in a fixed order, so the same input always gives the same bits."""
    f, g = fun(x)
    s_hist: list[np.ndarray] = []
    y_hist: list[np.ndarray] = []
    for _ in range(iters):
        if float(np.max(np.abs(g))) < gtol:
            break
        q = g.copy()
        alphas = []
        for s, y in zip(reversed(s_hist), reversed(y_hist), strict=True):
            rho = 1.0 / float(y @ s)
            a = rho * float(s @ q)
            q -= a * y
            alphas.append((rho, a))
        if s_hist:
            q *= float(s_hist[-1] @ y_hist[-1]) / float(y_hist[-1] @ y_hist[-1])
        else:
            q /= max(1.0, float(np.linalg.norm(g)))
        for (s, y), (rho, a) in zip(zip(s_hist, y_hist, strict=True), reversed(alphas),
                                    strict=True):
            q += s * (a - rho * float(y @ q))
        d = -q
        slope = float(g @ d)
        if slope >= 0:  # not a descent direction: restart from the gradient
            s_hist.clear()
            y_hist.clear()
            d = -g / max(1.0, float(np.linalg.norm(g)))
            slope = float(g @ d)
        step = 1.0
        while True:
            x_new = x + step * d
            f_new, g_new = fun(x_new)
            if f_new <= f + 1e-4 * step * slope or step < 1e-12:
                break
            step *= 0.5
        s, y = x_new - x, g_new - g
        if float(s @ y) > 1e-12:
            s_hist.append(s)
            y_hist.append(y)
            if len(s_hist) > memory:
                s_hist.pop(0)
                y_hist.pop(0)
        x, f, g = x_new, f_new, g_new
    return x


def fit_softmax(
    x: np.ndarray,
    targets: np.ndarray,
    c: float,
    sample_weight: np.ndarray | None = None,
    iters: int = MAX_ITER,
    extra: Any = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression on standardised `x`, L2 on the weights (not the bias).

    `targets` are rows of class probabilities (one-hot, or soft for a band or smoothing). The
    objective is sklearn's scaled by 1/n: mean weighted cross-entropy + |W|^2 / (2 C n).
    `extra` is an optional sparse block (scipy, n rows) read as it is, not standardised (hashed
    n-grams: already unit rows); its weights follow `x`'s in the returned W.
    Returns (W, b) for the raw `x`: the standardisation is folded in."""
    x = np.asarray(x, dtype=np.float64)
    t = np.asarray(targets, dtype=np.float64)
    n, d = x.shape
    e = 0 if extra is None else extra.shape[1]
    k = t.shape[1]
    mu = x.mean(axis=0)
    sd = x.std(axis=0)
    sd[sd < 1e-8] = 1.0
    z = (x - mu) / sd
    w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    lam = 1.0 / (c * n)
    wt = w[:, None] * t / n
    extra_t = extra.T.tocsr() if extra is not None else None

    def fun(theta: np.ndarray) -> tuple[float, np.ndarray]:
        weight = theta[: k * d].reshape(k, d)
        more = theta[k * d: k * (d + e)].reshape(k, e)
        bias = theta[k * (d + e):]
        logits = z @ weight.T + bias
        if extra is not None:
            logits += extra @ more.T
        logits -= logits.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(logits).sum(axis=1, keepdims=True))
        logp = logits - log_norm
        value = -float((wt * logp).sum()) + 0.5 * lam * float((weight * weight).sum()
                                                              + (more * more).sum())
        p = np.exp(logp)
        grad_logits = p * wt.sum(axis=1, keepdims=True) - wt
        grad_w = grad_logits.T @ z + lam * weight
        parts = [grad_w.ravel()]
        if extra_t is not None:
            parts.append((extra_t @ grad_logits).T.ravel() + lam * more.ravel())
        parts.append(grad_logits.sum(axis=0))
        return value, np.concatenate(parts)

    theta = _lbfgs(fun, np.zeros(k * (d + e + 1)), iters)
    weight = theta[: k * d].reshape(k, d) / sd
    bias = theta[k * (d + e):] - weight @ mu
    if e:
        weight = np.concatenate([weight, theta[k * d: k * (d + e)].reshape(k, e)], axis=1)
    return weight, bias


def softmax_proba(weight: np.ndarray, bias: np.ndarray, x: np.ndarray) -> np.ndarray:
    z = np.asarray(x, dtype=np.float64) @ weight.T + bias
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
