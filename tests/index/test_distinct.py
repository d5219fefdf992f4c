"""distinct: np.unique's answer by a sort (numpy 2's hash path is slow on int64 keys)."""

import numpy as np
import pytest

from index.distinct import distinct


@pytest.mark.parametrize("size", [0, 1, 2, 1000])
def test_distinct_gives_np_uniques_values_in_order(size):
    values = np.random.default_rng(size).integers(-50, 50, size).astype(np.int64) << 40
    assert distinct(values).tolist() == np.unique(values).tolist()
    assert distinct(values).dtype == values.dtype
