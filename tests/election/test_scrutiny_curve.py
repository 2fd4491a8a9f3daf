"""The client's alt_bn128 arithmetic (fastecdsa's Rust core) against py_ecc's pure-Python one (R-EL-13).

Two implementations written apart, neither of them the EVM precompiles the contract calls: every point a
scrutineer deals, a voter seals with or a counter checks is computed by the first, so it must agree with the
second everywhere, including the edges (the scalars 0, 1, ORDER − 1, ORDER, the point at infinity, a point
added to its negation).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from py_ecc import optimized_bn128 as bn

from zhili.election.scrutiny import FIELD, GENERATOR, INFINITY, ORDER, Point, add, mul, on_curve


def ref_point(p: Point) -> tuple[bn.FQ, bn.FQ, bn.FQ]:
    return bn.Z1 if p == INFINITY else (bn.FQ(p[0]), bn.FQ(p[1]), bn.FQ.one())


def ref_affine(p: tuple[bn.FQ, bn.FQ, bn.FQ]) -> Point:
    if bn.is_inf(p):
        return INFINITY
    x, y = bn.normalize(p)
    return (int(x), int(y))


def ref_mul(p: Point, k: int) -> Point:
    return ref_affine(bn.multiply(ref_point(p), k % ORDER))


def test_parameters_are_alt_bn128() -> None:
    # EIP-196's numbers, as py_ecc has them
    assert (FIELD, ORDER) == (bn.field_modulus, bn.curve_order)
    assert GENERATOR == ref_affine(bn.G1) and on_curve(GENERATOR) and on_curve(INFINITY)


def test_edges() -> None:
    g = GENERATOR
    assert mul(g, 0) == INFINITY and mul(g, ORDER) == INFINITY
    assert mul(g, 1) == g and mul(g, ORDER + 1) == g
    minus_g = mul(g, ORDER - 1)
    assert minus_g == (g[0], FIELD - g[1]) == ref_mul(g, ORDER - 1)
    assert add(g, minus_g) == INFINITY
    assert add(g, INFINITY) == g and add(INFINITY, g) == g and add(INFINITY, INFINITY) == INFINITY
    assert mul(INFINITY, 12345) == INFINITY
    assert add(g, g) == mul(g, 2) == ref_mul(g, 2)
    assert not on_curve((1, 3)) and not on_curve((FIELD + 1, 2))


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=2 * ORDER), st.integers(min_value=1, max_value=ORDER - 1), st.integers(min_value=1, max_value=ORDER - 1))
def test_agrees_with_py_ecc(k: int, a: int, b: int) -> None:
    p, q = ref_mul(GENERATOR, a), ref_mul(GENERATOR, b)
    assert mul(GENERATOR, a) == p and on_curve(p)
    assert mul(p, k) == ref_mul(p, k)
    assert add(p, q) == ref_affine(bn.add(ref_point(p), ref_point(q)))
