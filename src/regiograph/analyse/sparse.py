"""SciPy sparse-matrix helpers shared by the network measures (internal).

Two-step neighbourhood sums -- Burt's constraint and effective size in
:mod:`regiograph.analyse.metrics`, brokerage counts in :mod:`regiograph.analyse.groups` --
are sparse matrix products evaluated only at the positions of a tie, in C and in bounded
memory, instead of Python loops over neighbourhoods.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

__all__ = [
    "PRODUCT_CELLS",
    "adjacency_matrix",
    "at_pattern",
    "row_indices",
    "symmetric_at_pattern",
    "transposed",
    "without_loops",
]

#: Entries of a matrix product that :func:`at_pattern` holds at once (tens of MB).
PRODUCT_CELLS = 4_000_000


def row_indices(A: Any) -> Any:
    """The row of every stored entry of the CSR array ``A``."""
    import numpy as np

    return np.repeat(np.arange(A.shape[0]), np.diff(A.indptr))


def adjacency_matrix(G: nx.Graph, weight: str | None, *, parallel: str = "sum") -> Any:
    """The adjacency matrix of ``G`` as a SciPy CSR array, rows in node order, sorted.

    ``A[i, j]`` is the ``weight`` of the edge ``i``-``j`` (``i`` -> ``j`` when directed;
    1 when the edge has no such attribute or ``weight`` is ``None``), self-loops once on
    the diagonal and weights of 0 stored, as :func:`networkx.to_scipy_sparse_array`
    makes it (the same array; 10 times faster). Parallel edges of a multigraph are
    summed, or with ``parallel="last"`` the last one counts.
    """
    import numpy as np
    import scipy.sparse as sp

    index = {node: i for i, node in enumerate(G)}
    lookup = index.__getitem__
    multi = G.is_multigraph()
    cols: list[int] = []
    data: list[Any] = []
    counts = []
    for nbrs in G._adj.values():  # the plain dicts: G.adj's views are slower
        cols.extend(map(lookup, nbrs))
        counts.append(len(nbrs))
        if multi:
            for keys in nbrs.values():
                edges = list(keys.values())[-1:] if parallel == "last" else keys.values()
                data.append(sum(1 if weight is None else d.get(weight, 1) for d in edges))
        elif weight is not None:
            data.extend([d.get(weight, 1) for d in nbrs.values()])
    n = len(index)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    values = np.array(data, dtype=float) if data else np.ones(len(cols))
    A = sp.csr_array((values, np.array(cols, dtype=np.int64), indptr), shape=(n, n))
    A.sort_indices()
    return A


def without_loops(A: Any) -> tuple[Any, Any]:
    """The 0/1 pattern of ``A`` without its diagonal, and the 0/1 vector of the nodes with a
    stored diagonal entry (a self-loop)."""
    import numpy as np
    import scipy.sparse as sp

    rows = row_indices(A)
    off = rows != A.indices
    loops = np.zeros(A.shape[0])
    loops[rows[~off]] = 1.0
    B = sp.csr_array((np.ones(int(off.sum())), (rows[off], A.indices[off])), shape=A.shape)
    return B, loops


def transposed(A: Any) -> Any:
    """For every stored entry ``(i, j)`` of ``A`` with a symmetric pattern, the position
    of the entry ``(j, i)``."""
    import numpy as np
    import scipy.sparse as sp

    positions = sp.csr_array((np.arange(1, A.nnz + 1), A.indices, A.indptr), shape=A.shape)
    return positions.T.tocsr().data - 1


def at_pattern(X: Any, Y: Any, pattern: Any, *, upper: bool = False) -> Any:
    """``(X @ Y)[i, j]`` at every stored position ``(i, j)`` of the CSR array ``pattern``
    (sorted indices), in the order of ``pattern.data``; 0 where the product has no entry.

    The product is made in blocks of rows of at most about :data:`PRODUCT_CELLS` entries
    (at least one row), so memory stays bounded however dense two-step neighbourhoods
    are; the work is the product's, O(sum of squared degrees) for ``A @ A``, in C. With
    ``upper`` only the positions with ``j >= i`` are computed (the others are 0): a block
    of rows is multiplied with the columns from its first row on, about half the work.
    """
    import numpy as np

    n, m = pattern.shape
    out = np.zeros(pattern.nnz, dtype=np.result_type(X.dtype, Y.dtype, float))
    if not pattern.nnz:
        return out
    stored = X.copy()
    stored.data = np.ones(stored.nnz)
    # an upper bound of the entries in every row of X @ Y
    cumulative = np.cumsum(np.minimum(stored @ np.diff(Y.indptr).astype(float), m) + 1)
    rows_all = row_indices(pattern)
    needed = pattern.indices >= rows_all if upper else np.ones(pattern.nnz, dtype=bool)
    start = 0
    while start < n:
        base = cumulative[start - 1] if start else 0.0
        stop = int(np.searchsorted(cumulative, base + PRODUCT_CELLS, side="right"))
        stop = min(n, max(start + 1, stop))
        lo, hi = pattern.indptr[start], pattern.indptr[stop]
        first = start if upper else 0  # the first column of the block's product
        wanted = lo + np.flatnonzero(needed[lo:hi])
        if len(wanted):
            block = X[start:stop] @ (Y[:, first:] if first else Y)
            rows, cols = rows_all[wanted] - start, pattern.indices[wanted] - first
            width = m - first
            if (stop - start) * width <= 2 * block.nnz + width:  # dense enough to unpack
                out[wanted] = block.toarray()[rows, cols]
            elif block.nnz:
                block.sort_indices()
                keys = row_indices(block) * np.int64(width) + block.indices
                keyed = rows * np.int64(width) + cols
                at = np.minimum(np.searchsorted(keys, keyed), block.nnz - 1)
                out[wanted] = np.where(keys[at] == keyed, block.data[at], 0)
        start = stop
    return out


def symmetric_at_pattern(X: Any, Y: Any, pattern: Any) -> Any:
    """:func:`at_pattern` for a symmetric ``X @ Y`` and ``pattern``: the upper half, and
    the entries below the diagonal copied from above it."""
    out = at_pattern(X, Y, pattern, upper=True)
    below = row_indices(pattern) > pattern.indices
    out[below] = out[transposed(pattern)[below]]
    return out
