#!/usr/bin/env python3
"""Designs the level tables of libquant's non-linear types (lq_nl3/4/5).

Lloyd's algorithm for gain-shape quantization of groups of 32 Gaussian
weights: each group is sign-flipped so that its largest magnitude is
negative, gets the scale (searched around its largest magnitude) with the
least squared error for the current levels, and every level then moves to
the scale-weighted centroid of the values assigned to it. The levels are
normalised so that the outermost is -1, and printed as int8 (x 127), the
form kernels/lq_nl_types.cpp stores them in.

The result does not depend on the model: it is a property of the group
size and of roughly Gaussian weights (for 4 bits it lands within a few
units of IQ4_NL's table, which was found the same way on real weights).

usage: scripts/design_levels.py [--bits 3 4 5] [--groups N] [--iterations N]
Needs numpy. Takes about a minute per table.
"""
import argparse

import numpy as np

GROUP = 32


def nearest(levels, y, scale):
    """Index of the level nearest y / scale, for every element."""
    midpoints = (levels[1:] + levels[:-1]) / 2
    return np.searchsorted(midpoints, y / scale[:, None])


def design(bits, groups, iterations, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((groups, GROUP))
    # The largest magnitude of each group is made negative: it then falls
    # on the outermost level, and the table may be asymmetric.
    rows = np.arange(groups)
    sign = np.where(x[rows, np.abs(x).argmax(1)] < 0, 1.0, -1.0)
    y = x * sign[:, None]
    amax = np.abs(y).max(1)
    n = 2 ** bits
    levels = np.linspace(-1.0, 1.0 - 2.0 / n, n)  # start: evenly spaced
    for _ in range(iterations):
        best_error = np.full(groups, np.inf)
        best_scale = amax.copy()
        best_index = np.zeros(y.shape, dtype=np.int64)
        for t in np.linspace(0.7, 1.3, 61):
            scale = amax * t
            index = nearest(levels, y, scale)
            error = ((y - scale[:, None] * levels[index]) ** 2).sum(1)
            better = error < best_error
            best_error[better] = error[better]
            best_scale[better] = scale[better]
            best_index[better] = index[better]
        # Centroids: the level minimising sum (y - s L)^2 over its members.
        numerator = np.bincount(best_index.ravel(), (y * best_scale[:, None]).ravel(), minlength=n)
        denominator = np.bincount(best_index.ravel(), np.repeat(best_scale ** 2, GROUP), minlength=n)
        moved = np.where(denominator > 0, numerator / np.maximum(denominator, 1e-30), levels)
        moved = np.sort(moved)
        levels = moved / -moved[0]
    relative_mse = best_error.sum() / (y ** 2).sum()
    return levels, relative_mse


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bits", type=int, nargs="+", default=[3, 4, 5])
    parser.add_argument("--groups", type=int, default=20000)
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    for bits in options.bits:
        levels, relative_mse = design(bits, options.groups, options.iterations, options.seed)
        table = ", ".join(str(int(round(v * 127))) for v in levels)
        print("%d bits: relative MSE %.5f (continuous scales)\n  {%s}" % (bits, relative_mse, table))


if __name__ == "__main__":
    main()
